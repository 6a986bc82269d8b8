"""核实: a hotline or public report is confirmed on site by a collector before it can be opened."""

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import Api, ok
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_a_hotline_report_is_verified_then_opened(cast):
    wang, li, zhao = Api(cast.wang), Api(cast.li), Api(cast.zhao)
    case = ok(wang.report(source="hotline", reporter_name="市民张", reporter_phone="13800000000"), 201)["id"]
    ok(wang.act(case, "accept"))
    refused = zhao.act(case, "open", class_code="06001", condition=1)
    assert (refused.status_code, refused.json()["code"]) == (409, "not_possible")

    ok(wang.act(case, "send_verification"))
    assert [a["action"] for a in ok(li.get(f"/cases/{case}"))["actions"]] == ["verify", "refute"]
    ok(li.act(case, "verify", attachments=li.photos(case)))
    opened = ok(zhao.act(case, "open", class_code="06001", condition=1))
    assert opened["state"] == "open"


def test_verification_needs_a_photo(cast):
    case = make_case(cast, State.VERIFYING)
    response = Api(cast.li).act(case, "verify")
    assert (response.status_code, response.json()["field"]) == (422, "attachments")


def test_a_refuted_report_is_rejected_with_the_reason(cast):
    case = make_case(cast, State.VERIFYING)
    li = Api(cast.li)
    body = ok(li.act(case, "refute", reason="现场未发现", attachments=li.photos(case)))
    assert body["state"] == "rejected"
    assert body["timeline"][-1]["reason"] == "现场未发现"


def test_the_intake_operator_rejects_a_report_with_a_reason(cast):
    case = make_case(cast, State.REPORTED)
    wang = Api(cast.wang)
    assert wang.act(case, "reject").json()["field"] == "reason"
    assert ok(wang.act(case, "reject", reason="不属于城管范围"))["state"] == "rejected"


def test_a_collector_outside_the_grid_may_not_verify(cast):
    case = make_case(cast, State.VERIFYING)
    cast.li.collector.grids.clear()
    assert Api(cast.li).act(case, "verify").status_code == 404
    assert Case.objects.get(pk=case.pk).state == "verifying"
