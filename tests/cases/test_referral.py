"""移交执法 (art. 33): a legal violation goes to a law-enforcement body and is tracked like a dispatch."""

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import Api, ok
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_a_violation_is_referred_to_law_enforcement_and_tracked(cast):
    case = make_case(cast, State.OPEN)
    body = ok(Api(cast.sun).act(case, "refer", department_id=cast.law.pk, reason="违法建设，移交执法"))
    assert (body["state"], body["department"]["id"]) == ("referred", cast.law.pk)
    assert body["due_at"] is not None

    feng = Api(cast.feng)
    assert [a["action"] for a in ok(feng.get(f"/cases/{case.pk}"))["actions"]] == ["feedback"]
    fed_back = ok(feng.act(case, "feedback", note="已立案查处", attachments=feng.photos(case, "before", "after")))
    assert fed_back["state"] == "fed_back"


def test_only_a_law_enforcement_body_takes_a_referral(cast):
    case = make_case(cast, State.OPEN)
    response = Api(cast.sun).act(case, "refer", department_id=cast.shizheng.pk, reason="违法")
    assert (response.status_code, response.json()["field"]) == (422, "department_id")


def test_a_referral_needs_a_reason(cast):
    case = make_case(cast, State.OPEN)
    response = Api(cast.sun).act(case, "refer", department_id=cast.law.pk)
    assert (response.status_code, response.json()["field"]) == (422, "reason")
