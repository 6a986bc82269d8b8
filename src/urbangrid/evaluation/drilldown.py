"""The cases behind one base count of a report (drill-down), found without replaying a city.

What a drill-down lists is defined by the replay of the log (counting.replay): a case is behind count I of row
`key` of a dimension's table for a period when one of its events in the period counts in I for that key — the
same counting as the counters, so the list and the number agree. Replaying every case with an event in the
period would replay hundreds of thousands of cases for a year of a district; the candidates are narrowed first:

- only events of the actions that can count in I (core.evaluation.COUNTED_BY), and only cases whose own columns
  match the key (grid-code prefix, source, class: the case's indexed columns);
- in time, through the case row: every event of a case comes at or after its report, so only cases reported
  before the period's end can have one. The candidates are first those reported within a short window before
  the period's end (WINDOWS), and the window widens until the events found count as many as the maintained
  counters say for that row (they equal the replay: tests/evaluation/test_recount.py). The last window is the
  whole log: counters ahead of the log only cost time. A row the counters count 0 lists nothing, unread (the
  recount test is what makes that safe), which is most rows of most counts.
- the counts whose rule needs no earlier event of the case (BY_ROW) are, for a key the case row decides,
  selected in the database from the event rows: no replay;
- 上报 and 公众举报 count the one `report` event of a case, which is written with the case and at its
  reported_at (cases.actions.report, demo.history): those lists are read from the case rows (an index range on
  reported_at) and paged in the database.

tests/evaluation/test_drilldown.py checks every count and dimension against the plain replay on random histories.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet, Sum

from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting
from urbangrid.evaluation.models import Tally

# report's (which imports this module); tests/evaluation/test_drilldown.py checks they are the same.
ALL = ""  # the key of the whole city
REGION_LENGTH = {"district": 6, "street": 9, "community": 12, "grid": 15}
# How far before the period's end the candidates' reports are looked for, widening until the counters are met.
WINDOWS = (timedelta(days=7), timedelta(days=40), timedelta(days=400), None)
REPORT_ONLY = frozenset(name for name, actions in core.COUNTED_BY.items() if actions == {"report"})
PAGE = 100
# What count_event counts from the event row alone (its action, from-state and data), for the counts whose rule
# needs no earlier event of the case (not 错派: the first return; not 处置: before any rework). For a key the
# case row decides (a region, a source, the whole city) such a count is read in the database, without a replay.
BY_ROW: dict[str, Q] = {
    **{name: Q() for name in ("accepted", "rejected", "verified", "refuted", "opened", "voided", "dispatched",
                              "returned", "shirked", "reworked", "extended", "parked", "escalated", "followed_up",
                              "reopened")},
    "closed": ~Q(source="self_accepted"),
    "closed_on_time": ~Q(source="self_accepted") & Q(data__on_time=True),
    "closed_late": ~Q(source="self_accepted") & Q(data__on_time=False),
    "self_handled": Q(source="self_accepted"),
}


@dataclass
class Listing:
    """The cases behind a number: how many, and the ids in order, a page at a time."""

    count: int
    ids: list[int] | None = None  # all of them, ascending; or
    query: QuerySet | None = None  # a query of them (its pk ascending), paged in the database

    def page(self, after: int = 0, size: int | None = None) -> tuple[list[int], int | None]:
        """(ids after case `after`, up to `size` (PAGE); the last id when there are more, else None): keyset
        pages, in id order; a query's in the order of its reports (reported_at, id), which its index range on
        reported_at gives without sorting a year of cases."""
        size = size or PAGE
        if self.query is not None:
            found = list(self._after(after).order_by("reported_at", "pk").values_list("pk", flat=True)[:size + 1])
        else:
            found = [i for i in self.ids if i > after][:size + 1]
        more = len(found) > size
        return found[:size], (found[size - 1] if more else None)

    def _after(self, after: int) -> QuerySet:
        reported = Case.objects.filter(pk=after).values_list("reported_at", flat=True).first() if after else None
        if reported is None:
            return self.query
        return self.query.filter(reported_at__gte=reported).exclude(reported_at=reported, pk__lte=after)

    def all(self) -> list[int]:
        if self.query is not None:
            return list(self.query.order_by("pk").values_list("pk", flat=True))
        return list(self.ids)


def listing(period: core.Period, dimension: str, key: str, indicator: str,
            bounds: tuple[datetime, datetime], fact_rows) -> Listing:
    """The cases behind base count `indicator` (core.FACT_NAMES) of row `key` of the `dimension` table;
    `fact_rows` reads the counters (report.fact_rows)."""
    if indicator not in core.FACT_NAMES:
        raise ValueError(indicator)
    if indicator in REPORT_ONLY and dimension != "department":
        query = _reported(bounds, dimension, key, indicator)
        return Listing(query.count(), query=query)
    ids = sorted(_replayed(period, dimension, key, indicator, bounds, counted(period, dimension, key, indicator,
                                                                           fact_rows)))
    return Listing(len(ids), ids=ids)


def _reported(bounds: tuple[datetime, datetime], dimension: str, key: str, indicator: str) -> QuerySet:
    """上报 / 公众举报: the cases reported in the period. The report event is a case's first (seq 1): the case is
    not opened yet, so it counts for class 0; its source and grid are the case's."""
    start, end = bounds
    cases = Case.objects.order_by().filter(reported_at__gte=start, reported_at__lt=end)
    if indicator == "public_reported":
        cases = cases.filter(source__in=sorted(core.PUBLIC_SOURCES))
    if dimension == "class":
        return cases if key in (ALL, "0") else cases.none()
    return matching(cases, dimension, key)


