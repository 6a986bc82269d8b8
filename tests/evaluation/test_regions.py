"""Street, community and grid tables from the community and day sums, against values worked out by hand: on
the scripted history (one community), and on counts bumped by hand in two communities over periods that cut
months (days added, days taken away from a month's sums) and a past week."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from tests.cases.helpers import SHANGHAI
from tests.evaluation.history import WEEK1, WEEK2, play
from tests.evaluation.test_indicators import WEEK1_COUNTS
from urbangrid import db
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting, report, rollup

pytestmark = pytest.mark.django_db
STREET, COMMUNITY = "410105001", "410105001001"


def nonzero(row) -> dict:
    return {n: v for n, v in row.counts.items() if v}


def test_the_scripted_weeks_by_street_and_community(cast, now):
    play(cast, now)  # every case lies in community 410105001001
    w1, w2 = core.period("week", WEEK1), core.period("week", WEEK2)
    for dimension, key in (("street", STREET), ("community", COMMUNITY)):
        (row,) = report.table(w1, dimension)
        assert (row.key, row.counts) == (key, WEEK1_COUNTS)
        (row,) = report.table(w2, dimension)  # the current week: I overdue now
        assert nonzero(row) == {"accepted": 1, "handled": 1, "closed": 1, "closed_late": 1, "overdue_unhandled": 1,
                                "due_to_handle": 2, "due_to_close": 2}
        # November's sums and December's first three days: all of week 1 but J's Sunday report.
        (row,) = report.table(core.period("custom", dt.date(2026, 11, 1), dt.date(2026, 12, 3)), dimension)
        assert row.counts == {**WEEK1_COUNTS, "reported": 9}
    # The grids of the community in week 1: B alone lay in grid 004.
    rows = {row.key: row for row in report.table(w1, "grid", within=COMMUNITY)}
    assert set(rows) == {"410105001001001", "410105001001004"}
    assert nonzero(rows["410105001001004"]) == {
        "reported": 1, "accepted": 1, "opened": 1, "dispatched": 2, "returned": 1, "misdispatched": 1,
        "handled": 1, "closed": 1, "closed_late": 1, "reworked": 1, "due_to_handle": 1, "due_to_close": 1}
    summed = Counter()
    for row in rows.values():
        summed.update(row.counts)
    assert {n: summed[n] for n in WEEK1_COUNTS} == WEEK1_COUNTS
    assert [r.key for r in report.table(w1, "community", within=STREET)] == [COMMUNITY]
    assert report.table(w1, "street", within="410106") == []


A1, A4 = "410105001001001", "410105001001004"  # community A = 410105001001, street 410105001
B1, B2 = "410105002003001", "410105002003002"  # community B = 410105002003, street 410105002
BUMPS = [  # (day, grid, department, counts)
    (dt.date(2026, 10, 2), A1, 0, {"reported": 1}),
    (dt.date(2026, 10, 10), A1, 0, {"reported": 1}),
    (dt.date(2026, 10, 31), A4, 0, {"reported": 1, "public_reported": 1}),
    (dt.date(2026, 11, 2), B1, 5, {"dispatched": 1}),
    (dt.date(2026, 11, 3), B1, 5, {"overdue_began": 1}),  # overdue at the end of 11-03 …
    (dt.date(2026, 11, 20), B1, 5, {"handled": 1, "handled_on_time": 1}),
    (dt.date(2026, 11, 21), B1, 5, {"overdue_ended": 1}),  # … to the end of 11-20
    (dt.date(2026, 11, 29), A1, 0, {"closed": 1, "closed_on_time": 1}),
    (dt.date(2026, 11, 30), A4, 0, {"reported": 1}),
    (dt.date(2026, 12, 1), B2, 0, {"reported": 1}),
]


@pytest.fixture
def bumped(now):
    """The counts as events would bump them (counting.fact_upserts, each in its transaction); today 12-10."""
    now.at = dt.datetime(2026, 12, 10, 12, 0, tzinfo=SHANGHAI)
    for day, grid, department, counts in BUMPS:
        with transaction.atomic():
            db.write_together(counting.fact_upserts((day, grid, 0, department, "collector"), Counter(counts)))


def by_key(period, dimension, within="") -> dict[str, dict]:
    return {row.key: nonzero(row) for row in report.table(period, dimension, within=within)}


def test_a_period_cutting_two_months_from_both_ends(bumped):
    # October less its first two days, November less its last: both months' sums, four days taken away.
    period = core.period("custom", dt.date(2026, 10, 3), dt.date(2026, 11, 29))
    assert rollup.split(period) == ([dt.date(2026, 10, 1), dt.date(2026, 11, 1)], [],
                                    [(dt.date(2026, 10, 1), dt.date(2026, 10, 2)),
                                     (dt.date(2026, 11, 30), dt.date(2026, 11, 30))])
    a = {"reported": 2, "public_reported": 1, "closed": 1, "closed_on_time": 1, "due_to_close": 1}  # 10-10, 10-31
    b = {"dispatched": 1, "handled": 1, "handled_on_time": 1, "due_to_handle": 1}  # overdue 11-03 … 11-20 only
    assert by_key(period, "community") == {"410105001001": a, "410105002003": b}
    assert by_key(period, "street") == {"410105001": a, "410105002": b}
    assert by_key(period, "community", within="410105002") == {"410105002003": b}
    assert by_key(period, "grid", within="410105002003") == {B1: b}
    both = {"reported": 2, "public_reported": 1, "dispatched": 1, "handled": 1, "handled_on_time": 1, "closed": 1,
            "closed_on_time": 1, "due_to_handle": 1, "due_to_close": 1}
    assert by_key(period, "district") == {"410105": both}
    assert by_key(period, "source") == {"collector": both}  # the class × source day sums
    assert by_key(period, "class") == {"0": both}


def test_a_period_of_a_few_days_across_a_month_end(bumped):
    # 10-31 and 11-30 … 12-01: the days themselves (community and district × department day sums).
    period = core.period("custom", dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    assert rollup.split(period) == ([], [(dt.date(2026, 11, 30), dt.date(2026, 12, 1))], [])
    assert by_key(period, "community") == {"410105001001": {"reported": 1}, "410105002003": {"reported": 1}}
    assert by_key(period, "grid", within="410105001") == {A4: {"reported": 1}}
    assert by_key(period, "source") == {"collector": {"reported": 2}}


def test_a_past_week_with_a_case_overdue_at_its_end(bumped):
    week = core.period("week", dt.date(2026, 11, 2))  # Mon 11-02 … Sun 11-08: B dispatched, overdue from 11-03
    expected = {"dispatched": 1, "overdue_unhandled": 1, "due_to_handle": 1, "due_to_close": 1}
    assert by_key(week, "community") == {"410105002003": expected}
    assert by_key(week, "street") == {"410105002": expected}
    assert by_key(week, "grid", within="410105002003") == {B1: expected}
    assert by_key(week, "department") == {"5": expected}
    # The week after the handling: no longer overdue (the balance 1 − 1 from the end of 11-21).
    assert by_key(core.period("week", dt.date(2026, 11, 23)), "community") == {
        "410105001001": {"closed": 1, "closed_on_time": 1, "due_to_close": 1}}


def test_within_must_be_a_larger_region(db):
    period = core.period("month", dt.date(2026, 11, 1))
    for dimension, within in (("street", "410105001"), ("department", "410105"), ("grid", "4101050010")):
        with pytest.raises(ValueError):
            report.table(period, dimension, within=within)
