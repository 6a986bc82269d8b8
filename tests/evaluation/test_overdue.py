"""超期未处置 at a period's end from the maintained balance (overdue_began − overdue_ended summed to the day) equals
the replay of the event log (report.overdue), per key of every dimension; and hand-computed stays: an
extension past now, a suspension, a return and a re-dispatch, a deadline a minute before midnight, and the
sweep run by two workers counting nothing."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from tests.cases.builders import CLASSIFY, reported, walk
from tests.cases.helpers import SHANGHAI
from tests.evaluation.test_recount import snapshots
from tests.evaluation.walker import walk as random_walk
from urbangrid.cases import sweep
from urbangrid.cases.models import CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import report
from urbangrid.evaluation.models import Tally

pytestmark = pytest.mark.django_db
DIMENSIONS = ("district", "street", "grid", "department", "class", "source")


def replayed(period, dimension) -> Counter:
    return Counter(report._key_of(case, dimension) for case in report.overdue(period, narrow=False))


@pytest.mark.parametrize("seed", [3, 8])
def test_the_balance_equals_the_replay_at_every_period_end(cast, now, seed):
    random_walk(cast, now, random.Random(seed), cases=15, steps=30)
    first = timezone.localdate(CaseEvent.objects.order_by("at").first().at)
    today = timezone.localdate(now.at)
    periods = [core.period("day", first + dt.timedelta(days=n)) for n in range((today - first).days + 2)]
    periods += [core.period("week", first), core.period("month", first), core.period("month", today),
                core.period("year", today), core.period("custom", first, today - dt.timedelta(days=1))]
    seen = 0
    for dimension in DIMENSIONS:
        counted = report.overdue_counts(periods, dimension)
        for period, balance in zip(periods, counted, strict=True):
            expected = replayed(period, dimension)
            assert balance == expected, (period, dimension)
            seen += sum(expected.values())
            for key in expected:  # the drill-down narrowed to one row lists the same cases
                narrowed = report.overdue(period, dimension, key)
                assert len(narrowed) == expected[key], (period, dimension, key)
    assert seen > 20  # overdue cases were there to count, past and present


def at(day: int, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime(2026, 11, 30, hours, minutes, tzinfo=SHANGHAI) + dt.timedelta(days=day)


def dispatched(cast, now, department, take=True):
    case = reported(cast)
    steps = [("wang", "accept", {}), ("zhao", "open", CLASSIFY),
             ("sun", "dispatch", {"department_id": department.pk, "reason": "按职责派遣"})]
    return walk(cast, case, steps + [("zhou" if department == cast.shizheng else "wu", "take", {})] * take)


def overdue_at_end_of(day: int, dimension: str = "department") -> Counter:
    return report.overdue_counts([core.period("day", dt.date(2026, 11, 30) + dt.timedelta(days=day))],
                                 dimension)[0]


def test_extension_suspension_and_return_end_a_stay_for_the_department_it_was_with(cast, now):
    # Mon 09:00, 4 working hours (08–12, 14–18): due Mon 15:00.
    extended, parked, returned = (dispatched(cast, now, cast.shizheng, take=n < 2) for n in range(3))
    assert extended.due_at == at(0, "15:00")
    shizheng, yuanlin = str(cast.shizheng.pk), str(cast.yuanlin.pk)
    now.at = at(1, "09:00")  # Tue: all three overdue since Monday 15:00
    extended = walk(cast, extended, [("zhou", "request_extension", {"reason": "工程量大", "duration": 2,
                                                                    "duration_unit": "work_days"}),
                                     ("sun", "approve_extension", {})])
    assert extended.due_at > now.at  # extended past now: no longer overdue
    parked = walk(cast, parked, [("zhou", "request_park", {"reason": "需要专项资金"}), ("sun", "approve_park", {})])
    returned = walk(cast, returned, [("zhou", "request_return", {"reason": "非本单位职责",
                                                                 "return_reason": "not_ours"}),
                                     ("sun", "approve_return", {}),
                                     ("sun", "dispatch", {"department_id": cast.yuanlin.pk, "reason": "按职责派遣"})])
    assert overdue_at_end_of(0) == {shizheng: 3}
    assert overdue_at_end_of(1) == {}  # Tuesday is not over: now (09:00) 园林局's deadline, 15:00, is to come
    now.at = at(2, "09:00")  # Wed: 园林局's deadline has passed
    assert overdue_at_end_of(1) == {yuanlin: 1}
    assert overdue_at_end_of(2) == {yuanlin: 1}  # now
    assert sorted(c["id"] for c in report.overdue(core.period("day", dt.date(2026, 11, 30)), "department", shizheng)) \
        == sorted([extended.pk, parked.pk, returned.pk])
    # The flows behind it, as written: 3 began Monday for 市政局 (taking the case or asking for something goes
    # on with the same stay) and ended Tuesday; 园林局's began Tuesday; the extended deadline's day begins again.
    flows = Counter()
    for row in Tally.objects.values("day", "department_id", "overdue_began",
                                                                           "overdue_ended"):
        flows[(row["day"].day, row["department_id"], "b")] += row["overdue_began"]
        flows[(row["day"].day, row["department_id"], "e")] += row["overdue_ended"]
    assert {k: v for k, v in flows.items() if v} == {
        (30, cast.shizheng.pk, "b"): 3, (1, cast.shizheng.pk, "e"): 3, (1, cast.yuanlin.pk, "b"): 1,
        (timezone.localdate(extended.due_at).day, cast.shizheng.pk, "b"): 1}


def test_a_deadline_a_minute_before_midnight():
    day = timezone.localdate
    due = at(0, "23:59")
    # Handled a minute after midnight: overdue at the end of Monday, not of Tuesday.
    assert core.overdue_days(at(0, "09:00"), due, at(1, "00:01"), day) == (dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    # Handled at 23:59:30: no day's end saw it overdue; it begins and ends on Monday.
    handled = due + dt.timedelta(seconds=30)
    assert core.overdue_days(at(0, "09:00"), due, handled, day) == (dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    # A deadline at midnight itself has not passed at midnight: it counts from Tuesday.
    assert core.overdue_days(at(0, "09:00"), at(1, "00:00"), None, day) == (dt.date(2026, 12, 1), None)
    # Sent back with its deadline long passed (返工): overdue from the move on.
    assert core.overdue_days(at(3, "10:00"), at(0, "15:00"), None, day) == (dt.date(2026, 12, 3), None)
    # Handled before its deadline on a later day: counted as ending the day it would have begun.
    assert core.overdue_days(at(0, "09:00"), at(2, "15:00"), at(1, "10:00"), day) == (dt.date(2026, 12, 2),
                                                                                        dt.date(2026, 12, 2))


def test_two_workers_sweeping_count_nothing_twice(cast, now):
    """The sweep only tells people; the moves count the stays, so however many workers sweep (one after the
    other under the sweep mark's lock, or again over the same minutes) the balance stays as it was."""
    case = dispatched(cast, now, cast.shizheng)
    before = snapshots()
    now.at = at(0, "16:00")
    assert sweep.sweep(now.at).overdue == 1
    assert sweep.sweep(now.at).overdue == 0  # the second worker finds the minutes swept
    assert snapshots() == before
    assert overdue_at_end_of(0) == {str(cast.shizheng.pk): 1}
    now.at = at(1, "09:00")
    walk(cast, case, [("zhou", "feedback", {"note": "已处理", "photos": ["before", "after"]})])
    assert overdue_at_end_of(0) == {str(cast.shizheng.pk): 1} and overdue_at_end_of(1) == {}
