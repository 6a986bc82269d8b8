"""The city's totals of several periods in a few queries, for the evaluation page's trend.

The same numbers as report.totals_row(report.table(period, "district")) for each period
(tests/evaluation/test_trend.py), without a scored table per period: the facts of every period's whole months
in one query of the district × department monthly sums, the days the periods cut from their months in one
query of the day sums (rollup.split says which), and 超期未处置 at each period's end from
report.overdue_counts (one query of the monthly balances for the periods that are over, the days each cuts,
the case rows for a period not yet over).
"""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Q, Sum

from urbangrid.core import evaluation as core
from urbangrid.evaluation import report, rollup
from urbangrid.evaluation.models import TallyHeadline, TallyHeadlineDay


def city_totals(periods: list[core.Period]) -> list[report.Row]:
    """One totals row (counts with 应处置/应结案, rates) per period, in the periods' order."""
    splits = [rollup.split(period) for period in periods]
    months = sorted({month for found, _plus, _minus in splits for month in found})
    ranges = sorted({days for _found, plus, minus in splits for days in (*plus, *minus)})
    by_month = _summed(TallyHeadline.objects.filter(month__in=months), "month")
    by_day: dict[date, Counter] = {}
    if ranges:
        within = Q()
        for first, last in ranges:
            within |= Q(day__gte=first, day__lte=last)
        by_day = _summed(TallyHeadlineDay.objects.filter(within), "day")
    overdue = report.overdue_counts(periods, "district")
    found = []
    for (whole, plus, minus), late in zip(splits, overdue, strict=True):
        summed = Counter()
        for month in whole:
            summed.update(by_month.get(month, Counter()))
        for first, last in plus:
            for day in _days(first, last):
                summed.update(by_day.get(day, Counter()))
        for first, last in minus:
            for day in _days(first, last):
                summed.subtract(by_day.get(day, Counter()))
        summed["overdue_unhandled"] = sum(late.values())
        counts = core.complete(summed)
        found.append(report.Row(report.ALL, "", counts, core.rates(counts)))
    return found


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _summed(rows, by: str) -> dict[date, Counter]:
    """The fact counts of `rows` summed per month or day (the city as a whole)."""
    sums = {n: Sum(n) for n in core.FACT_NAMES}
    found = {}
    for row in report.fetch(rows.values(by).annotate(**sums)):
        when = row.pop(by)
        found[when if isinstance(when, date) else date.fromisoformat(when)] = Counter(
            {n: v or 0 for n, v in row.items()})
    return found
