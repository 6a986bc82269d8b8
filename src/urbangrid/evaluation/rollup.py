"""Monthly sums of the daily counters, for reports over months and years.

Three tables: TallyMonth (district × class × department × source), TallyHeadline (district × department) and
PostTallyMonth (person × post). They are maintained like the daily counters, in the event's transaction, with
the same deltas (counting.on_event: one more upsert per table, sent with the daily ones in one round trip), so
every month, the current one too, is always summed. A report reads them for the months its period covers,
and for a month it cuts either the days it takes or the month's sums less the days it leaves out, whichever
is fewer days (split()); the numbers are the same either way (tests/evaluation/test_recount.py). They are
rebuilt from the daily counters by a recount, after a bulk load (demo.history) and by the migration that
began maintaining them (the months then not yet summed).

The street and community tables read TallyCommunityMonth (month × community); the days a period cuts from its
months come from the day sums TallyHeadlineDay (day × district × department), TallyCommunityDay (day ×
community) and TallyClassDay (day × class × source), a few hundred rows a day each instead of Tally's tens of
thousands. FACT_SUMS lists every table
of summed fact counts and how a daily counter's key maps to its key: counting bumps them all with the same
deltas, roll_up rewrites them, report.sums_for picks the one a table reads.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid.cases import clock
from urbangrid.core import evaluation as core
from urbangrid.evaluation.models import (
    CLASS_DAY_KEY,
    COMMUNITY_DAY_KEY,
    COMMUNITY_MONTH_KEY,
    FACT_KEY,
    HEADLINE_DAY_KEY,
    HEADLINE_KEY,
    MONTH_FACT_KEY,
    PostTally,
    PostTallyMonth,
    Tally,
    TallyClassDay,
    TallyCommunityDay,
    TallyCommunityMonth,
    TallyHeadline,
    TallyHeadlineDay,
    TallyMonth,
)

MONTHLY = (TallyMonth, TallyHeadline, PostTallyMonth)
BY_DAY = (TallyHeadlineDay, TallyCommunityDay, TallyClassDay)  # the day sums, rewritten with the monthly ones
COMMUNITY = 12  # characters of a grid code that name its community (district 6, street 9)


@dataclass(frozen=True)
class Sums:
    """A table of fact counts (FACT_COUNTS and the overdue flows) keyed by `key`, whose columns come from a
    daily counter's key: day or month, the grid code whole or cut to its district or community, class,
    department, source."""

    model: type
    key: tuple[str, ...]

    @property
    def monthly(self) -> bool:
        return self.key[0] == "month"

    def key_of(self, fact_key: tuple) -> tuple:
        day, grid_code, class_id, department_id, source = fact_key
        values = {"day": day, "month": day.replace(day=1), "grid_code": grid_code, "district": grid_code[:6],
                  "community": grid_code[:COMMUNITY], "class_id": class_id, "department_id": department_id,
                  "source": source}
        return tuple(values[name] for name in self.key)


DAILY = Sums(Tally, FACT_KEY)
FACT_SUMS = (
    DAILY, Sums(TallyMonth, MONTH_FACT_KEY), Sums(TallyHeadline, HEADLINE_KEY),
    Sums(TallyCommunityMonth, COMMUNITY_MONTH_KEY), Sums(TallyHeadlineDay, HEADLINE_DAY_KEY),
    Sums(TallyCommunityDay, COMMUNITY_DAY_KEY), Sums(TallyClassDay, CLASS_DAY_KEY),
)


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
    roll_up_regions_and_days(period)


def roll_up_regions_and_days(period: core.Period) -> None:
    """The month's community sums and its day sums (TallyCommunityMonth, TallyHeadlineDay, TallyCommunityDay,
    TallyClassDay) from the daily counters, the month's rows deleted first."""
    for model in BY_DAY:
        model.objects.filter(day__gte=period.first, day__lte=period.last).delete()
    TallyCommunityMonth.objects.filter(month=period.first).delete()
    facts = _sums((*core.FACT_NAMES, *core.FLOW_NAMES))
    days = Tally.objects.filter(day__gte=period.first, day__lte=period.last)
    _insert(TallyHeadlineDay, None, days.values("day", "department_id", district=Substr("grid_code", 1, 6))
            .annotate(**facts))
    _insert(TallyCommunityDay, None, days.values("day", community=Substr("grid_code", 1, COMMUNITY))
            .annotate(**facts))
    _insert(TallyClassDay, None, days.values("day", "class_id", "source").annotate(**facts))
    _insert(TallyCommunityMonth, period.first, TallyCommunityDay.objects.filter(
        day__gte=period.first, day__lte=period.last).values("community").annotate(**facts))


SUM = "sum_"  # an annotation may not take a field's name: the sums are named sum_<column>


def _sums(names: tuple[str, ...]) -> dict:
    return {SUM + n: Sum(n) for n in names}


def _insert(model, month: date | None, rows) -> None:
    """INSERT INTO model (month, …) SELECT month, … FROM (the grouped query): the sums never leave the
    database (the ORM would build a model instance per row). The grouped query's columns are its fields,
    then its annotations, each named as the target's column (the sums with SUM before it). month None: the
    grouped query has all the key columns (the day sums)."""
    sql, params = rows.query.sql_with_params()
    q = connection.ops.quote_name
    names = (*rows.query.values_select, *(a.removeprefix(SUM) for a in rows.query.annotation_select))
    if month is not None:
        names = ("month", *names)
        sql, params = f"SELECT %s, grouped.* FROM ({sql}) grouped", [connection.ops.adapt_datefield_value(month),
                                                                     *params]
    columns = ", ".join(q(c) for c in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(model._meta.db_table)} ({columns}) {sql}", params)


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
        for model in (*MONTHLY, TallyCommunityMonth, *BY_DAY):
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
