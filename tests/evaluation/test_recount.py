"""Counters maintained event by event equal a full recount from the event log, after random workflows; the
monthly sums maintained with them equal the daily counters summed, and reports read either way agree."""

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from tests.evaluation.walker import walk
from urbangrid.cases.models import CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting, report, rollup
from urbangrid.evaluation.models import (
    CLASS_DAY_KEY,
    COMMUNITY_DAY_KEY,
    COMMUNITY_MONTH_KEY,
    FACT_KEY,
    HEADLINE_DAY_KEY,
    HEADLINE_KEY,
    MONTH_FACT_KEY,
    MONTH_POST_KEY,
    POST_KEY,
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

pytestmark = pytest.mark.django_db


def snapshot(model, key, names) -> dict:
    return {tuple(row[k] for k in key): tuple(row[n] for n in names)
            for row in model.objects.values(*key, *names) if any(row[n] for n in names)}


FACTS_AND_FLOWS = (*core.FACT_NAMES, *core.FLOW_NAMES)
COUNTERS = (
    (Tally, FACT_KEY, FACTS_AND_FLOWS),
    (PostTally, POST_KEY, core.POST_NAMES),
    (TallyMonth, MONTH_FACT_KEY, FACTS_AND_FLOWS),
    (TallyHeadline, HEADLINE_KEY, FACTS_AND_FLOWS),
    (PostTallyMonth, MONTH_POST_KEY, core.POST_NAMES),
    (TallyCommunityMonth, COMMUNITY_MONTH_KEY, FACTS_AND_FLOWS),
    (TallyHeadlineDay, HEADLINE_DAY_KEY, FACTS_AND_FLOWS),
    (TallyCommunityDay, COMMUNITY_DAY_KEY, FACTS_AND_FLOWS),
    (TallyClassDay, CLASS_DAY_KEY, FACTS_AND_FLOWS),
)


def snapshots() -> dict:
    return {model: snapshot(model, key, names) for model, key, names in COUNTERS}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recount_equals_incremental_counters(cast, now, seed):
    walk(cast, now, random.Random(seed))
    assert CaseEvent.objects.count() > 100
    # The walk starts on the last day of a month and runs on into a month not yet over when it stops.
    days = {timezone.localdate(at) for at in CaseEvent.objects.values_list("at", flat=True)}
    months = {d.replace(day=1) for d in days}
    assert len(months) >= 2 and timezone.localdate(now.at).replace(day=1) in months
    maintained = snapshots()
    facts = maintained[Tally]
    # The walk must reach the interesting counts, or equality proves little.
    totals = {n: sum(v[i] for v in facts.values()) for i, n in enumerate(FACTS_AND_FLOWS)}
    reached = ("opened", "dispatched", "handled", "closed", "returned", "voided", "reworked", "extended", "parked",
               "overdue_began", "overdue_ended")
    assert all(totals[n] > 0 for n in reached), totals
    assert len(maintained[PostTally]) > 10
    assert {m for m, *_rest in maintained[TallyHeadline]} == months

    for model, _key, _names in COUNTERS:
        model.objects.all().delete()
    counting.recount()

    assert snapshots() == maintained
    # And the monthly sums kept event by event are the daily counters summed.
    rollup.rebuild()
    assert snapshots() == maintained


def by_dimension_from_days(first: dt.date, last: dt.date, dimension: str) -> dict[str, Counter]:
    """What a report by `dimension` must say for these days, from the daily counters alone, in Python."""
    found: dict[str, Counter] = defaultdict(Counter)
    for row in Tally.objects.filter(day__gte=first, day__lte=last).values():
        key = {"district": row["grid_code"][:6], "street": row["grid_code"][:9], "community": row["grid_code"][:12],
               "department": row["department_id"], "class": row["class_id"], "source": row["source"]}[dimension]
        found[str(key)].update({n: row[n] for n in core.FACT_NAMES})
    return {k: +c for k, c in found.items() if +c}


def posts_from_days(first: dt.date, last: dt.date) -> dict[tuple, Counter]:
    found: dict[tuple, Counter] = defaultdict(Counter)
    for row in PostTally.objects.filter(day__gte=first, day__lte=last).values():
        found[(row["user_id"], row["post"])].update({n: row[n] for n in core.POST_NAMES})
    return {k: +c for k, c in found.items() if +c}


def summed(rows: list[dict], key) -> dict:
    """Rows added up per key; keys that come to nothing left out, and a negative count kept (to fail)."""
    found: dict = defaultdict(Counter)
    for row in rows:
        row = dict(row)
        found[key(row)].update({n: v or 0 for n, v in row.items()})
    return {k: Counter({n: v for n, v in c.items() if v}) for k, c in found.items() if any(c.values())}


def test_reports_over_any_days_read_from_months_and_days_equal_the_daily_counters(cast, now):
    walk(cast, now, random.Random(5), cases=20, steps=30)
    first = timezone.localdate(CaseEvent.objects.order_by("at").first().at)
    today = timezone.localdate(now.at)
    assert (today.year, today.month) != (first.year, first.month)
    rng = random.Random(5)
    periods = [core.period("month", today), core.period("year", today), core.period("quarter", today),
               core.period("custom", first, today), core.period("custom", first.replace(day=1), today)]
    for _ in range(12):  # random ranges, most of them cutting months at both ends
        a, b = sorted(first + dt.timedelta(days=rng.randrange((today - first).days + 40)) for _ in range(2))
        periods.append(core.period("custom", a, b))
    used_months = used_days = used_less = 0
    for period in periods:
        months, days, less = rollup.split(period)
        used_months += bool(months)
        used_days += bool(days)
        used_less += bool(less)
        for dimension in report.ROLLED_UP:
            got = summed(report.fact_rows(period, dimension), lambda row: str(row.pop("k")))
            assert got == by_dimension_from_days(period.first, period.last, dimension), (period, dimension)
        got = summed(report.post_rows(period), lambda row: (row.pop("user_id"), row.pop("post")))
        assert got == posts_from_days(period.first, period.last), period
    assert used_months > 3 and used_days > 3 and used_less > 1  # every path really was taken


def test_an_event_just_before_midnight_counts_in_its_month(cast, now):
    """Events are stamped when they happen (never back-dated); one stamped 23:59:59 on a month's last day may
    commit after midnight, and still counts in that day's month, daily and monthly alike."""
    from tests.cases.builders import reported

    now.at = now.at.replace(hour=23, minute=59, second=59)  # Mon 2026-11-30, the last day of November
    reported(cast)
    (row,) = TallyHeadline.objects.filter(reported__gt=0)
    assert row.month == dt.date(2026, 11, 1)
    now.move(seconds=2)  # December: its month is the current one, summed as it goes
    reported(cast)
    assert TallyHeadline.objects.get(month=dt.date(2026, 12, 1)).reported == 1
    december = core.period("month", now.at.date())
    assert rollup.split(december) == ([dt.date(2026, 12, 1)], [], [])
    assert report.table(december, "district")[0].counts["reported"] == 1
    assert report.table(core.period("custom", dt.date(2026, 11, 30), now.at.date()), "district")[0].counts[
        "reported"] == 2


def overdue_by_brute_force(end) -> set[int]:
    """Every case's last event before `end`, straight from the log."""
    last = {}
    for event in CaseEvent.objects.filter(at__lt=end).order_by("case_id", "seq"):
        last[event.case_id] = event
    return {cid for cid, e in last.items() if e.target in report.WITH_DEPARTMENT and e.due_after and e.due_after < end}


def test_overdue_at_any_period_end_matches_the_log(cast, now):
    walk(cast, now, random.Random(7), cases=15)
    first = CaseEvent.objects.order_by("at").first().at.date()
    found_some = False
    for offset in range(0, 40, 3):
        period = core.period("day", first + dt.timedelta(days=offset))
        _start, end = report.bounds(period)
        expected = overdue_by_brute_force(min(end, now.at))
        assert {c["id"] for c in report.overdue(period)} == expected, period
        found_some |= bool(expected)
    assert found_some


def test_split_into_months_and_days():
    nov30 = dt.date(2026, 11, 30)
    period = core.period("custom", dt.date(2025, 12, 20), dt.date(2026, 4, 10))
    months, days, less = rollup.split(period, today=nov30)
    assert months == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert days == [(dt.date(2025, 12, 20), dt.date(2025, 12, 31)), (dt.date(2026, 4, 1), dt.date(2026, 4, 10))]
    assert less == []
    # A period that leaves out only days still to come covers its last month: nothing is counted on them.
    assert rollup.split(period, today=dt.date(2026, 4, 10)) == (
        [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)],
        [(dt.date(2025, 12, 20), dt.date(2025, 12, 31))], [])
    # A month mostly taken: its sums less the few days left out, at either end.
    most = core.period("custom", dt.date(2026, 1, 4), dt.date(2026, 2, 26))
    assert rollup.split(most, today=nov30) == (
        [dt.date(2026, 1, 1), dt.date(2026, 2, 1)], [],
        [(dt.date(2026, 1, 1), dt.date(2026, 1, 3)), (dt.date(2026, 2, 27), dt.date(2026, 2, 28))])
    # The last 30 days: November less its first days, December's days that have come (none yet on 11-30).
    last30 = core.period("custom", dt.date(2026, 11, 3), dt.date(2026, 12, 2))
    assert rollup.split(last30, today=nov30) == ([dt.date(2026, 11, 1)], [], [(dt.date(2026, 11, 1),
                                                                                 dt.date(2026, 11, 2))])
    # The current week cutting two months reads days; the current year and month read months only.
    week = core.period("week", dt.date(2026, 12, 2))
    assert rollup.split(week, today=dt.date(2026, 12, 2)) == ([dt.date(2026, 12, 1)], [(week.first, week.first)], [])
    year = core.period("year", dt.date(2026, 12, 2))
    assert rollup.split(year, today=dt.date(2026, 12, 2)) == ([dt.date(2026, m, 1) for m in range(1, 13)], [], [])


