"""make_case(cast, State.X): a case walked to state X through cases.actions, by the cast, the way it happens.

Each state is reached from an earlier one by the steps in `path`; there are no shortcuts that write a state
directly, so a built case has the same events, deadlines and counters as a real one.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.helpers import GRID1, PNG, Cast
from urbangrid.cases import actions
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

S = State
DISPATCH_REASON = "按职责派遣"
CLASSIFY = {"class_code": "06001", "condition": 1}
HOTLINE_STATES = frozenset({S.VERIFYING, S.VERIFIED})


def path(cast: Cast) -> dict[State, tuple[State, list[tuple[str, str, dict]]]]:
    """For each state: the state it is reached from, and the steps (who, action, inputs) from there."""
    dispatch = {"department_id": cast.shizheng.pk, "reason": DISPATCH_REASON}
    not_ours = {"reason": "非本单位职责", "return_reason": "not_ours"}
    return {
        S.ACCEPTED: (S.REPORTED, [("wang", "accept", {})]),
        S.REJECTED: (S.REPORTED, [("wang", "reject", {"reason": "不属于城管范围"})]),
        S.SELF_ACCEPTED: (S.SELF_REPORTED, [("wang", "accept", {})]),
        S.VERIFYING: (S.ACCEPTED, [("wang", "send_verification", {})]),
        S.VERIFIED: (S.VERIFYING, [("li", "verify", {"photos": ["evidence"]})]),
        S.OPEN: (S.ACCEPTED, [("zhao", "open", CLASSIFY)]),
        S.VOIDED: (S.OPEN, [("zhao", "void", {"reason": "误立案"})]),
        S.AT_DISTRICT: (S.OPEN, [("sun", "forward", {"district": "410105", "reason": DISPATCH_REASON})]),
        S.DISPATCHED: (S.OPEN, [("sun", "dispatch", dispatch)]),
        S.REFERRED: (S.OPEN, [("sun", "refer", {"department_id": cast.law.pk, "reason": "违法建设，移交执法"})]),
        S.RETURN_REQUESTED: (S.DISPATCHED, [("zhou", "request_return", not_ours)]),
        S.DISTRICT_COORDINATION: (S.RETURN_REQUESTED, [
            ("sun", "approve_return", {}),
            ("sun", "dispatch", {"department_id": cast.yuanlin.pk, "reason": DISPATCH_REASON}),
            ("wu", "request_return", not_ours),
            ("sun", "approve_return", {}),
        ]),
        S.CITY_COORDINATION: (S.DISTRICT_COORDINATION, [("qian", "refer_up", {"reason": "区内协调不成"})]),
        S.HANDLING: (S.DISPATCHED, [("zhou", "take", {})]),
        S.EXTENSION_REQUESTED: (S.HANDLING, [
            ("zhou", "request_extension", {"reason": "需要更换管线", "duration": 1, "duration_unit": "work_days"}),
        ]),
        S.PARK_REQUESTED: (S.HANDLING, [("zhou", "request_park", {"reason": "需要专项资金"})]),
        S.PARKED: (S.PARK_REQUESTED, [("sun", "approve_park", {})]),
        S.FED_BACK: (S.HANDLING, [("zhou", "feedback", {"note": "已拆除", "photos": ["before", "after"]})]),
        S.CHECKING: (S.FED_BACK, [("wang", "send_check", {})]),
        S.CHECKED: (S.CHECKING, [("li", "pass_check", {"photos": ["evidence"]})]),
        S.CLOSED: (S.CHECKED, [("zhao", "close", {})]),
    }


def make_case(cast: Cast, state: State = S.REPORTED, **report_fields) -> Case:
    """A case in `state`. Hotline reports for the 核实 states, collector reports otherwise."""
    state = State(state)
    if state in (S.REPORTED, S.SELF_REPORTED):
        return reported(cast, self_handled=state == S.SELF_REPORTED, **report_fields)
    if state in HOTLINE_STATES:
        report_fields.setdefault("source", "hotline")
    previous, steps = path(cast)[state]
    if state == S.OPEN and report_fields.get("source", "collector") != "collector":
        previous = S.VERIFIED  # only a collector's own report is opened without 核实
    return walk(cast, make_case(cast, previous, **report_fields), steps)


def reported(cast: Cast, source: str = "collector", **fields) -> Case:
    actor = cast.li if source == "collector" else cast.wang
    values = {"kind": "matter", "description": "路边正在搭建违章棚子", "lon": GRID1[0], "lat": GRID1[1], **fields}
    case, created = actions.report(actor, source=source, **values)
    assert created
    return case


def walk(cast: Cast, case: Case, steps) -> Case:
    for who, action, inputs in steps:
        actor = getattr(cast, who)
        inputs = dict(inputs)
        kinds = inputs.pop("photos", [])
        inputs["attachments"] = [photo(case, actor, kind).pk for kind in kinds]
        case = actions.act(case.pk, actor, action, case.version, **inputs)
    return case


def photo(case: Case, actor, kind: str = "evidence"):
    return actions.add_attachment(case.pk, actor, SimpleUploadedFile("p.png", PNG, "image/png"), kind)
