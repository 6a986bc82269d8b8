"""Our catalogue as Open311 services: each active matter class (事项小类) is a service, its 5-digit code the
service_code. Its definition lists the 立案条件 as information (variable=false: the supervision centre, not the
reporter, decides the condition at 立案) and, for classes that are also component classes, the optional
`component` attribute (the 17-digit identifier of the manhole, lamp … the problem is about).
"""

from django.contrib.admin.models import LogEntry
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from urbangrid.catalog.labels import UNIT_LABELS
from urbangrid.catalog.models import CatalogClass, FilingCondition

COMPONENT_ATTRIBUTE = "component"


def services() -> list[dict]:
    with_components = set(CatalogClass.objects.filter(kind="component", active=True).values_list("code", flat=True))
    with_conditions = set(FilingCondition.objects.values_list("matter_id", flat=True))
    classes = CatalogClass.objects.filter(kind="matter", active=True).order_by("code")
    return [_service(klass, klass.code in with_components or klass.pk in with_conditions) for klass in classes]


def service(code: str) -> CatalogClass | None:
    return CatalogClass.objects.filter(kind="matter", active=True, code=code).first()


def definition(klass: CatalogClass) -> dict:
    attributes = []
    if _has_component_class(klass.code):
        attributes.append({
            "variable": True, "code": COMPONENT_ATTRIBUTE, "datatype": "string", "required": False,
            "datatype_description": _("17-digit component identifier (管理部件标识码), as on the component's plate"),
            "order": 1, "description": _("Which component is it? Leave empty if you do not know."),
        })
    for condition in klass.conditions.order_by("seq"):
        limit = _("handling limit {value:g} {unit}").format(
            value=float(condition.limit_value), unit=UNIT_LABELS[condition.limit_unit]
        )
        attributes.append({
            "variable": False, "code": f"condition_{condition.seq}", "datatype": "string", "required": False,
            "datatype_description": "", "order": len(attributes) + 1,
            "description": _("Filing condition {seq}: {text} ({limit})").format(
                seq=condition.seq, text=condition.description, limit=limit
            ),
        })
    return {"service_code": klass.code, "attributes": attributes}


def changeset() -> str:
    """When the service list last changed: the latest catalogue edit in the admin, or its last migration."""
    edited = LogEntry.objects.filter(content_type__app_label="catalog").order_by("-action_time").first()
    migrated = MigrationRecorder.Migration.objects.filter(app="catalog").order_by("-applied").first()
    times = [t for t in (edited and edited.action_time, migrated and migrated.applied) if t]
    return max(times).strftime("%Y-%m-%dT%H:%M:%SZ") if times else "1970-01-01T00:00:00Z"


def _service(klass: CatalogClass, metadata: bool) -> dict:
    return {
        "service_code": klass.code, "service_name": klass.name,
        "description": f"{klass.large_class_name} · {klass.name}", "metadata": metadata, "type": "realtime",
        "keywords": ",".join(klass.keywords.split()), "group": klass.large_class_name,
    }


def _has_component_class(code: str) -> bool:
    return CatalogClass.objects.filter(kind="component", active=True, code=code).exists()
