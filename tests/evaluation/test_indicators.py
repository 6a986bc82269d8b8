"""Every indicator on the scripted history of history.py, against values worked out by hand (see its docstring).

The expected numbers are written out, not computed: each comment says which cases make them.
"""

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from tests.evaluation.history import WEEK1, WEEK2, play
from urbangrid.core import evaluation as core
from urbangrid.evaluation import report
from urbangrid.evaluation.models import PostTally, Tally

pytestmark = pytest.mark.django_db
W1 = core.period("week", WEEK1)
W2 = core.period("week", WEEK2)
DISTRICT = "410105"

WEEK1_COUNTS = {
    "reported": 10,  # A–J (J on Sunday 23:50)
    "public_reported": 2,  # C (hotline), H (public)
    "accepted": 8,  # A B C D E F G I; H rejected, J accepted in week 2
    "rejected": 1,  # H
    "verified": 1, "refuted": 0,  # C
    "opened": 7,  # A B C D E F I
    "voided": 1,  # E
    "dispatched": 7,  # A, B twice, C, D, F, I
    "returned": 1, "misdispatched": 1,  # B from 园林局
    "shirked": 1,  # I
    "handled": 3, "handled_on_time": 2,  # A (on time), B (late), C (on time after its extension)
    "closed": 2, "closed_on_time": 1, "closed_late": 1,  # A on time, B late
    "reworked": 1,  # B
    "extended": 1,  # C
    "parked": 1,  # D
    "self_handled": 1,  # G
    "escalated": 0,
    "followed_up": 0, "reopened": 0,  # no call-backs in the scripted week (tests/hotline/test_follow_up.py counts them)
    "overdue_unhandled": 2,  # F and I at Mon 12-07 00:00; D is suspended, C fed back
    "due_to_handle": 5,  # 3 + 2
    "due_to_close": 4,  # 2 + 2
}
WEEK1_RATES = {
    "close_rate": D("50.00"), "close_on_time_rate": D("25.00"), "handle_rate": D("60.00"),
    "handle_on_time_rate": D("40.00"), "rework_rate": D("25.00"), "late_close_rate": D("25.00"),
    "extension_rate": D("14.29"), "public_rate": D("14.29"), "return_rate": D("14.29"),
}


@pytest.fixture
def history(cast, now):
    return play(cast, now)


def test_week1_district_counts_and_rates(history):
    (row,) = report.table(W1, "district")
    assert row.key == DISTRICT and row.label == "金水区"
    assert row.counts == WEEK1_COUNTS
    assert row.rates == WEEK1_RATES
    # 综合指标值 = (100 − 14.29) × 10 % + 立案数 7 → 40 × 20 % + 50 × 30 % + 25 × 40 % = 41.571
    assert row.score == D("41.57") and row.grade == "D" and row.rank == 1


def test_week2_period_boundary(history):
    (row,) = report.table(W2, "district")
    counts = {name: value for name, value in row.counts.items() if value}
    # J accepted Monday 08:05; F fed back late and closed late; I still overdue, F no longer.
    assert counts == {
        "accepted": 1, "handled": 1, "closed": 1, "closed_late": 1, "overdue_unhandled": 1,
        "due_to_handle": 2, "due_to_close": 2,
    }
    assert row.rates["close_rate"] == D("50.00") and row.rates["close_on_time_rate"] == D("0.00")
    assert row.rates["public_rate"] is None  # nothing opened: no rate, neither 0 % nor 100 %


def test_the_month_is_the_sum_of_its_days(history):
    month = report.table(core.period("month", WEEK1), "district")[0].counts  # November: Monday 11-30 only
    day = report.table(core.period("day", WEEK1), "district")[0].counts
    assert month["reported"] == day["reported"] == 6  # A B C D E F
    custom = report.table(core.period("custom", WEEK1, WEEK2 + (WEEK2 - WEEK1)), "district")[0].counts
    assert custom["reported"] == 10 and custom["closed"] == 3 and custom["overdue_unhandled"] == 1


