"""The choices of the action forms, read from the reference data (catalogue, organisations).

Only what to offer: whether a choice is valid is decided again by cases.inputs when the action is taken.
"""

from itertools import groupby

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.labels import UNIT_LABELS
from urbangrid.catalog.models import CatalogClass, FilingCondition
from urbangrid.core.limits import LimitUnit
from urbangrid.dispatch.directory import DATA_VERSION as CATALOGUE_VERSION
from urbangrid.grid.versions import Versioned

RETURN_REASONS = [
    ("not_ours", _("Not our responsibility")),  # 非本单位职责: counts towards a dispute (art. 23)
    ("wrong_information", _("Wrong information in the case")),
    ("other", _("Other")),
]
UNITS = [(str(unit), UNIT_LABELS[unit]) for unit in LimitUnit]


def classes(kind: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active classes of a kind, grouped by large class, for a select with optgroups."""
    return _classes.get().get(kind, [])


def _read_classes() -> dict[str, list[tuple[str, list[tuple[str, str]]]]]:
    rows = CatalogClass.objects.filter(active=True).order_by("kind", "code")
    found: dict[str, list] = {}
    for kind, of_kind in groupby(rows.values_list("kind", "large_class_name", "code", "name"), key=lambda r: r[0]):
        found[kind] = [
            (group, [(code, f"{code} {name}") for _k, _g, code, name in items])
            for group, items in groupby(of_kind, key=lambda row: row[1])
        ]
    return found


# Some 400 classes, offered on every console page and case file: read once per process, again when the
# catalogue changes (its saves and loads move the dispatch directory's data version, dispatch/signals.py).
_classes = Versioned(CATALOGUE_VERSION, _read_classes)


def conditions(class_code: str) -> list[tuple[str, str]]:
    """The 立案条件 of a class (components are filed under the matter of the same code), with the limit."""
    rows = FilingCondition.objects.filter(matter__kind="matter", matter__code=class_code).order_by("seq")
    return [(str(c.seq), f"{c.seq}. {c.description} · {limit(c.limit_value, c.limit_unit)}") for c in rows]


def limit(value, unit: str) -> str:
    return f"{value.normalize():f} {UNIT_LABELS.get(unit, unit)}"


def departments(grid_code: str, law_enforcement: bool = False) -> list[tuple[str, str]]:
    """Departments, and the street and community offices of the case's own area; or law-enforcement bodies."""
    if law_enforcement:
        found = Organisation.objects.filter(kind="law_enforcement", active=True)
    else:
        own_area = [grid_code[:n] for n in (9, 12)]
        offices = Q(kind__in=["street_office", "community_office"], area__code__in=own_area)
        found = Organisation.objects.filter(Q(kind="department") | offices, active=True)
    return [(str(pk), name) for pk, name in found.order_by("kind", "name").values_list("pk", "name")]


def districts() -> list[tuple[str, str]]:
    """The districts that have a command centre to forward to (二级指挥)."""
    found = Organisation.objects.filter(kind="district_command_centre", active=True, area__isnull=False)
    return [(code, name) for code, name in found.order_by("area__code").values_list("area__code", "name")]
