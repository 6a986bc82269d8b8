"""The component inventory over HTTP: pages of it, one component by identifier, the nearest one to a point;
and adding, changing and retiring components for those the admin lets do so (Django's add/change permissions
of the component model, as in the admin). Changes go through the importer's checks, one row at a time.
"""

from datetime import date

from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import create_model

from urbangrid.api import auth
from urbangrid.api.errors import ApiError
from urbangrid.api.locate import ErrorOut
from urbangrid.api.params import BBOX_DESCRIPTION, PAGE_SIZE, Limit, one_of, page, parse_bbox
from urbangrid.components import exporting, fields, formats, importing, nearest
from urbangrid.components.models import STATUS_LABELS, Component
from urbangrid.core import codes
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid import shapezip
from urbangrid.grid.bulk import imported
from urbangrid.grid.locating import PointError, check_point

router = Router(tags=["components"])

MAX_WITHIN_M = 500.0
ENCODINGS, PRJS = list(shapezip.ENCODINGS), list(shapezip.PRJ_EPSG)
DERIVED = {"street_code", "street_name", "community_code", "community_name"}  # prefixes of the grid code


def _describe(attr: str) -> str:
    f = fields.BY_ATTR[attr]
    return f"{f.zh} ({f.abbr})"


class ComponentHit(Schema):
    identifier: str = Field(description="管理部件标识码 (GLBJBSM)")
    name: str = Field(description="管理部件名称 (GLBJMC)")
    class_code: str
    class_name: str
    status: str = Field(description="intact, damaged, missing or abandoned")
    status_label: str
    grid_code: str = Field(description="所在单元网格标识码 (SZDYWGBSM)")
    lon: float = Field(description="WGS84 / CGCS2000")
    lat: float = Field(description="WGS84 / CGCS2000")
    distance_m: float


class NearestIn(Schema):
    # Ranges are checked in the view so that the error is translated and names the field; the schema
    # only documents them for OpenAPI.
    lon: float = Field(description="Longitude in degrees.", json_schema_extra={"minimum": -180, "maximum": 180})
    lat: float = Field(description="Latitude in degrees.", json_schema_extra={"minimum": -90, "maximum": 90})
    within: float = Field(
        nearest.DEFAULT_WITHIN_M, description="Search radius in metres.",
        json_schema_extra={"exclusiveMinimum": 0, "maximum": MAX_WITHIN_M},
    )
    class_code: str | None = Field(None, description="Only components of this 5-digit class (GB/T 47678.5).")
    crs: str = Field("wgs84", description="Coordinate system of lon/lat.", json_schema_extra={"enum": list(CRS_NAMES)})


class NearestOut(Schema):
    found: bool
    within_m: float
    message: str
    component: ComponentHit | None = None


# The 18 standard fields under our names, their Chinese names and abbreviations in the description;
# dates are written as the standard does, YYYYMMDD.
ComponentOut = create_model(
    "ComponentOut",
    __base__=Schema,
    **{f.attr: (str, Field(description=_describe(f.attr))) for f in fields.FIELDS},
    lon=(float, Field(description="经度, WGS84 / CGCS2000")),
    lat=(float, Field(description="纬度, WGS84 / CGCS2000")),
)


@router.get(
    "/nearest", response={200: NearestOut, 400: ErrorOut, 422: ErrorOut}, summary="Nearest component to a point"
)
def nearest_component(request, query: Query[NearestIn]):
    """The nearest component (not removed) within `within` metres of the point, optionally of one class."""
    crs = query.crs.strip().lower()
    try:
        check_point(query.lon, query.lat, crs)
    except PointError as e:
        raise ApiError(400, f"invalid_{e.field}", e.message, e.field) from e
    if not 0 < query.within <= MAX_WITHIN_M:  # also false for NaN
        message = _("The search radius must be more than 0 and at most {max:g} m, got {value:g}.")
        raise ApiError(400, "invalid_within", message.format(max=MAX_WITHIN_M, value=query.within), "within")
    class_code = codes.parse_class_code(query.class_code, "class_code") if query.class_code else None
    return nearest.answer(query.lon, query.lat, query.within, class_code, crs)


