"""Counters maintained event by event equal a full recount from the event log, after random workflows."""

import datetime as dt
import random

import pytest

from tests.evaluation.walker import walk
from urbangrid.cases.models import CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting, report
from urbangrid.evaluation.models import FACT_KEY, POST_KEY, PostTally, Tally

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