def test_departments(history, cast):
    rows = {row.key: row for row in report.table(W1, "department")}
    shizheng, yuanlin = rows[str(cast.shizheng.pk)], rows[str(cast.yuanlin.pk)]
    assert set(rows) == {str(cast.shizheng.pk), str(cast.yuanlin.pk)}
    nonzero = {name: value for name, value in shizheng.counts.items() if value}
    assert nonzero == {
        "dispatched": 6, "shirked": 1, "handled": 3, "handled_on_time": 2, "closed": 2, "closed_on_time": 1,
        "closed_late": 1, "reworked": 1, "extended": 1, "parked": 1, "overdue_unhandled": 2,
        "due_to_handle": 5, "due_to_close": 4,
    }
    assert {n: v for n, v in yuanlin.counts.items() if v} == {"dispatched": 1, "returned": 1, "misdispatched": 1}
    # 派遣数 6 → 100 × 10 % + 结案率 50 × 30 % + 按期处置率 40 × 30 % + (100 − 返工率 25) × 30 % = 59.50
    assert (shizheng.score, shizheng.grade, shizheng.rank) == (D("59.50"), "D", 2)
    # Nothing was due at 园林局: only the 派遣数 term applies, scaled to its own weight.
    assert (yuanlin.score, yuanlin.grade, yuanlin.rank) == (D("100.00"), "A", 1)


def test_posts(history, cast):
    rows = {(row.label, row.extra["post"]): row for row in report.post_table(W1)}
    li = rows[("监督员李", "collector")]
    assert li.counts["reports"] == 8  # A B D E F G I J (C and H came by phone)
    assert li.counts["valid_reports"] == 6  # opened: A B D E F I
    assert (li.counts["verifications"], li.counts["verifications_on_time"]) == (1, 1)  # C
    assert (li.counts["checks"], li.counts["checks_on_time"]) == (3, 3)  # A pass, B rework, B pass
    assert (li.counts["missed"], li.counts["opened_in_grids"]) == (1, 7)  # C was found by the public
    assert li.rates["valid_report_rate"] == D("75.00") and li.rates["missed_rate"] == D("14.29")
    assert li.score == D("87.14") and li.grade == "B"  # 75×.4 + (100−14.29)×.2 + 100×.2 + 100×.2

    wang = rows[("受理员王", "intake_operator")]
    assert (wang.counts["intake"], wang.counts["intake_on_time"]) == (9, 8)  # B accepted after 30 minutes
    assert (wang.counts["verification_sends"], wang.counts["verification_sends_on_time"]) == (1, 1)
    assert (wang.counts["check_sends"], wang.counts["check_sends_on_time"]) == (3, 3)
    assert wang.score == D("75.00") and wang.grade == "B"  # 受理数 9 → 0 × 25 % + 100 × 40 % + 100 × 35 %

    zhao = rows[("值班长赵", "shift_leader")]
    assert (zhao.counts["opened"], zhao.counts["opened_on_time"], zhao.counts["voided"]) == (7, 7, 1)
    assert (zhao.counts["closed"], zhao.counts["closed_on_time"]) == (3, 3)  # A, B and G's self-handling
    assert zhao.rates["accurate_open_rate"] == D("85.71")
    assert zhao.score == D("94.28") and zhao.grade == "A"

    sun = rows[("派遣员孙", "dispatcher")]
    assert (sun.counts["dispatched"], sun.counts["dispatched_on_time"], sun.counts["misdispatched"]) == (7, 7, 1)
    assert sun.rates["accurate_dispatch_rate"] == D("85.71")
    assert sun.score == D("74.28") and sun.grade == "C"  # 派遣数 7 → 0 × 20 % + 100 × 40 % + 85.71 × 40 %


@pytest.mark.parametrize(("dimension", "key", "indicator", "letters"), [
    ("district", DISTRICT, "closed", "AB"),
    ("district", DISTRICT, "overdue_unhandled", "FI"),
    ("district", DISTRICT, "due_to_close", "ABFI"),
    ("district", DISTRICT, "handled_on_time", "AC"),
    ("district", DISTRICT, "voided", "E"),
    ("district", DISTRICT, "reported", "ABCDEFGHIJ"),
    ("street", "410105001", "reworked", "B"),
    ("grid", "410105001001004", "dispatched", "B"),
    ("source", "hotline", "verified", "C"),
])
def test_drill_down_lists_exactly_the_cases_counted(history, dimension, key, indicator, letters):
    assert report.cases_behind(W1, dimension, key, indicator) == sorted(history[x].pk for x in letters)


def test_drill_down_of_departments_and_posts(history, cast):
    ids = {letter: case.pk for letter, case in history.items()}
    assert report.cases_behind(W1, "department", str(cast.yuanlin.pk), "returned") == [ids["B"]]
    assert report.cases_behind(W1, "department", str(cast.shizheng.pk), "shirked") == [ids["I"]]
    assert report.cases_behind(W1, "post", f"{cast.sun.pk}:dispatcher", "misdispatched") == [ids["B"]]
    assert report.cases_behind(W1, "post", f"{cast.li.pk}:collector", "missed") == [ids["C"]]
    late = report.cases_behind(W1, "post", f"{cast.wang.pk}:intake_operator", "intake")
    assert late == sorted(ids[x] for x in "ABCDEFGHI")


