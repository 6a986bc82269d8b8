"""Every post × every action of the table, through the API, on a case in the state the action starts from.

Who may act is written out by hand below, not derived from the table, so a change of the table or of the
access rules shows up here. Whoever may not act gets 403 if they may see the case and 404 otherwise, and the
case keeps its version and its events.
"""

import datetime as dt

import pytest

from tests.cases.builders import CLASSIFY, DISPATCH_REASON, make_case, photo
from tests.cases.helpers import Api
from urbangrid.cases.models import Case
from urbangrid.core.workflow import MOVES, State

pytestmark = pytest.mark.django_db
S = State
EVERYONE = ("li", "wang", "zhao", "sun", "qian", "zhou", "wu", "feng", "chen")
ALWAYS_SEE = {"li", "wang", "zhao", "sun", "qian"}  # Li's grids, the centres, 金水区's command centre
SHIZHENG_STATES = {  # the case is with Zhou's department
    S.DISPATCHED, S.RETURN_REQUESTED, S.HANDLING, S.EXTENSION_REQUESTED, S.PARK_REQUESTED, S.PARKED,
    S.FED_BACK, S.CHECKING, S.CHECKED, S.CLOSED,
}
VOIDABLE = (S.ACCEPTED, S.VERIFYING, S.VERIFIED, S.OPEN, S.AT_DISTRICT, S.DISPATCHED, S.RETURN_REQUESTED)
OVERDUE = (S.DISPATCHED, S.REFERRED, S.HANDLING, S.EXTENSION_REQUESTED, S.PARK_REQUESTED)
COSTED = (S.HANDLING, S.FED_BACK, S.CHECKING, S.CHECKED, S.CLOSED)
ALLOWED = {
    (S.REPORTED, "accept"): "wang", (S.REPORTED, "reject"): "wang", (S.REPORTED, "mark_duplicate"): "wang",
    (S.SELF_REPORTED, "accept"): "wang", (S.SELF_REPORTED, "reject"): "wang", (S.SELF_ACCEPTED, "close"): "zhao",
    (S.ACCEPTED, "send_verification"): "wang", (S.ACCEPTED, "open"): "zhao",
    (S.VERIFYING, "verify"): "li", (S.VERIFYING, "refute"): "li", (S.VERIFIED, "open"): "zhao",
    (S.OPEN, "dispatch"): "sun", (S.OPEN, "forward"): "sun", (S.OPEN, "refer"): "sun",
    (S.AT_DISTRICT, "dispatch"): "qian", (S.AT_DISTRICT, "return_to_city"): "qian", (S.AT_DISTRICT, "refer"): "qian",
    (S.DISPATCHED, "take"): "zhou", (S.DISPATCHED, "request_return"): "zhou",
    (S.RETURN_REQUESTED, "approve_return"): "sun", (S.RETURN_REQUESTED, "deny_return"): "sun",
    (S.DISTRICT_COORDINATION, "decide"): "qian", (S.DISTRICT_COORDINATION, "refer_up"): "qian",
    (S.CITY_COORDINATION, "decide"): "sun", (S.REFERRED, "feedback"): "feng",
    (S.HANDLING, "request_extension"): "zhou", (S.HANDLING, "request_park"): "zhou", (S.HANDLING, "feedback"): "zhou",
    (S.EXTENSION_REQUESTED, "approve_extension"): "sun", (S.EXTENSION_REQUESTED, "deny_extension"): "sun",
    (S.PARK_REQUESTED, "approve_park"): "sun", (S.PARK_REQUESTED, "deny_park"): "sun", (S.PARKED, "restore"): "sun",
    (S.FED_BACK, "send_check"): "wang", (S.CHECKING, "pass_check"): "li", (S.CHECKING, "rework"): "li",
    (S.CHECKED, "close"): "zhao",
    **{(state, "void"): "zhao" for state in VOIDABLE},
    **{(state, "supervise"): "zhao" for state in OVERDUE},
    **{(state, "settle_cost"): "sun" for state in COSTED},
    **{(state, "erase_personal_data"): None for state in (S.CLOSED, S.REJECTED, S.VOIDED)},  # the system only
    (S.CLOSED, "follow_up"): "wang", (S.CLOSED, "reopen"): "wang",  # 回访 of a hotline or public report
}
PHOTOS = {"verify": ["evidence"], "refute": ["evidence"], "feedback": ["before", "after"],
          "pass_check": ["evidence"], "rework": ["evidence"]}


def case_fields(action: str) -> dict:
    """What the case must be for the row's guard: non-routine for 落实经费, a caller's report for 回访."""
    if action in ("follow_up", "reopen"):
        return {"source": "hotline", "reporter_phone": "13812345678"}
    return {"non_routine": action == "settle_cost"}


def inputs(cast, state: State, action: str) -> dict:
    reason = {"reason": "理由"}
    return {
        "reject": reason, "refute": reason, "void": reason, "return_to_city": reason, "deny_return": reason,
        "refer_up": reason, "deny_extension": reason, "request_park": reason, "deny_park": reason,
        "rework": reason, "supervise": reason, "reopen": reason, "open": CLASSIFY,
        "forward": {"reason": DISPATCH_REASON},
        "dispatch": {"department_id": cast.shizheng.pk, "reason": DISPATCH_REASON},
        "refer": {"department_id": cast.law.pk, "reason": "移交执法"},
        "request_return": {"reason": "非本单位职责", "return_reason": "not_ours"},
        "decide": {"department_id": cast.shizheng.pk, "decision": "协调决定"},
        "request_extension": {"reason": "工程量大", "duration": 1},
        "feedback": {"note": "已处理"}, "settle_cost": {"payer": "区财政", "amount": "100.00"},
        "mark_duplicate": {"duplicate_of": make_case(cast, S.REPORTED).pk},
    }.get(action, {})


def expected_refusal(state: State, who: str) -> int:
    sees = who in ALWAYS_SEE or (who == "zhou" and state in SHIZHENG_STATES) or (who == "feng" and state == S.REFERRED)
    return 403 if sees else 404


def test_the_matrix_covers_every_row_of_the_table():
    assert set(ALLOWED) == {(move.source, str(move.action)) for move in MOVES}


@pytest.mark.parametrize(("state", "action"), sorted(ALLOWED), ids=lambda v: str(v))
def test_only_the_right_post_may_take_the_action(cast, now, state, action):
    case = make_case(cast, state, **case_fields(action))
    if action == "supervise":
        now.at += dt.timedelta(days=3)
    body = inputs(cast, state, action)
    allowed = ALLOWED[(state, action)]
    for who in EVERYONE:
        if who == allowed:
            continue
        response = Api(getattr(cast, who)).act(case, action, **body)
        refused = expected_refusal(state, who)
        if allowed is None and refused == 403:
            refused = 409  # a move of the system's: not possible by hand, whoever asks
        assert response.status_code == refused, (who, response.content)
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.version, fresh.events.count()) == (case.version, case.version)
    if allowed is None:
        return

    actor = getattr(cast, allowed)
    attachments = [photo(case, actor, kind).pk for kind in PHOTOS.get(action, [])]
    response = Api(actor).act(case, action, attachments=attachments, **body)
    assert response.status_code == 200, response.content
    assert Case.objects.get(pk=case.pk).events.count() == case.version + 1
