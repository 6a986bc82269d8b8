"""Monthly sums of the daily counters, for reports over months and years.

A month is rolled up once it is over, into three tables: TallyMonth (district × class × department × source),
TallyHeadline (district × department, summed from TallyMonth) and PostTallyMonth (person × post). A report
over a period uses the rolled-up months that lie wholly inside it and the daily counters for the rest, so
the numbers are the same either way (tests/evaluation/test_recount.py checks, and that a recount rebuilds
them). Why not in the event's transaction: a past month no longer changes, and every upsert more on each event
is paid by intake.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid.cases import clock
from urbangrid.core import evaluation as core
from urbangrid.evaluation.models import PostTally, PostTallyMonth, Tally, TallyHeadline, TallyMonth

JOB = "evaluation.rollup"


@transaction.atomic
def roll_up(month: date) -> None:
    """(Re)write one month's sums from the daily counters."""
    period = core.period("month", month)
    for model in (TallyMonth, TallyHeadline, PostTallyMonth):
        model.objects.filter(month=period.first).delete()
    sums = {f"sum_{n}": Sum(n) for n in core.FACT_NAMES}
    rows = (Tally.objects.filter(day__gte=period.first, day__lte=period.last)
            .values("class_id", "department_id", "source", district=Substr("grid_code", 1, 6)).annotate(**sums))
    _write(TallyMonth, period.first, rows, ("district", "class_id", "department_id", "source"), core.FACT_NAMES)
    rows = TallyMonth.objects.filter(month=period.first).values("district", "department_id").annotate(**sums)
    _write(TallyHeadline, period.first, rows, ("district", "department_id"), core.FACT_NAMES)
    rows = (PostTally.objects.filter(day__gte=period.first, day__lte=period.last).values("user_id", "post")
            .annotate(**{f"sum_{n}": Sum(n) for n in core.POST_NAMES}))
    _write(PostTallyMonth, period.first, rows, ("user_id", "post"), core.POST_NAMES)


def _write(model, month: date, rows, key: tuple[str, ...], names: tuple[str, ...]) -> None:
    model.objects.bulk_create(
        (model(month=month, **{k: r[k] for k in key}, **{n: r[f"sum_{n}"] or 0 for n in names})
         for r in rows.iterator()),
        batch_size=2000,
    )


def rolled_months() -> set[date]:
    # From the smallest of the three tables: they are written together.
    return set(TallyHeadline.objects.values_list("month", flat=True).distinct())


def roll_up_past(rebuild: bool = False) -> list[date]:
    """The worker's job: roll up every month that is over and not rolled up yet (all of them on rebuild)."""
    first = Tally.objects.aggregate(first=Min("day"))["first"]
    if first is None:
        return []
    # An hour's grace: an event stamped 23:59 on the last day may commit a moment after midnight.
    current = timezone.localdate(clock.now() - timedelta(hours=1)).replace(day=1)
    done = set() if rebuild else rolled_months()
    if rebuild:
        for model in (TallyMonth, TallyHeadline, PostTallyMonth):
            model.objects.all().delete()
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