def rows(model) -> list[dict]:
    key = [f.name for f in model._meta.get_fields() if f.name != "id"]
    return list(model.objects.order_by(*key).values(*key))


def test_recount_reproduces_the_scripted_counters(history):
    before, posts = rows(Tally), rows(PostTally)
    assert len(before) > 10 and len(posts) > 4
    out = StringIO()
    call_command("evaluation", "recount", stdout=out)  # the command line, as an operator runs it
    assert str(len(before)) in out.getvalue()
    assert rows(Tally) == before
    assert rows(PostTally) == posts


# December 2026 without Mon 11-30, as the script leaves it (Mon 12-07 09:15: the month is not over).
DECEMBER_SO_FAR = {
    "reported": 4,  # G H I (Tue), J (Sun 23:50)
    "public_reported": 1,  # H
    "accepted": 3,  # G I (Tue), J (Mon 12-07)
    "rejected": 1,  # H
    "opened": 1, "dispatched": 1, "shirked": 1,  # I
    "handled": 2, "handled_on_time": 1,  # C on time (Wed), F late (12-07); B's first handling was on 11-30
    "closed": 2, "closed_late": 2,  # B (Tue) and F (12-07), both late
    "self_handled": 1,  # G
    "overdue_unhandled": 1,  # I, now
    "due_to_handle": 3, "due_to_close": 3,
}


def test_the_current_month_and_ranges_cutting_months_from_the_monthly_sums(history):
    from urbangrid.evaluation import rollup

    december = core.period("month", WEEK2)
    assert rollup.split(december) == ([december.first], [], [])  # the month not yet over: its maintained sums
    (row,) = report.table(december, "district")
    assert {n: v for n, v in row.counts.items() if v} == DECEMBER_SO_FAR
    (row,) = report.table(core.period("year", WEEK2), "district")  # November's Monday and December so far
    assert {n: v for n, v in row.counts.items() if v} == {
        "reported": 10, "public_reported": 2, "accepted": 9, "rejected": 1, "verified": 1,  # A–J; J accepted
        "opened": 7, "voided": 1, "dispatched": 7, "returned": 1, "misdispatched": 1, "shirked": 1,
        "handled": 4, "handled_on_time": 2,  # A C on time, B F late
        "closed": 3, "closed_on_time": 1, "closed_late": 2,  # A on time, B F late
        "reworked": 1, "extended": 1, "parked": 1, "self_handled": 1,
        "overdue_unhandled": 1, "due_to_handle": 5, "due_to_close": 4,  # I
    }
    # 11-30 from the days, December from its sums (the days after today have no counts).
    custom = core.period("custom", WEEK1, WEEK2)
    assert rollup.split(custom) == ([december.first], [(WEEK1, WEEK1)], [])
    (row,) = report.table(custom, "district")
    assert row.counts["reported"] == 10 and row.counts["handled"] == 4 and row.counts["closed"] == 3
    # November from its sums, 12-01 … 12-03 from the days: all of week 1 but J's report (Sunday); F and I
    # overdue at the end of Thursday.
    cut = core.period("custom", dt.date(2026, 11, 1), dt.date(2026, 12, 3))
    assert rollup.split(cut) == ([dt.date(2026, 11, 1)], [(dt.date(2026, 12, 1), dt.date(2026, 12, 3))], [])
    (row,) = report.table(cut, "district")
    assert row.counts == {**WEEK1_COUNTS, "reported": 9}
    # Tuesday to now: December's sums less Tuesday's days (fewer days to read than the five taken).
    late = core.period("custom", dt.date(2026, 12, 2), dt.date(2026, 12, 31))
    assert rollup.split(late) == ([december.first], [], [(dt.date(2026, 12, 1), dt.date(2026, 12, 1))])
    (row,) = report.table(late, "district")
    assert {n: v for n, v in row.counts.items() if v} == {
        "reported": 1, "accepted": 1,  # J
        "handled": 2, "handled_on_time": 1, "closed": 1, "closed_late": 1,  # C on time, F late
        "overdue_unhandled": 1, "due_to_handle": 3, "due_to_close": 2,  # I
    }
    # By source: the public's only December counts (H, Tuesday) are taken away and leave no empty row behind.
    assert [r.key for r in report.table(late, "source")] == ["collector", "hotline"]
    assert "public" in [r.key for r in report.table(december, "source")]
