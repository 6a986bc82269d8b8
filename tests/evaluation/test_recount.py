"""Counters maintained event by event equal a full recount from the event log, after random workflows."""

import datetime as dt
import random

import pytest

from tests.evaluation.walker import walk
from urbangrid.cases.models import CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting, report, rollup
from urbangrid.evaluation.models import FACT_KEY, POST_KEY, PostTally, PostTallyMonth, Tally, TallyHeadline, TallyMonth

pytestmark = pytest.mark.django_db


def snapshot(model, key, names) -> dict:
    return {tuple(row[k] for k in key): tuple(row[n] for n in names)
            for row in model.objects.values(*key, *names) if any(row[n] for n in names)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recount_equals_incremental_counters(cast, now, seed):
    walk(cast, now, random.Random(seed))
    assert CaseEvent.objects.count() > 100
    facts = snapshot(Tally, FACT_KEY, core.FACT_NAMES)
    posts = snapshot(PostTally, POST_KEY, core.POST_NAMES)
    # The walk must reach the interesting counts, or equality proves little.
    totals = {n: sum(v[i] for v in facts.values()) for i, n in enumerate(core.FACT_NAMES)}
    reached = ("opened", "dispatched", "handled", "closed", "returned", "voided", "reworked", "extended", "parked")
    assert all(totals[n] > 0 for n in reached), totals
    assert len(posts) > 10

    Tally.objects.all().delete()
    PostTally.objects.all().delete()
    counting.recount()

    assert snapshot(Tally, FACT_KEY, core.FACT_NAMES) == facts
    assert snapshot(PostTally, POST_KEY, core.POST_NAMES) == posts


ROLLED_TABLES = (
    (TallyMonth, ("district", "class_id", "department_id", "source"), core.FACT_NAMES),
    (TallyHeadline, ("district", "department_id"), core.FACT_NAMES),
    (PostTallyMonth, ("user_id", "post"), core.POST_NAMES),
)


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


def test_monthly_sums_give_the_same_tables_as_the_daily_counters(cast, now):
    walk(cast, now, random.Random(11), cases=20, steps=30)
    now.move(days=40)  # the walk's months are over
    first = CaseEvent.objects.order_by("at").first().at.date()
    period = core.period("custom", first, now.at.date())
    daily = {d: report.table(period, d) for d in report.ROLLED_UP}
    daily_posts = report.post_table(period)
    made = rollup.roll_up_past()
    assert made and rollup.roll_up_past() == []  # once each
    assert TallyMonth.objects.exists() and TallyHeadline.objects.exists() and PostTallyMonth.objects.exists()
    # The headline table really is coarser, or it would buy nothing.
    assert TallyHeadline.objects.count() < TallyMonth.objects.count()
    months, days = rollup.split(period, rollup.rolled_months())
    assert months and days
    for dimension, rows in daily.items():
        assert [(r.key, r.counts) for r in report.table(period, dimension)] == [(r.key, r.counts) for r in rows]
    assert [(r.key, r.counts) for r in report.post_table(period)] == [(r.key, r.counts) for r in daily_posts]
    before = {m: snapshot(m, ("month", *key), names) for m, key, names in ROLLED_TABLES}
    counting.recount()  # rebuilds the monthly sums too, to the same rows
    assert sorted(rollup.rolled_months()) == sorted(made)
    assert {m: snapshot(m, ("month", *key), names) for m, key, names in ROLLED_TABLES} == before
    assert [(r.key, r.counts) for r in report.table(period, "department")] == [
        (r.key, r.counts) for r in daily["department"]]


def test_split_into_months_and_days():
    rolled = {dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 4, 1)}
    period = core.period("custom", dt.date(2025, 12, 20), dt.date(2026, 4, 10))
    months, days = rollup.split(period, rolled)
    assert months == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert days == [(dt.date(2025, 12, 20), dt.date(2025, 12, 31)), (dt.date(2026, 3, 1), dt.date(2026, 4, 10))]


def test_fetch_of_an_empty_selection_is_empty(db):
    assert report.fetch(TallyHeadline.objects.filter(month__in=[]).values("district")) == []