def matching(cases: QuerySet, dimension: str, key: str) -> QuerySet:
    """The cases whose own columns can put an event in row `key` (all of them for a department: which one an
    event counts for is the replay's)."""
    if key == ALL or dimension == "department":
        return cases
    if dimension in REGION_LENGTH:
        # key_matches: grid_code[:length] == key; a key shorter than the length matches only a grid code
        # that short.
        length = REGION_LENGTH[dimension]
        if len(key) == length:
            return cases.filter(grid_code__startswith=key)
        return cases.filter(grid_code=key) if len(key) < length else cases.none()
    if dimension == "source":
        return cases.filter(source=key)
    if dimension == "class":
        # Events before 立案 count for class 0, later ones for the case's class: 0 may be any case.
        return cases if key == "0" else cases.filter(klass_id=int(key))
    raise ValueError(dimension)


def counted(period: core.Period, dimension: str, key: str, indicator: str, fact_rows) -> int:
    """What the maintained counters say for the row: `fact_rows` (report.fact_rows: the monthly sums and the
    daily counters) for the district, department, class and source tables; the daily counters of the row's
    grids for the finer regions (their monthly sums do not keep grids)."""
    if dimension not in REGION_LENGTH or dimension == "district" or key == ALL:
        rows = fact_rows(period, "district" if dimension in REGION_LENGTH else dimension)
        return sum(row[indicator] or 0 for row in rows if key == ALL or str(row["k"]) == key)
    length = REGION_LENGTH[dimension]
    if len(key) > length:
        return 0
    rows = Tally.objects.filter(day__gte=period.first, day__lte=period.last)
    rows = rows.filter(grid_code__startswith=key) if len(key) == length else rows.filter(grid_code=key)
    return rows.aggregate(n=Sum(indicator))["n"] or 0


def _replayed(period: core.Period, dimension: str, key: str, indicator: str,
              bounds: tuple[datetime, datetime], expected: int) -> set[int]:
    if not expected:
        return set()
    start, end = bounds
    by_row = indicator in BY_ROW and (key == ALL or dimension in REGION_LENGTH or dimension == "source")
    found: set[int] = set()
    for window in WINDOWS:
        cases = matching(Case.objects.order_by().filter(reported_at__lt=end), dimension, key)
        if window is not None:
            cases = cases.filter(reported_at__gte=end - window)
        events = CaseEvent.objects.order_by().filter(
            case__in=cases, action__in=sorted(core.COUNTED_BY[indicator]), at__gte=start, at__lt=end)
        if by_row:  # one row per event counted
            counted_ids = list(events.filter(BY_ROW[indicator]).values_list("case_id", flat=True))
            found, events_counted = set(counted_ids), len(counted_ids)
        else:
            found, events_counted = _replay(period, dimension, key, indicator,
                                            sorted(set(events.values_list("case_id", flat=True))))
        if events_counted == expected:  # more: the counters are behind the log; the whole log decides
            break
    return found


def _replay(period: core.Period, dimension: str, key: str, indicator: str, ids: list[int]) -> tuple[set[int], int]:
    """(the cases, the events) counted in `indicator` for row `key` among these cases, by the replay."""
    found, events_counted = set(), 0
    for item in counting.replay(ids):
        if period.first <= item.day <= period.last and indicator in item.counted.facts \
                and key_matches(item.key, dimension, key):
            found.add(item.case_id)
            events_counted += 1
    return found, events_counted


def key_matches(fact_key: tuple, dimension: str, key: str) -> bool:
    """Whether a counted event's key (day, grid, class, department, source) is row `key` of the dimension."""
    _day, grid_code, class_id, department_id, source = fact_key
    if key == ALL:
        return True
    if dimension in REGION_LENGTH:
        return grid_code[: REGION_LENGTH[dimension]] == key
    return str({"department": department_id, "class": class_id, "source": source}[dimension]) == key