def test_rebuild_sums_only_the_missing_months_and_the_migration_does_the_same(cast, now):
    import importlib

    from django.apps import apps

    walk(cast, now, random.Random(11), cases=12, steps=30)
    maintained = snapshots()
    current = timezone.localdate(now.at).replace(day=1)
    # A database of before: the worker had summed only the months that were over.
    for model in rollup.MONTHLY:
        model.objects.filter(month=current).delete()
    assert rollup.rebuild(only_missing=True) == [current]
    assert snapshots() == maintained
    for model in rollup.MONTHLY:
        model.objects.filter(month=current).delete()
    migration = importlib.import_module("urbangrid.evaluation.migrations.0006_monthly_sums_maintained")
    migration.sum_missing_months(apps, None)
    assert snapshots() == maintained


def test_fetch_of_an_empty_selection_is_empty(db):
    assert report.fetch(TallyHeadline.objects.filter(month__in=[]).values("district")) == []


def test_the_migration_counts_the_stays_already_in_the_log_as_the_events_do(cast, now):
    """A database of before the overdue balance was maintained: the migration replays the log's stays with a
    department into the daily counters and the monthly sums, adding to the counts they hold."""
    import importlib

    from django.apps import apps

    walk(cast, now, random.Random(13), cases=12, steps=30)
    maintained = snapshots()
    assert any(v[-2] for v in maintained[Tally].values())  # overdue_began was reached
    for model in (Tally, TallyMonth, TallyHeadline):
        model.objects.update(overdue_began=0, overdue_ended=0)
    migration = importlib.import_module("urbangrid.evaluation.migrations.0007_overdue_balance")
    migration.count_stays(apps, None)
    assert snapshots() == maintained


