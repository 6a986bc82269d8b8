"""Monthly sums of the daily counters, for reports over months and years.

A month is rolled up once it is over, into three tables: TallyMonth (district × class × department × source),
TallyHeadline (district × department, summed from TallyMonth) and PostTallyMonth (person × post). A report
over a period uses the rolled-up months that lie wholly inside it and the daily counters for the rest, so
the numbers are the same either way (tests/evaluation/test_recount.py checks, and that a recount rebuilds
them). Why not in the event's transaction: a past month no longer changes, and every upsert more on each event
is paid by intake.
"""

from datetime import date, timedelta

from django.db import connection, transaction
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
    facts = _sums(core.FACT_NAMES)
    _insert(TallyMonth, period.first, Tally.objects.filter(day__gte=period.first, day__lte=period.last)
            .values("class_id", "department_id", "source", district=Substr("grid_code", 1, 6)).annotate(**facts))
    _insert(TallyHeadline, period.first, TallyMonth.objects.filter(month=period.first)
            .values("district", "department_id").annotate(**facts))
    _insert(PostTallyMonth, period.first, PostTally.objects.filter(day__gte=period.first, day__lte=period.last)
            .values("user_id", "post").annotate(**_sums(core.POST_NAMES)))


SUM = "sum_"  # an annotation may not take a field's name: the sums are named sum_<column>


def _sums(names: tuple[str, ...]) -> dict:
    return {SUM + n: Sum(n) for n in names}


def _insert(model, month: date, rows) -> None:
    """INSERT INTO model (month, …) SELECT month, … FROM (the grouped query): the sums never leave the
    database (the ORM would build a model instance per row). The grouped query's columns are its fields,
    then its annotations, each named as the target's column (the sums with SUM before it)."""
    sql, params = rows.query.sql_with_params()
    q = connection.ops.quote_name
    names = ("month", *rows.query.values_select, *(a.removeprefix(SUM) for a in rows.query.annotation_select))
    columns = ", ".join(q(c) for c in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(model._meta.db_table)} ({columns}) SELECT %s, grouped.* FROM ({sql}) grouped",
                       [connection.ops.adapt_datefield_value(month), *params])


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
