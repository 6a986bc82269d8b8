"""二级指挥 (art. 20): the city forwards a case to a district command centre, which dispatches or returns it."""

import pytest

from tests.cases.builders import DISPATCH_REASON, make_case
from tests.cases.helpers import Api, ok
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_the_city_forwards_a_case_to_its_district(cast):
    case = make_case(cast, State.OPEN)
    body = ok(Api(cast.sun).act(case, "forward", reason=DISPATCH_REASON))
    assert (body["state"], body["district_centre"]["id"]) == ("at_district", cast.district_centre.pk)
    assert body["step_due_at"] is not None  # the district's own dispatch step is timed


def test_a_case_is_not_forwarded_to_another_district(cast):
    case = make_case(cast, State.OPEN)
    response = Api(cast.sun).act(case, "forward", district="410102", reason=DISPATCH_REASON)
    assert (response.status_code, response.json()["field"]) == (422, "district")


def test_the_district_dispatches_within_its_district(cast):
    case = make_case(cast, State.AT_DISTRICT)
    qian = Api(cast.qian)
    assert [a["action"] for a in ok(qian.get(f"/cases/{case.pk}"))["actions"]] == [
        "dispatch", "return_to_city", "refer"]
    body = ok(qian.act(case, "dispatch", department_id=cast.yuanlin.pk))
    assert (body["state"], body["department"]["id"]) == ("dispatched", cast.yuanlin.pk)
    assert body["timeline"][-1]["post"] == "district_operator"
    assert body["due_at"] is not None


def test_a_return_of_a_district_dispatch_goes_back_to_the_district(cast):
    case = make_case(cast, State.AT_DISTRICT)
    ok(Api(cast.qian).act(case, "dispatch", department_id=cast.shizheng.pk))
    ok(Api(cast.zhou).act(case, "request_return", reason="信息有误", return_reason="wrong_information"))
    body = ok(Api(cast.qian).act(case, "approve_return"))
    assert body["state"] == "at_district"


def test_the_district_returns_a_case_to_the_city_with_a_reason(cast):
    case = make_case(cast, State.AT_DISTRICT)
    qian = Api(cast.qian)
    assert qian.act(case, "return_to_city").json()["field"] == "reason"
    body = ok(qian.act(case, "return_to_city", reason="不属于本区"))
    assert (body["state"], body["district_centre"]) == ("open", None)
    assert [a["action"] for a in ok(qian.get(f"/cases/{case.pk}"))["actions"]] == []


def test_a_district_operator_does_not_act_on_cases_the_city_runs(cast):
    case = make_case(cast, State.OPEN)
    response = Api(cast.qian).act(case, "dispatch", department_id=cast.shizheng.pk)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert ok(Api(cast.qian).get(f"/cases/{case.pk}"))["number"] == case.number  # but reads it


def test_the_district_cannot_task_a_city_department_or_another_area(cast, small_city):
    from tests.factories import OrganisationFactory

    city_wide = OrganisationFactory(name="市水务局")  # no territory: the city's department
    elsewhere = OrganisationFactory(name="二七区市政局")
    elsewhere.territory.set([small_city["grid4"]])  # serves one grid only, not the case's
    case = make_case(cast, State.AT_DISTRICT)
    qian = Api(cast.qian)
    for department in (city_wide, elsewhere):
        refused = qian.act(case, "dispatch", department_id=department.pk)
        assert (refused.status_code, refused.json()["field"]) == (422, "department_id")
        assert department.name in refused.json()["message"]
    assert ok(qian.get(f"/cases/{case.pk}"))["state"] == "at_district"
    # The city command centre may task either.
    ok(qian.act(case, "return_to_city", reason="需市级部门处理"))
    body = ok(Api(cast.sun).act(case, "dispatch", department_id=city_wide.pk, reason="市级部门管辖"))
    assert body["department"]["id"] == city_wide.pk
