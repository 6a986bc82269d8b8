"""The handling clock: 延期 moves the deadline, 挂账 stops the clock, 返工 keeps it; lights and 督办.

Cases here are dispatched on Monday 30 November 2026 at 09:00 under 私搭乱建 condition 1, 4 working hours on
the 08:00–12:00, 14:00–18:00 clock: due the same day at 15:00.
"""

import datetime as dt

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import MONDAY_9AM, Api, ok
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db
MONDAY_3PM = MONDAY_9AM.replace(hour=15)


def due(body: dict) -> dt.datetime | None:
    return dt.datetime.fromisoformat(body["due_at"]) if body["due_at"] else None


def test_dispatch_starts_the_handling_clock(cast):
    case = make_case(cast, State.DISPATCHED)
    assert (case.dispatched_at, case.due_at) == (MONDAY_9AM, MONDAY_3PM)


def test_an_approved_extension_moves_the_deadline(cast):
    case = make_case(cast, State.HANDLING)
    zhou, sun = Api(cast.zhou), Api(cast.sun)
    missing = zhou.act(case, "request_extension", reason="需要更换管线")
    assert missing.json()["field"] == "duration"
    ok(zhou.act(case, "request_extension", reason="需要更换管线", duration=1, duration_unit="work_days"))
    body = ok(sun.act(case, "approve_extension"))
    assert body["state"] == "handling"
    assert due(body) == MONDAY_3PM + dt.timedelta(days=1)
    event = body["timeline"][-1]
    assert dt.datetime.fromisoformat(event["due_before"]) == MONDAY_3PM
    assert event["data"]["duration"] == {"value": "1", "unit": "work_days"}
    assert body["extensions"] == [["1", "work_days"]]


def test_the_approver_may_grant_less_than_was_asked(cast):
    case = make_case(cast, State.EXTENSION_REQUESTED)
    body = ok(Api(cast.sun).act(case, "approve_extension", duration=2, duration_unit="work_hours"))
    assert due(body) == MONDAY_3PM + dt.timedelta(hours=2)


def test_a_denied_extension_leaves_the_deadline(cast):
    case = make_case(cast, State.EXTENSION_REQUESTED)
    body = ok(Api(cast.sun).act(case, "deny_extension", reason="一般案件不予延期"))
    assert (body["state"], due(body)) == ("handling", MONDAY_3PM)


def test_a_suspension_stops_the_clock_for_the_working_time_it_lasts(cast, now):
    case = make_case(cast, State.PARK_REQUESTED)
    sun = Api(cast.sun)
    now.move(hours=1)  # Monday 10:00: one of the four working hours is used
    parked = ok(sun.act(case, "approve_park"))
    assert (parked["state"], parked["due_at"], parked["light"]) == ("parked", None, None)
    now.move(days=1)  # Tuesday 10:00: 8 working hours later
    restored = ok(sun.act(case, "restore"))
    assert restored["state"] == "handling"
    assert due(restored) == MONDAY_3PM + dt.timedelta(days=1)
    assert restored["timeline"][-1]["due_before"] is None


def test_a_suspension_approved_after_the_deadline_does_not_move_it(cast, now):
    case = make_case(cast, State.PARK_REQUESTED)
    now.move(days=4, hours=8)  # Friday 17:00
    ok(Api(cast.sun).act(case, "approve_park"))
    now.move(days=2, hours=16)  # Monday 09:00 a week later
    restored = ok(Api(cast.sun).act(case, "restore"))
    # The four hours ran out on the first Monday, long before the pause: the case stays overdue.
    assert due(restored) == MONDAY_3PM


def test_rework_goes_back_to_the_same_department_and_is_counted(cast):
    case = make_case(cast, State.CHECKING)
    li, zhou = Api(cast.li), Api(cast.zhou)
    assert li.act(case, "rework", reason="棚子未拆净").json()["field"] == "attachments"
    body = ok(li.act(case, "rework", reason="棚子未拆净", attachments=li.photos(case)))
    assert (body["state"], body["department"]["id"], body["reworks"]) == ("dispatched", cast.shizheng.pk, 1)
    assert due(body) == MONDAY_3PM  # the original deadline stands
    ok(zhou.act(case, "take"))
    ok(zhou.act(case, "feedback", note="已拆净", attachments=zhou.photos(case, "before", "after")))
    ok(Api(cast.wang).act(case, "send_check"))
    body = ok(li.act(case, "rework", reason="仍有残留", attachments=li.photos(case)))
    assert body["reworks"] == 2
    assert [e["data"].get("rework") for e in body["timeline"] if e["action"] == "rework"] == [1, 2]


def test_the_light_turns_yellow_at_80_percent_and_red_when_overdue(cast, now):
    case = make_case(cast, State.HANDLING)
    zhao = Api(cast.zhao)
    assert ok(zhao.get(f"/cases/{case.pk}"))["light"] == "green"
    now.at = MONDAY_9AM.replace(hour=14, minute=30)  # 3.5 of 4 hours used
    assert ok(zhao.get(f"/cases/{case.pk}"))["light"] == "yellow"
    now.at = MONDAY_3PM + dt.timedelta(minutes=1)
    assert ok(zhao.get(f"/cases/{case.pk}"))["light"] == "red"


def test_supervision_is_only_for_overdue_cases(cast, now):
    case = make_case(cast, State.HANDLING)
    zhao = Api(cast.zhao)
    early = zhao.act(case, "supervise", reason="请加快处置")
    assert (early.status_code, early.json()["code"]) == (409, "not_possible")
    now.at = MONDAY_3PM + dt.timedelta(minutes=1)
    assert zhao.act(case, "supervise").json()["field"] == "reason"
    body = ok(zhao.act(case, "supervise", reason="已超期，请立即处置"))
    assert (body["state"], body["version"]) == ("handling", case.version + 1)
    assert body["timeline"][-1]["action"] == "supervise"
    assert Case.objects.get(pk=case.pk).due_at == MONDAY_3PM


def test_closing_records_whether_the_feedback_was_on_time(cast, now):
    case = make_case(cast, State.HANDLING)
    now.at = MONDAY_3PM + dt.timedelta(hours=1)
    zhou = Api(cast.zhou)
    ok(zhou.act(case, "feedback", note="已拆除", attachments=zhou.photos(case, "before", "after")))
    ok(Api(cast.wang).act(case, "send_check"))
    ok(Api(cast.li).act(case, "pass_check", attachments=Api(cast.li).photos(case)))
    body = ok(Api(cast.zhao).act(case, "close"))
    assert body["timeline"][-1]["data"] == {"on_time": False}