class ExportIn(Schema):
    format: str = Field("csv", json_schema_extra={"enum": list(formats.FORMATS)})
    headers: str = Field("zh", description="Column names: Chinese, GB/T 47678.7 abbreviations or our names.",
                         json_schema_extra={"enum": list(fields.HEADER_STYLES)})
    area: str | None = Field(None, description="Only inside this district, street, community or grid code.")
    class_code: str | None = Field(None, description="Only this 5-digit class.")
    encoding: str = Field("utf-8", description="Shapefile attribute encoding.", json_schema_extra={"enum": ENCODINGS})
    prj: str = Field("cgcs2000", description="Shapefile .prj.", json_schema_extra={"enum": PRJS})


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "shapefile": "application/zip"}


# Before /{identifier}, which would take "export" for an identifier.
@router.get("/export", auth=auth.USER, response={200: None, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
            summary="Export the inventory")
def export_components(request, query: Query[ExportIn]):
    """The 18 fields and the location of every matching component, streamed (CSV with a BOM, GeoJSON), or as
    an XLSX workbook or a zipped Shapefile (.shp .shx .dbf .prj .cpg). Files the importer reads back."""
    one_of(query.format, formats.FORMATS, "format")
    one_of(query.headers, fields.HEADER_STYLES, "headers")
    one_of(query.encoding, ENCODINGS, "encoding")
    one_of(query.prj, PRJS, "prj")
    found = exporting.components(_area(query.area), query.class_code).order_by("identifier")
    suffix = {"shapefile": "zip"}.get(query.format, query.format)
    name = f"components-{timezone.localtime():%Y%m%d-%H%M}.{suffix}"
    if query.format in ("csv", "geojson"):
        response = StreamingHttpResponse(exporting.stream(found, query.format, query.headers),
                                         content_type=CONTENT_TYPES[query.format])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    spooled = exporting.binary_file(found, query.format, query.headers, query.encoding, query.prj)
    return FileResponse(spooled, as_attachment=True, filename=name, content_type=CONTENT_TYPES[query.format])


@router.get(
    "/{identifier}", response={200: ComponentOut, 400: ErrorOut, 404: ErrorOut},
    summary="One component with the 18 standard fields",
)
def component_detail(request, identifier: str):
    code = codes.parse_component_id(identifier, "identifier").code
    found = exporting.record(code)
    if found is None:
        raise ApiError(404, "not_found", _("No component has the identifier {code}.").format(code=code), "identifier")
    return found


# The inventory: pages, and changes by those the admin lets change it ------------------------------------

EDITABLE = [f.attr for f in fields.FIELDS if f.attr not in DERIVED] + ["lon", "lat"]


class ComponentPage(Schema):
    items: list[ComponentOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")


class ComponentListIn(Schema):
    area: str | None = Field(None, description="Only inside this district, street, community or grid code.")
    class_code: str | None = Field(None, description="Only this 5-digit class.")
    status: str | None = Field(None, json_schema_extra={"enum": list(STATUS_LABELS)})
    bbox: str | None = Field(None, description=f"Only inside the box: {BBOX_DESCRIPTION}.")
    after: str | None = Field(None, description="The `next` of the previous page.")
    limit: Limit = PAGE_SIZE


# Every field optional here: what is required is checked by the importer's row checks, whose errors name
# the field in the user's language.
ComponentIn = create_model(
    "ComponentIn",
    __base__=Schema,
    **{attr: (str | None, Field(None, description=_describe(attr))) for attr in EDITABLE if attr not in ("lon", "lat")},
    lon=(float | None, Field(None, description="经度")),
    lat=(float | None, Field(None, description="纬度")),
    crs=(str, Field("wgs84", description="Coordinate system of lon/lat.", json_schema_extra={"enum": list(CRS_NAMES)})),
)


class RetireIn(Schema):
    on: date | None = Field(None, description="变更日期 (BGRQ); today when left out.")
    remark: str | None = Field(None, description="备注 (BZ), e.g. why it was removed.")


class RowErrorOut(Schema):
    field: str
    value: str
    message: str


class InvalidComponentOut(ErrorOut):
    errors: list[RowErrorOut]


WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                422: InvalidComponentOut}


@router.get("", response={200: ComponentPage, 400: ErrorOut, 422: ErrorOut}, summary="Components, by identifier")
def list_components(request, query: Query[ComponentListIn]):
    found = exporting.components(_area(query.area), query.class_code)
    if one_of(query.status, STATUS_LABELS, "status"):
        found = found.filter(status=query.status)
    if box := parse_bbox(query.bbox):
        west, south, east, north = box
        found = found.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    if query.after:
        found = found.filter(identifier__gt=query.after)
    rows = exporting.export_rows(found.order_by("identifier")[: query.limit + 1])
    items = [dict(zip(fields.EXPORT_ATTRS, row, strict=True)) for row in rows]
    return page(items, query.limit, lambda last: last["identifier"])


@router.post("", auth=auth.USER, response={201: ComponentOut, **WRITE_ERRORS}, summary="Add a component")
def create_component(request, payload: ComponentIn):
    """Checked as one row of an import (fields.py): class from the identifier, the departments by their codes,
    the unit grid from the location. Needs the admin's permission to add components."""
    _require(request, "components.add_component")
    row = payload.dict(exclude={"crs"}, exclude_none=True)
    code = codes.parse_component_id(row.get("identifier", ""), "identifier").code
    if exporting.record(code) is not None:
        message = _("A component with the identifier {code} exists already.").format(code=code)
        raise ApiError(409, "exists", message, "identifier")
    return Status(201, _write(request, {"status": "intact", **row, "identifier": code}, payload.crs, "created"))


@router.patch("/{identifier}", auth=auth.USER, response={200: ComponentOut, **WRITE_ERRORS},
              summary="Change a component")
def update_component(request, identifier: str, payload: ComponentIn):
    """Only the fields sent change; 变更日期 (BGRQ) becomes today unless given. Needs the permission to change
    components."""
    _require(request, "components.change_component")
    old = _existing(identifier)
    changes = payload.dict(exclude={"crs", "identifier"}, exclude_none=True)
    # `crs` is that of the point sent; a point kept from the record is WGS84 already. A moved point finds its
    # own unit grid.
    moved = bool({"lon", "lat"} & changes.keys())
    if moved:
        old.pop("grid_code")
    crs = payload.crs if moved else "wgs84"
    return _write(request, {**old, "change_date": _today(), **changes}, crs, "changed")


@router.post("/{identifier}/retire", auth=auth.USER, response={200: ComponentOut, **WRITE_ERRORS},
             summary="Retire a component")
def retire_component(request, identifier: str, payload: RetireIn):
    """The component's status becomes 移除 (removed) from `on`: it stays on record for the cases about it."""
    _require(request, "components.change_component")
    old = _existing(identifier)
    on = payload.on.strftime("%Y%m%d") if payload.on else _today()
    remark = old["remark"] if payload.remark is None else payload.remark
    return _write(request, {**old, "status": "removed", "change_date": on, "remark": remark}, "wgs84", "retired")


def _area(value: str | None) -> str | None:
    return codes.parse_area_code(value, "area")[1] if value else None


def _require(request, permission: str) -> None:
    if not request.auth.has_perm(permission):
        raise ApiError(403, "forbidden", _("You may not change the component inventory."))


def _existing(identifier: str) -> dict:
    code = codes.parse_component_id(identifier, "identifier").code
    found = exporting.record(code)
    if found is None:
        raise ApiError(404, "not_found", _("No component has the identifier {code}.").format(code=code), "identifier")
    # Street and community follow from the location; stale ones would contradict a moved point.
    return {k: v for k, v in found.items() if k not in DERIVED}


def _today() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _write(request, row: dict, crs: str, op: str) -> dict:
    one_of(crs, CRS_NAMES, "crs")
    with transaction.atomic():  # the change and its audit entry together
        report = importing.import_components([row], crs=crs, strict=True)
        if report.errors:
            first = report.errors[0]
            errors = [{"field": e.field, "value": e.value, "message": e.message} for e in report.errors]
            raise ApiError(422, "invalid_input", f"{first.label}: {first.message}", first.field, errors=errors)
        component = Component.objects.get(identifier=row["identifier"])
        imported.send(Component, what="components", source=f"api:{op}", fmt="json", actor=request.auth,
                      counts={"rows": 1, "created": report.created, "updated": report.updated}, object=component)
    return exporting.record(component.identifier)