def test_the_migration_sums_the_daily_counters_into_the_community_and_day_sums(cast, now):
    """A database of before the community and day sums: the migration fills them from the daily counters,
    as the events would have."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    walk(cast, now, random.Random(17), cases=12, steps=30)
    maintained = snapshots()
    assert all(maintained[m] for m in (TallyCommunityDay, TallyHeadlineDay, TallyCommunityMonth, TallyClassDay))
    for model in (TallyCommunityMonth, TallyHeadlineDay, TallyCommunityDay, TallyClassDay):
        model.objects.all().delete()
    migration = importlib.import_module("urbangrid.evaluation.migrations.0008_region_months")
    migration.sum_regions_and_days(apps, SimpleNamespace(connection=connection))
    assert snapshots() == maintained


@pytest.mark.parametrize("seed", [4, 5])
def test_collectors_counts_follow_random_grid_changes_and_equal_a_recount(cast, now, seed):
    """漏报 and 网格立案数 count for whoever held the grid on the event's day; the walk moves grids between two
    collectors between its steps (changes count from the next day), and a recount finds the same counts."""
    from tests.cases.helpers import person
    from tests.factories import appoint, certified_collector
    from urbangrid.accounts.models import Appointment, GridSpell

    ma = person("ma", "监督员马")
    appoint(ma, "collector", Appointment.objects.get(user=cast.li).organisation)
    profiles = (cast.li.collector, certified_collector(ma, dt.date(2030, 12, 31)))
    grids = [cast.areas["grid1"], cast.areas["grid4"]]  # where the walk's cases are

    def move_grids(rng: random.Random) -> None:
        if rng.random() < 0.15:
            grid = rng.choice(grids)
            giver, taker = rng.sample(profiles, 2)
            giver.grids.remove(grid)
            taker.grids.add(grid)
        if rng.random() < 0.05:  # both, for a while
            rng.choice(profiles).grids.add(rng.choice(grids))

    walk(cast, now, random.Random(seed), cases=25, steps=25, between=move_grids)
    assert GridSpell.objects.filter(began__isnull=False).count() > 5
    maintained = snapshots()
    reached = Counter()
    for (_day, user, _post), values in maintained[PostTally].items():
        for name in ("reports", "missed", "opened_in_grids"):
            reached[(user, name)] += values[core.POST_NAMES.index(name)]
    assert all(reached[(user.pk, "opened_in_grids")] > 0 for user in (cast.li, ma)), reached
    assert sum(reached[(user.pk, "missed")] for user in (cast.li, ma)) > 0, reached

    for model, _key, _names in COUNTERS:
        model.objects.all().delete()
    counting.recount()
    assert snapshots() == maintained
