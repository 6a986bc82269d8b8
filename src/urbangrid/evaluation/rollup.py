"""Monthly sums of the daily counters, for reports over months and years.

Three tables: TallyMonth (district × class × department × source), TallyHeadline (district × department) and
PostTallyMonth (person × post). They are maintained like the daily counters, in the event's transaction, with
the same deltas (counting.on_event: one more upsert per table, sent with the daily ones in one round trip), so
every month, the current one too, is always summed. A report reads them for the months its period covers,
and for a month it cuts either the days it takes or the month's sums less the days it leaves out, whichever
is fewer days (split()); the numbers are the same either way (tests/evaluation/test_recount.py). They are
rebuilt from the daily counters by a recount, after a bulk load (demo.history) and by the migration that
began maintaining them (the months then not yet summed).
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid.cases import clock
from urbangrid.core import evaluation as core
from urbangrid.evaluation.models import PostTally, PostTallyMonth, Tally, TallyHeadline, TallyMonth

MONTHLY = (TallyMonth, TallyHeadline, PostTallyMonth)


@transaction.atomic
def roll_up(month: date) -> None:
    """(Re)write one month's sums from the daily counters. Only while no events are counted (a recount, a bulk
    load, a migration): an event counted meanwhile could be lost or counted twice in the month's rows."""
    period = core.period("month", month)
    for model in MONTHLY:
        model.objects.filter(month=period.first).delete()
    facts = _sums((*core.FACT_NAMES, *core.FLOW_NAMES))
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


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from first's to last's, both included."""
    found, month = [], first.replace(day=1)
    while month <= last:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def rebuild(only_missing: bool = False) -> list[date]:
    """Sum every month of the daily counters again (only those with no sums yet: only_missing); the months
    written. Like roll_up, only while no events are counted."""
    found = Tally.objects.aggregate(first=Min("day"), last=Max("day"))
    posts = PostTally.objects.aggregate(first=Min("day"), last=Max("day"))
    days = [d for d in (*found.values(), *posts.values()) if d is not None]
    if not only_missing:
        for model in MONTHLY:
            model.objects.all().delete()
    if not days:
        return []
    done = set()
    if only_missing:
        # A month is summed into the three tables together: one of them having it is enough.
        done = {*TallyHeadline.objects.values_list("month", flat=True).distinct(),
                *PostTallyMonth.objects.values_list("month", flat=True).distinct()}
    made = [month for month in months_between(min(days), max(days)) if month not in done]
    for month in made:
        roll_up(month)
    return made


Days = tuple[date, date]


def split(period: core.Period, today: date | None = None) -> tuple[list[date], list[Days], list[Days]]:
    """How to read the period: (months whose sums to add, day ranges of daily counters to add, day ranges of
    daily counters to take away). A month the period covers is read from its sums. A month it cuts is read
    from the fewer days: the days it takes, or the month's sums less the days it leaves out. Days after today
    count for nothing either way, as no event is counted on a day that has not come: the first of this month
    to today is this month, and so is the third to today less the first two days. (Not so the overdue flows,
    counted ahead on the day a deadline will pass: report.overdue_counts reads them without split.)"""
    today = today or timezone.localdate(clock.now())
    months: list[date] = []
    plus: list[Days] = []
    minus: list[Days] = []
    for first in months_between(period.first, period.last):
        month = core.period("month", first)
        start, end = max(period.first, month.first), min(period.last, month.last)
        counted_until = min(month.last, today)  # the month's last day that can have counts
        taken = (min(end, counted_until) - start).days + 1
        left_out = (start - month.first).days + max(0, (counted_until - end).days)
        if taken <= 0:
            continue  # the period's part of this month is still to come
        if left_out <= 0:
            months.append(month.first)
        elif left_out < taken:
            months.append(month.first)
            if start > month.first:
                _add(minus, (month.first, start - timedelta(days=1)))
            if end < counted_until:
                _add(minus, (end + timedelta(days=1), counted_until))
        else:
            _add(plus, (start, end))
    return months, plus, minus


def _add(ranges: list[Days], days: Days) -> None:
    """Append, joining a range that continues the last one."""
    if ranges and ranges[-1][1] == days[0] - timedelta(days=1):
        ranges[-1] = (ranges[-1][0], days[1])
    else:
        ranges.append(days)
