"""Monthly sums of the daily counters (TallyMonth), for reports over months and years.

A month is rolled up once it is over; a report over a period uses the rolled-up months that lie wholly
inside it and the daily counters for the rest, so the numbers are the same either way (a test checks).
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid.cases import clock
from urbangrid.core import evaluation as core
from urbangrid.evaluation.models import Tally, TallyMonth

JOB = "evaluation.rollup"


@transaction.atomic
def roll_up(month: date) -> None:
    """(Re)write one month's sums from the daily counters."""
    period = core.period("month", month)
    TallyMonth.objects.filter(month=period.first).delete()
    rows = (Tally.objects.filter(day__gte=period.first, day__lte=period.last)
            .values("class_id", "department_id", "source", district=Substr("grid_code", 1, 6))
            .annotate(**{f"sum_{n}": Sum(n) for n in core.FACT_NAMES}))
    TallyMonth.objects.bulk_create(
        (TallyMonth(month=period.first, district=r["district"], class_id=r["class_id"],
                    department_id=r["department_id"], source=r["source"],
                    **{n: r[f"sum_{n}"] or 0 for n in core.FACT_NAMES}) for r in rows.iterator()),
        batch_size=2000,
    )


def rolled_months() -> set[date]:
    return set(TallyMonth.objects.values_list("month", flat=True).distinct())


def roll_up_past(rebuild: bool = False) -> list[date]:
    """The worker's job: roll up every month that is over and not rolled up yet (all of them on rebuild)."""
    first = Tally.objects.aggregate(first=Min("day"))["first"]
    if first is None:
        return []
    # An hour's grace: an event stamped 23:59 on the last day may commit a moment after midnight.
    current = timezone.localdate(clock.now() - timedelta(hours=1)).replace(day=1)
    done = set() if rebuild else rolled_months()
    if rebuild:
        TallyMonth.objects.all().delete()
    made, month = [], first.replace(day=1)
    while month < current:
        if month not in done:
            roll_up(month)
            made.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return made


def split(period: core.Period, rolled: set[date]) -> tuple[list[date], list[tuple[date, date]]]:
    """The rolled-up months wholly inside the period, and the day ranges left for the daily counters."""
    months, rest = [], []
    day = period.first
    while day <= period.last:
        month = core.period("month", day)
        if day == month.first and month.last <= period.last and month.first in rolled:
            months.append(month.first)
            day = month.last + timedelta(days=1)
            continue
        end = min(month.last, period.last)
        if rest and rest[-1][1] == day - timedelta(days=1):
            rest[-1] = (rest[-1][0], end)
        else:
            rest.append((day, end))
        day = end + timedelta(days=1)
    return months, rest
