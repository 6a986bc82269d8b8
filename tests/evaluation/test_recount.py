"""Counters maintained event by event equal a full recount from the event log, after random workflows."""

import random

import pytest

from tests.evaluation.walker import walk
from urbangrid.cases.models import CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting
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
