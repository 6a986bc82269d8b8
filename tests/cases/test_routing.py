"""Dispatch rules on cases: the suggestion at intake, the rule or the override at dispatch, auto-dispatch."""

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import Api, ok
from urbangrid.catalog.models import CatalogClass
from urbangrid.core.workflow import State
from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(cast):
    return DispatchRule.objects.create(name="违法建设归市政局", class_codes="06001", department=cast.shizheng)


def test_the_suggestion_is_stored_on_the_intake_event(cast, rule):
    body = ok(Api(cast.li).report(class_code="06001"), 201)
    suggestion = body["timeline"][0]["data"]["suggestion"]
    assert suggestion["target"] == {"kind": "department", "id": str(cast.shizheng.pk)}
    assert (suggestion["rule"], suggestion["auto"]) == (str(rule.pk), False)


def test_a_dispatch_that_follows_the_rule_records_it_and_needs_no_reason(cast, rule):
    case = make_case(cast, State.OPEN)
    body = ok(Api(cast.sun).act(case, "dispatch", department_id=cast.shizheng.pk))
    data = body["timeline"][-1]["data"]
    assert (data["rule"], data["followed"], data["department"]) == (str(rule.pk), True, cast.shizheng.pk)


def test_overriding_the_rule_needs_a_reason_which_is_recorded(cast, rule):
    case = make_case(cast, State.OPEN)
    sun = Api(cast.sun)
    refused = sun.act(case, "dispatch", department_id=cast.yuanlin.pk)
    assert (refused.status_code, refused.json()["field"]) == (422, "reason")
    body = ok(sun.act(case, "dispatch", department_id=cast.yuanlin.pk, reason="现场为绿地内搭建"))
    data = body["timeline"][-1]["data"]
    assert (data["followed"], data["override_reason"]) == (False, "现场为绿地内搭建")
    assert data["suggestion"]["rule"] == str(rule.pk)


def test_without_rules_an_event_goes_to_the_territory_first(cast):
    case = make_case(cast, State.OPEN)
    body = ok(Api(cast.sun).act(case, "forward"))  # 属地: the district command centre of the grid
    data = body["timeline"][-1]["data"]
    assert (data["followed"], data["rule"]) == (True, None)
    assert data["suggestion"]["target"] == {"kind": "district_centre", "id": str(cast.district_centre.pk)}


def test_an_auto_dispatch_class_is_dispatched_as_it_is_opened(cast, rule):
    matter = CatalogClass.objects.get(kind="matter", code="06001")
    ClassDispatchSetting.objects.create(klass=matter, auto_dispatch=True)
    case = make_case(cast, State.ACCEPTED)
    body = ok(Api(cast.zhao).act(case, "open", class_code="06001", condition=1))
    assert (body["state"], body["department"]["id"]) == ("dispatched", cast.shizheng.pk)
    opened, dispatched = body["timeline"][-2:]
    assert (opened["action"], dispatched["action"], dispatched["actor"], dispatched["post"]) == (
        "open", "dispatch", None, "")
    assert (dispatched["data"]["auto"], dispatched["data"]["rule"]) == (True, str(rule.pk))
    assert body["due_at"] is not None and body["version"] == case.version + 2
