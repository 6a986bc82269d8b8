"""作废, 自处置 and 落实经费: the side flows of the table."""

import pytest

from tests.cases.builders import CLASSIFY, make_case, path, walk
from tests.cases.helpers import Api, ok
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_the_shift_leader_voids_a_case_opened_by_mistake(cast):
    case = make_case(cast, State.DISPATCHED)
    zhao = Api(cast.zhao)
    assert zhao.act(case, "void").json()["field"] == "reason"
    body = ok(zhao.act(case, "void", reason="误立案"))
    assert (body["state"], body["due_at"], body["step_due_at"], body["actions"]) == ("voided", None, None, [])


def test_a_self_handled_case_takes_the_short_path(cast):
    li, wang, zhao = Api(cast.li), Api(cast.wang), Api(cast.zhao)
    reported = ok(li.report(self_handled=True, description="现场扶正倾倒的垃圾桶"), 201)
    assert (reported["state"], reported["self_handled"]) == ("self_reported", True)
    ok(wang.act(reported["id"], "accept"))
    body = ok(zhao.act(reported["id"], "close"))
    assert body["state"] == "closed"
    assert [e["action"] for e in body["timeline"]] == ["report", "accept", "close"]


def test_a_self_handled_report_may_be_rejected(cast):
    case = make_case(cast, State.SELF_REPORTED)
    assert ok(Api(cast.wang).act(case, "reject", reason="不属于轻微问题"))["state"] == "rejected"


def test_the_cost_of_a_non_routine_problem_is_settled_later(cast):
    case = make_case(cast, State.ACCEPTED)
    assert ok(Api(cast.zhao).act(case, "open", non_routine=True, **CLASSIFY))["non_routine"] is True
    steps = path(cast)[State.DISPATCHED][1] + path(cast)[State.HANDLING][1]
    case = walk(cast, Case.objects.get(pk=case.pk), steps)
    sun = Api(cast.sun)
    assert sun.act(case, "settle_cost", payer="金水区财政").json()["field"] == "amount"
    assert sun.act(case, "settle_cost", amount="12.5").json()["field"] == "payer"
    body = ok(sun.act(case, "settle_cost", payer="金水区财政", amount="3280.50"))
    assert (body["state"], body["cost"]) == ("handling", {"payer": "金水区财政", "amount": "3280.50"})
    assert body["timeline"][-1]["data"] == {"payer": "金水区财政", "amount": "3280.50"}


def test_a_routine_case_has_no_cost_to_settle(cast):
    case = make_case(cast, State.HANDLING)
    response = Api(cast.sun).act(case, "settle_cost", payer="金水区财政", amount="100")
    assert (response.status_code, response.json()["code"]) == (409, "not_possible")


def test_an_amount_must_be_positive_with_at_most_two_decimals(cast):
    case = make_case(cast, State.HANDLING, non_routine=True)
    sun = Api(cast.sun)
    assert sun.act(case, "settle_cost", payer="区财政", amount="-1").status_code == 422
    assert sun.act(case, "settle_cost", payer="区财政", amount="1.005").status_code == 422
