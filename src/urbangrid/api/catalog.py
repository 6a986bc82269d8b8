"""GET /api/v1/catalog: the classes of GB/T 47678.5-2026 with their 立案条件 and handling limits, and the
lookup of a legacy (CJ/T 214-2007, GB/T 30428.2-2013) class code. Public: Open311 publishes the same classes.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from urbangrid.api.errors import ApiError
from urbangrid.api.locate import ErrorOut
from urbangrid.api.params import PAGE_SIZE, DbInt, Limit, one_of, page
from urbangrid.catalog.labels import KIND_LABELS, PARTY_LABELS, UNIT_LABELS
from urbangrid.catalog.legacy import AmbiguousLegacyCode, legacy_codes, map_legacy_class
from urbangrid.catalog.models import CatalogClass
from urbangrid.core import codes

router = Router(tags=["catalogue"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
KINDS = list(KIND_LABELS)


class ConditionOut(Schema):
    seq: int = Field(description="The number of the 立案条件 within its class.")
    description: str = Field(description="立案条件")
    limit_value: Decimal = Field(description="处置时限")
    limit_unit: str = Field(description="urgent_hours, work_hours, work_days or calendar_days")
    limit_label: str
    urgency: str
    closing_condition: str = Field(description="结案条件")
    responsible_party: str
    responsible_party_label: str
    legal_basis: str


class ClassOut(Schema):
    id: int
    kind: str = Field(description="component (部件) or matter (事项)")
    code: str = Field(description="5 digits: 2 large class + 3 small class")
    name: str
    large_class_code: str
    large_class_name: str
    standard: str
    is_local_extension: bool
    active: bool


class ClassDetailOut(ClassOut):
    keywords: str
    conditions: list[ConditionOut] = Field(description="立案条件 with their handling limits (matters only).")
    legacy_codes: list[dict] = Field(description="Codes of older standards that became this class.")


class ClassPage(Schema):
    items: list[ClassOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")


class ClassListIn(Schema):
    kind: str | None = Field(None, json_schema_extra={"enum": KINDS})
    large_class: str | None = Field(None, description="Only this 2-digit large class.")
    active: bool | None = Field(None, description="Only classes in use (true) or retired (false).")
    after: DbInt | None = Field(None, description="The `next` of the previous page.")
    limit: Limit = PAGE_SIZE


class LegacyOut(Schema):
    scheme: str
    kind: str
    code: str
    name: str
    maps_to: ClassOut | None = Field(description="The GB/T 47678.5-2026 class it became; null if none.")
    note: str


class LegacyIn(Schema):
    kind: str | None = Field(None, json_schema_extra={"enum": KINDS})
    scheme: str | None = Field(None, description="CJ/T 214-2007 or GB/T 30428.2-2013")


def _kind(value: str | None) -> str | None:
    return one_of(value, KINDS, "kind")


@router.get("/classes", response={200: ClassPage, **ERRORS}, summary="Component and matter classes")
def list_classes(request, query: Query[ClassListIn]):
    classes = CatalogClass.objects.all()
    if _kind(query.kind):
        classes = classes.filter(kind=query.kind)
    if query.large_class:
        classes = classes.filter(large_class_code=query.large_class)
    if query.active is not None:
        classes = classes.filter(active=query.active)
    if query.after is not None:
        classes = classes.filter(pk__gt=query.after)
    found = list(classes.order_by("pk")[: query.limit + 1])
    return page(found, query.limit, lambda last: last.pk)


@router.get("/classes/{kind}/{code}", response={200: ClassDetailOut, **ERRORS}, summary="One class with its 立案条件")
def class_detail(request, kind: str, code: str):
    found = CatalogClass.objects.filter(kind=_kind(kind), code=codes.parse_class_code(code, "code")).first()
    if found is None:
        message = _("No {kind} class has the code {code}.").format(kind=KIND_LABELS[kind], code=code)
        raise ApiError(404, "not_found", message, "code")
    conditions = [
        {**{f: getattr(c, f) for f in ("seq", "description", "limit_value", "limit_unit", "urgency",
                                         "closing_condition", "responsible_party", "legal_basis")},
         "limit_label": str(UNIT_LABELS.get(c.limit_unit, c.limit_unit)),
         "responsible_party_label": str(PARTY_LABELS.get(c.responsible_party, c.responsible_party))}
        for c in found.conditions.order_by("seq")
    ]
    legacy = list(found.legacy_codes.order_by("scheme", "code").values("scheme", "code", "name"))
    return {**{f: getattr(found, f) for f in ClassOut.model_fields}, "keywords": found.keywords,
            "conditions": conditions, "legacy_codes": legacy}


@router.get("/legacy/{code}", response={200: list[LegacyOut], **ERRORS}, summary="What a legacy class code became")
def legacy_lookup(request, code: str, query: Query[LegacyIn]):
    """Every row of the mapping table for the code (e.g. 0101 or 01-01), narrowed by kind and scheme.

    409 when the rows disagree on the class (0101 is a component in CJ/T 214 and a matter in GB/T 30428.2):
    name the kind or scheme. 404 when no row has the code."""
    try:
        map_legacy_class(code, _kind(query.kind), query.scheme)
    except AmbiguousLegacyCode as error:
        raise ApiError(409, "ambiguous", str(error), "code") from error
    rows = list(legacy_codes(code, query.kind, query.scheme))
    if not rows:
        raise ApiError(404, "not_found", _("No legacy class has the code {code}.").format(code=code[:20]), "code")
    return [{"scheme": r.scheme, "kind": r.kind, "code": r.code, "name": r.name, "maps_to": r.maps_to,
             "note": r.note} for r in rows]
