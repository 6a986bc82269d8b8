"""回退 and responsibility disputes (art. 23): the second "not ours" goes to coordination, whose decision binds."""

import pytest

from tests.cases.builders import DISPATCH_REASON, make_case
from tests.cases.helpers import Api, ok
from tests.factories import OrganisationFactory, UserFactory, appoint, make_area, square
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db
NOT_OURS = {"reason": "非本单位职责", "return_reason": "not_ours"}


def test_an_approved_return_goes_back_to_the_dispatcher(cast):
    case = make_case(cast, State.DISPATCHED)
    ok(Api(cast.zhou).act(case, "request_return", reason="信息有误", return_reason="wrong_information"))
    body = ok(Api(cast.sun).act(case, "approve_return"))
    assert (body["state"], body["department"], body["due_at"], body["returns"]) == ("open", None, None, 1)
    assert body["not_ours_returns"] == 0
    assert body["timeline"][-1]["data"]["return_reason"] == "wrong_information"
    # The department that sent it back no longer sees it.
    assert Api(cast.zhou).get(f"/cases/{case.pk}").status_code == 404


def test_a_denied_return_stays_with_the_department_and_keeps_its_deadline(cast):
    case = make_case(cast, State.DISPATCHED)
    ok(Api(cast.zhou).act(case, "request_return", **NOT_OURS))
    sun = Api(cast.sun)
    assert sun.act(case, "deny_return").json()["field"] == "reason"
    body = ok(sun.act(case, "deny_return", reason="属于贵单位养护范围"))
    assert (body["state"], body["department"]["id"]) == ("dispatched", cast.shizheng.pk)
    assert Case.objects.get(pk=case.pk).due_at == case.due_at
    assert body["not_ours_returns"] == 0


def test_a_return_needs_a_reason(cast):
    case = make_case(cast, State.DISPATCHED)
    response = Api(cast.zhou).act(case, "request_return")
    assert (response.status_code, response.json()["field"]) == (422, "reason")


def test_two_not_ours_returns_go_to_the_district_whose_decision_binds(cast):
    case = make_case(cast, State.DISTRICT_COORDINATION)
    assert (case.not_ours_returns, case.returns) == (2, 2)
    qian = Api(cast.qian)
    assert [a["action"] for a in ok(qian.get(f"/cases/{case.pk}"))["actions"]] == ["decide", "refer_up"]
    missing = qian.act(case, "decide", department_id=cast.shizheng.pk)
    assert missing.json()["field"] == "decision"
    body = ok(qian.act(case, "decide", department_id=cast.shizheng.pk, decision="经区政府协调，由市政局负责处置"))
    assert (body["state"], body["department"]["id"]) == ("dispatched", cast.shizheng.pk)
    assert body["decided_department"]["id"] == cast.shizheng.pk
    assert body["timeline"][-1]["data"]["level"] == "district"
    assert body["due_at"] is not None  # a new clock for the department named by the decision

    zhou = Api(cast.zhou)
    refused = zhou.act(case, "request_return", **NOT_OURS)
    assert (refused.status_code, refused.json()["code"]) == (409, "not_possible")
    assert "request_return" not in [a["action"] for a in ok(zhou.get(f"/cases/{case.pk}"))["actions"]]
    assert ok(zhou.act(case, "take"))["state"] == "handling"


def test_the_district_may_refer_a_dispute_to_the_city(cast):
    case = make_case(cast, State.CITY_COORDINATION)
    assert Api(cast.qian).act(case, "decide", department_id=cast.shizheng.pk, decision="x").status_code == 403
    body = ok(Api(cast.sun).act(case, "decide", department_id=cast.yuanlin.pk, decision="市指挥中心协调：园林局负责"))
    assert (body["state"], body["department"]["id"]) == ("dispatched", cast.yuanlin.pk)
    assert body["timeline"][-1]["data"]["level"] == "city"


def test_a_dispute_with_a_city_department_goes_to_city_coordination(cast):
    citywide = OrganisationFactory(name="市供水公司")  # no territory: a city-level body
    case = make_case(cast, State.RETURN_REQUESTED)
    sun = Api(cast.sun)
    ok(sun.act(case, "approve_return"))
    ok(sun.act(case, "dispatch", department_id=citywide.pk, reason=DISPATCH_REASON))
    handler = UserFactory(username="water")
    appoint(handler, "department_handler", citywide)
    ok(Api(handler).act(case, "request_return", **NOT_OURS))
    body = ok(sun.act(case, "approve_return"))
    assert body["state"] == "city_coordination"


def test_a_dispute_across_districts_goes_to_city_coordination(cast):
    zhongyuan = make_area("410102", "中原区", square(5, 5))
    cast.yuanlin.territory.set([zhongyuan])  # 园林局 now serves another district only
    case = make_case(cast, State.RETURN_REQUESTED)
    sun = Api(cast.sun)
    ok(sun.act(case, "approve_return"))
    ok(sun.act(case, "dispatch", department_id=cast.yuanlin.pk, reason=DISPATCH_REASON))
    ok(Api(cast.wu).act(case, "request_return", **NOT_OURS))
    assert ok(sun.act(case, "approve_return"))["state"] == "city_coordination"


def test_a_first_not_ours_return_is_an_ordinary_return(cast):
    case = make_case(cast, State.RETURN_REQUESTED)
    body = ok(Api(cast.sun).act(case, "approve_return"))
    assert (body["state"], body["not_ours_returns"]) == ("open", 1)
