"""The standard loop through the API: report → accept → open → dispatch → take → feedback → check → close."""

import datetime as dt

import pytest

from tests.cases.builders import DISPATCH_REASON
from tests.cases.helpers import Api, ok
from urbangrid.cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_collectors_report_goes_round_the_whole_loop(cast, now):
    li, wang, zhao, sun, zhou = (Api(getattr(cast, n)) for n in ("li", "wang", "zhao", "sun", "zhou"))
    case = ok(li.report(description="人行道上正在搭建违章棚子"), 201)["id"]

    ok(wang.act(case, "accept"))
    now.move(minutes=5)
    opened = ok(zhao.act(case, "open", class_code="06001", condition=1))
    assert (opened["state"], opened["class_code"], opened["limit"]) == ("open", "06001", {
        "value": "4.0", "unit": "work_hours"})
    assert opened["due_at"] is None  # the clock starts at dispatch, not at 立案

    now.move(minutes=5)  # Monday 09:10
    dispatched = ok(sun.act(case, "dispatch", department_id=cast.shizheng.pk, reason=DISPATCH_REASON))
    assert dispatched["department"] == {"id": cast.shizheng.pk, "name": "金水区市政局"}
    # 4 working hours from 09:10 on a Monday: 09:10–12:00 is 2 h 50 min, then 14:00 + 1 h 10 min.
    assert dt.datetime.fromisoformat(dispatched["due_at"]) == now.at.replace(hour=15, minute=10)
    assert dispatched["timeline"][-1]["due_after"] == dispatched["due_at"]

    ok(zhou.act(case, "take"))
    photos = zhou.photos(case, "before", "after")
    now.move(hours=1)
    fed_back = ok(zhou.act(case, "feedback", note="棚子已拆除", attachments=photos))
    assert fed_back["timeline"][-1]["attachments"] == photos

    ok(wang.act(case, "send_check"))
    ok(li.act(case, "pass_check", attachments=li.photos(case)))
    closed = ok(zhao.act(case, "close"))

    assert closed["state"] == "closed"
    assert [e["action"] for e in closed["timeline"]] == [
        "report", "accept", "open", "dispatch", "take", "feedback", "send_check", "pass_check", "close"]
    assert [e["seq"] for e in closed["timeline"]] == list(range(1, 10))
    assert closed["version"] == 9
    assert closed["timeline"][-1]["data"] == {"on_time": True}
    assert all(closed["milestones"][name] for name in ("reported", "accepted", "opened", "dispatched", "fed_back"))
    assert closed["actions"] == []


def test_each_event_records_who_from_where_and_as_what(cast):
    case = ok(Api(cast.li).report(), 201)["id"]
    body = ok(Api(cast.wang).act(case, "accept"))
    event = body["timeline"][-1]
    assert (event["source"], event["target"], event["post"]) == ("reported", "accepted", "intake_operator")
    assert event["organisation"] == {"id": cast.supervision.pk, "name": "监督中心"}
    assert event["actor"] == "受理员王"


def test_the_case_detail_offers_the_actions_of_this_user(cast):
    case = ok(Api(cast.li).report(), 201)["id"]
    offered = ok(Api(cast.wang).get(f"/cases/{case}"))["actions"]
    assert [a["action"] for a in offered] == ["accept", "reject", "mark_duplicate"]
    assert offered[2]["needs"] == ["duplicate_of"]
    assert ok(Api(cast.zhao).get(f"/cases/{case}"))["actions"] == []


def test_opening_needs_a_class_and_a_filing_condition(cast):
    case = ok(Api(cast.li).report(), 201)["id"]
    ok(Api(cast.wang).act(case, "accept"))
    zhao = Api(cast.zhao)
    missing = zhao.act(case, "open", class_code="06001")
    assert (missing.status_code, missing.json()["field"]) == (422, "condition")
    unknown = zhao.act(case, "open", class_code="06001", condition=9)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "condition")
    assert "1, 2, 3" in unknown.json()["message"]
    assert Case.objects.get(pk=case).state == "accepted"


def test_a_component_case_is_filed_under_the_matter_of_its_class(cast):
    case = ok(Api(cast.li).report(kind="component", description="供水井盖破损"), 201)["id"]
    ok(Api(cast.wang).act(case, "accept"))
    opened = ok(Api(cast.zhao).act(case, "open", class_code="01001", condition=2))
    assert (opened["kind"], opened["class_code"], opened["condition"]["seq"]) == ("component", "01001", 2)
    assert opened["urgency"] == "normal"


def test_an_urgent_condition_makes_the_case_urgent(cast):
    case = ok(Api(cast.li).report(kind="component", description="供水井盖缺失"), 201)["id"]
    ok(Api(cast.wang).act(case, "accept"))
    opened = ok(Api(cast.zhao).act(case, "open", class_code="01001", condition=1))
    assert (opened["urgency"], opened["limit"]) == ("urgent", {"value": "2.0", "unit": "urgent_hours"})


def test_dispatch_needs_a_department_that_handles_cases(cast):
    case = ok(Api(cast.li).report(), 201)["id"]
    ok(Api(cast.wang).act(case, "accept"))
    ok(Api(cast.zhao).act(case, "open", class_code="06001", condition=1))
    sun = Api(cast.sun)
    assert sun.act(case, "dispatch").json()["field"] == "department_id"
    wrong = sun.act(case, "dispatch", department_id=cast.command.pk, reason="x")
    assert (wrong.status_code, wrong.json()["field"]) == (422, "department_id")


def test_feedback_needs_photos_from_before_and_after(cast):
    from tests.cases.builders import make_case
    from urbangrid.core.workflow import State

    case = make_case(cast, State.HANDLING)
    zhou = Api(cast.zhou)
    assert zhou.act(case, "feedback", note="已处理").json()["field"] == "attachments"
    only_after = zhou.photos(case, "after")
    response = zhou.act(case, "feedback", note="已处理", attachments=only_after)
    assert (response.status_code, response.json()["field"]) == (422, "attachments")
    others = Api(cast.sun).photos(case, "before")
    response = zhou.act(case, "feedback", note="已处理", attachments=[*only_after, *others])
    assert response.status_code == 422  # photos are named only by whoever uploaded them
