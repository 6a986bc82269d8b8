"""Maintenance funding basis (养护经费依据, regulation art. 31(5)): per maintenance unit (养护单位, the
component's YHDWDM), its components by class and condition, and over a period the problems found on them and
how they were handled.

The numbers, per unit, for cases about one of its components (Case.component):
- 发现问题 (found): the case counts when it is opened (立案) in the period — the indicator `opened`;
- 处置 and 按期处置 (handled, handled on time): the indicators `handled` and `handled_on_time` in the period.
They are counted by the evaluation's own counting (a replay of the cases' events: counting.replay), so they
agree with the district and department tables, and the drill-down lists the very cases counted.
Components are counted as the inventory stands now: it keeps no history of conditions.
Query time, not maintained: few cases name a component, and the unit is the component's, not the case's.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from urbangrid.accounts.models import Organisation
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.catalog.models import CatalogClass
from urbangrid.components.models import STATUS_LABELS, Component
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting, report

COUNTED = ("opened", "handled", "handled_on_time")  # 发现问题, 处置, 按期处置
STATUSES = tuple(STATUS_LABELS)
NO_UNIT = 0  # components whose maintenance unit is not recorded


@dataclass
class UnitRow:
    unit_id: int
    label: str
    by_status: dict[str, int]  # condition → number of components
    by_class: dict[int, dict[str, int]]  # class id → condition → number
    counts: dict[str, int]  # COUNTED → number of cases
    cases: dict[str, list[int]] = field(default_factory=dict)  # COUNTED → the case ids behind the number

    @property
    def components(self) -> int:
        return sum(self.by_status.values())

    @property
    def on_time_rate(self) -> Decimal | None:
        return core.percent(self.counts["handled_on_time"], self.counts["handled"])


def table(period: core.Period) -> list[UnitRow]:
    """One row per maintenance unit with components (and one for components without a unit, if any), by
    name; units whose components saw cases but hold none now still get a row."""
    by_class: dict[int, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    found = Component.objects.values("maintenance_unit_id", "klass_id", "status").annotate(n=Count("id"))
    for row in found:
        by_class[row["maintenance_unit_id"] or NO_UNIT][row["klass_id"]][row["status"]] += row["n"]
    cases = _counted_cases(period)
    units = set(by_class) | set(cases)
    names = dict(Organisation.objects.filter(pk__in=units).values_list("pk", "name"))
    rows = []
    for unit in units:
        classes = by_class.get(unit, {})
        statuses = Counter()
        for counts in classes.values():
            statuses.update(counts)
        ids = cases.get(unit, {})
        rows.append(UnitRow(
            unit, names.get(unit) or _("No maintenance unit recorded"),
            {s: statuses.get(s, 0) for s in STATUSES},
            {k: {s: c.get(s, 0) for s in STATUSES} for k, c in classes.items()},
            {n: len(ids.get(n, ())) for n in COUNTED}, {n: sorted(ids.get(n, ())) for n in COUNTED},
        ))
    rows.sort(key=lambda r: (r.unit_id == NO_UNIT, r.label))
    return rows


def _counted_cases(period: core.Period) -> dict[int, dict[str, set[int]]]:
    """unit → indicator → the ids of the cases counted in it, for the cases about a component."""
    start, end = report.bounds(period)
    active = (CaseEvent.objects.filter(at__gte=start, at__lt=end, case__component__isnull=False)
              .values_list("case_id", flat=True).distinct())
    ids = sorted(active)
    unit_of = dict(Case.objects.filter(pk__in=ids).values_list("pk", "component__maintenance_unit_id"))
    found: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for item in counting.replay(ids):
        if not period.first <= item.day <= period.last:
            continue
        for name in COUNTED:
            if name in item.counted.facts:
                found[unit_of[item.case_id] or NO_UNIT][name].add(item.case_id)
    return found


def cases_behind(period: core.Period, unit_id: int, name: str) -> list[int]:
    if name not in COUNTED:
        raise ValueError(name)
    return sorted(_counted_cases(period).get(unit_id, {}).get(name, ()))


def class_labels(rows: list[UnitRow]) -> dict[int, str]:
    ids = {k for row in rows for k in row.by_class}
    return {pk: f"{code} {name}" for pk, code, name in CatalogClass.objects.filter(pk__in=ids)
            .values_list("pk", "code", "name")}
