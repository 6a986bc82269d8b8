"""The case workflow (案卷流转) as one table.

Every allowed move is a row in MOVES: from which state, by which action, to which state, by which posts,
with which inputs, under which condition, and what it counts. Nothing else decides whether a case may
change state; views, the API, Open311 and background jobs all go through step().

The rows follow the standard 7 steps (信息收集 → 立案 → 派遣 → 处理 → 反馈 → 核查结案 → 评价, STANDARDS.md §4.1)
and the exception flows of §4.4; the Zhengzhou rules (zhengzhou-regulation.txt) are cited on the rows they add.
Requests (回退, 延期, 挂账) are moves into a waiting state; the 派遣员 (or the district command centre
that dispatched the case) approves or denies them. 核实 (before 立案: does the problem exist?) and 核查 (after
处置: is it fixed?) are different steps and keep different names.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from urbangrid.core.codes import gettext_noop
from urbangrid.core.posts import Post

DISPUTE_AFTER_RETURNS = 2  # art. 23: the second "not ours" return goes to coordination


class State(StrEnum):
    REPORTED = "reported"  # 上报
    SELF_REPORTED = "self_reported"  # 自处置上报: fixed on the spot by the collector (art. 17)
    SELF_ACCEPTED = "self_accepted"  # 自处置已受理
    ACCEPTED = "accepted"  # 受理
    VERIFYING = "verifying"  # 核实中
    VERIFIED = "verified"  # 已核实
    OPEN = "open"  # 立案, waiting for 派遣
    AT_DISTRICT = "at_district"  # 区指挥中心待派遣 (二级指挥, art. 20)
    DISPATCHED = "dispatched"  # 已派遣, waiting for the department to take it
    RETURN_REQUESTED = "return_requested"  # 回退待审
    DISTRICT_COORDINATION = "district_coordination"  # 区级协调 (art. 23)
    CITY_COORDINATION = "city_coordination"  # 市级协调 (art. 23)
    REFERRED = "referred"  # 移交执法 (art. 33)
    HANDLING = "handling"  # 处置中
    EXTENSION_REQUESTED = "extension_requested"  # 延期待审
    PARK_REQUESTED = "park_requested"  # 挂账待审
    PARKED = "parked"  # 挂账/缓办: the clock is stopped
    FED_BACK = "fed_back"  # 已反馈
    CHECKING = "checking"  # 核查中
    CHECKED = "checked"  # 核查通过
    CLOSED = "closed"  # 结案
    REJECTED = "rejected"  # 不予受理
    VOIDED = "voided"  # 作废


class Action(StrEnum):
    ACCEPT = "accept"  # 受理
    REJECT = "reject"  # 不予受理
    MARK_DUPLICATE = "mark_duplicate"  # 重复上报
    SEND_VERIFICATION = "send_verification"  # 派发核实
    VERIFY = "verify"  # 核实属实
    REFUTE = "refute"  # 核实不属实
    OPEN = "open"  # 立案
    VOID = "void"  # 作废
    DISPATCH = "dispatch"  # 派遣
    FORWARD = "forward"  # 派至区指挥中心
    RETURN_TO_CITY = "return_to_city"  # 区级退回市级
    REFER = "refer"  # 移交执法
    TAKE = "take"  # 签收
    REQUEST_RETURN = "request_return"  # 申请回退
    APPROVE_RETURN = "approve_return"  # 同意回退
    DENY_RETURN = "deny_return"  # 驳回回退
    DECIDE = "decide"  # 协调裁定
    REFER_UP = "refer_up"  # 提请市级协调
    REQUEST_EXTENSION = "request_extension"  # 申请延期
    APPROVE_EXTENSION = "approve_extension"  # 同意延期
    DENY_EXTENSION = "deny_extension"  # 驳回延期
    REQUEST_PARK = "request_park"  # 申请挂账/缓办
    APPROVE_PARK = "approve_park"  # 同意挂账
    DENY_PARK = "deny_park"  # 驳回挂账
    RESTORE = "restore"  # 挂账恢复
    FEEDBACK = "feedback"  # 处理反馈
    SEND_CHECK = "send_check"  # 派发核查
    PASS_CHECK = "pass_check"  # 核查通过
    REWORK = "rework"  # 返工: 核查 failed
    CLOSE = "close"  # 结案
    SUPERVISE = "supervise"  # 督办
    SETTLE_COST = "settle_cost"  # 落实经费 (art. 24)
    ERASE_PERSONAL_DATA = "erase_personal_data"  # 清除举报人信息: the retention job, after closure
    FOLLOW_UP = "follow_up"  # 回访满意: the caller is satisfied, the follow-up is done
    REOPEN = "reopen"  # 回访不满意: the caller says the problem remains; back to the supervision centre


class Need(StrEnum):
    REASON = "reason"
    NOTE = "note"  # what was done
    PHOTOS = "photos"  # on-site photos; for 处理反馈, before and after
    CLASSIFICATION = "classification"  # class + 立案条件, which fix the handling limit
    DEPARTMENT = "department"
    DISTRICT = "district"
    DECISION = "decision"  # the binding coordination decision
    DURATION = "duration"  # of an extension
    CASE = "case"  # the case this one duplicates
    COST = "cost"  # payer and amount


class Guard(StrEnum):
    ANY = "any"
    FROM_COLLECTOR = "from_collector"  # a collector saw it on site: no 核实 needed
    UNDISPUTED = "undisputed"
    DISTRICT_DISPUTE = "district_dispute"
    CITY_DISPUTE = "city_dispute"
    UNDECIDED = "undecided"  # no binding coordination decision names the department
    OVERDUE = "overdue"
    NON_ROUTINE = "non_routine"  # 非常规问题: handled first, cost settled later (art. 24)
    FOLLOW_UP_DUE = "follow_up_due"  # a caller's closed case not yet followed up (STANDARDS.md §6)


class Count(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    REFUTED = "refuted"
    OPENED = "opened"
    VOIDED = "voided"
    DISPATCHED = "dispatched"
    REFERRED = "referred"
    RETURNED = "returned"  # 错误派遣
    DISPUTED = "disputed"
    EXTENDED = "extended"
    PARKED = "parked"
    REWORK = "rework"
    CLOSED = "closed"
    SELF_HANDLED = "self_handled"  # 自行处置, reported apart
    ESCALATED = "escalated"


class ReturnReason(StrEnum):
    NOT_OURS = "not_ours"  # 非本单位职责: counts towards a dispute
    WRONG_INFORMATION = "wrong_information"
    OTHER = "other"


@dataclass(frozen=True)
class Facts:
    """What the guards look at; the caller derives it from the case and its events."""

    from_collector: bool = False
    not_ours_returns: int = 0  # ReturnReason.NOT_OURS returns so far, a pending one included
    cross_district: bool = False  # the dispute spans districts or involves a city department
    decided: bool = False
    overdue: bool = False
    non_routine: bool = False
    follow_up_due: bool = False  # closed, from the hotline or the public, with a phone, not yet called back


NO_FACTS = Facts()
GUARDS = {
    Guard.ANY: lambda f: True,
    Guard.FROM_COLLECTOR: lambda f: f.from_collector,
    Guard.UNDISPUTED: lambda f: f.not_ours_returns < DISPUTE_AFTER_RETURNS,
    Guard.DISTRICT_DISPUTE: lambda f: f.not_ours_returns >= DISPUTE_AFTER_RETURNS and not f.cross_district,
    Guard.CITY_DISPUTE: lambda f: f.not_ours_returns >= DISPUTE_AFTER_RETURNS and f.cross_district,
    Guard.UNDECIDED: lambda f: not f.decided,
    Guard.OVERDUE: lambda f: f.overdue,
    Guard.NON_ROUTINE: lambda f: f.non_routine,
    Guard.FOLLOW_UP_DUE: lambda f: f.follow_up_due,
}
GUARD_MESSAGES = {
    Guard.FROM_COLLECTOR: gettext_noop("{action} needs a verification on site first: not a collector's report"),
    Guard.UNDECIDED: gettext_noop("{action} is not possible: a binding coordination decision named this department"),
    Guard.OVERDUE: gettext_noop("{action} is only for overdue cases"),
    Guard.NON_ROUTINE: gettext_noop("{action} is only for non-routine problems"),
    Guard.FOLLOW_UP_DUE: gettext_noop(
        "{action} is only for a closed hotline or public report with the caller's phone, not yet followed up"
    ),
}


@dataclass(frozen=True)
class Move:
    source: State
    action: Action
    target: State
    posts: frozenset[Post]
    needs: frozenset[Need] = frozenset()
    guard: Guard = Guard.ANY
    counts: Count | None = None

    @property
    def needs_reason(self) -> bool:
        return Need.REASON in self.needs

    @property
    def needs_attachments(self) -> bool:
        return Need.PHOTOS in self.needs


class WorkflowError(ValueError):
    """A move the table does not allow; `message` is an English msgid with {placeholders}."""

    def __init__(self, message: str, **params: object):
        self.message, self.params = message, params
        super().__init__(message.format(**params))


def _row(source, action, target, posts, needs=(), guard=Guard.ANY, counts=None) -> Move:
    posts = frozenset(posts if isinstance(posts, tuple) else (posts,))
    return Move(source, action, target, posts, frozenset(needs), guard, counts)


S, A, P, N, G, C = State, Action, Post, Need, Guard, Count
CENTRES = (P.DISPATCHER, P.DISTRICT_OPERATOR)  # whichever command centre dispatched the case
OVERSEERS = (P.SHIFT_LEADER, P.LEADER)  # 监督中心: 监察督办 (art. 6)
VOIDABLE = (S.ACCEPTED, S.VERIFYING, S.VERIFIED, S.OPEN, S.AT_DISTRICT, S.DISPATCHED, S.RETURN_REQUESTED)
OVERDUE_STATES = (S.DISPATCHED, S.REFERRED, S.HANDLING, S.EXTENSION_REQUESTED, S.PARK_REQUESTED)
COSTED_STATES = (S.HANDLING, S.FED_BACK, S.CHECKING, S.CHECKED, S.CLOSED)
SYSTEM = ()  # no post: only the system takes this move (system_step)

# fmt: off
MOVES: tuple[Move, ...] = (
    # 信息收集 and 受理 (art. 19); 自处置 of minor problems (art. 17), a short path counted apart
    _row(S.REPORTED, A.ACCEPT, S.ACCEPTED, P.INTAKE_OPERATOR, counts=C.ACCEPTED),
    _row(S.REPORTED, A.REJECT, S.REJECTED, P.INTAKE_OPERATOR, [N.REASON], counts=C.REJECTED),
    _row(S.REPORTED, A.MARK_DUPLICATE, S.REJECTED, P.INTAKE_OPERATOR, [N.CASE], counts=C.DUPLICATE),
    _row(S.SELF_REPORTED, A.ACCEPT, S.SELF_ACCEPTED, P.INTAKE_OPERATOR),
    _row(S.SELF_REPORTED, A.REJECT, S.REJECTED, P.INTAKE_OPERATOR, [N.REASON], counts=C.REJECTED),
    _row(S.SELF_ACCEPTED, A.CLOSE, S.CLOSED, P.SHIFT_LEADER, counts=C.SELF_HANDLED),
    # 核实: hotline and public reports are confirmed on site before 立案
    _row(S.ACCEPTED, A.SEND_VERIFICATION, S.VERIFYING, P.INTAKE_OPERATOR),
    _row(S.VERIFYING, A.VERIFY, S.VERIFIED, P.COLLECTOR, [N.PHOTOS]),
    _row(S.VERIFYING, A.REFUTE, S.REJECTED, P.COLLECTOR, [N.REASON, N.PHOTOS], counts=C.REFUTED),
    # 立案: class and 立案条件 fix the handling limit
    _row(S.ACCEPTED, A.OPEN, S.OPEN, P.SHIFT_LEADER, [N.CLASSIFICATION], G.FROM_COLLECTOR, C.OPENED),
    _row(S.VERIFIED, A.OPEN, S.OPEN, P.SHIFT_LEADER, [N.CLASSIFICATION], counts=C.OPENED),
    *(_row(state, A.VOID, S.VOIDED, P.SHIFT_LEADER, [N.REASON], counts=C.VOIDED) for state in VOIDABLE),
    # 派遣: to a department, or to a district command centre that dispatches in turn (art. 20)
    _row(S.OPEN, A.DISPATCH, S.DISPATCHED, P.DISPATCHER, [N.DEPARTMENT], counts=C.DISPATCHED),
    _row(S.OPEN, A.FORWARD, S.AT_DISTRICT, P.DISPATCHER, [N.DISTRICT]),
    _row(S.AT_DISTRICT, A.DISPATCH, S.DISPATCHED, P.DISTRICT_OPERATOR, [N.DEPARTMENT], counts=C.DISPATCHED),
    _row(S.AT_DISTRICT, A.RETURN_TO_CITY, S.OPEN, P.DISTRICT_OPERATOR, [N.REASON]),
    # 移交执法: a legal violation goes to a law-enforcement body, tracked like a department (art. 33)
    _row(S.OPEN, A.REFER, S.REFERRED, P.DISPATCHER, [N.DEPARTMENT, N.REASON], counts=C.REFERRED),
    _row(S.AT_DISTRICT, A.REFER, S.REFERRED, P.DISTRICT_OPERATOR, [N.DEPARTMENT, N.REASON], counts=C.REFERRED),
    _row(S.REFERRED, A.FEEDBACK, S.FED_BACK, P.DEPARTMENT_HANDLER, [N.NOTE, N.PHOTOS]),
    # 签收 or 回退; the second "not ours" goes to coordination, whose decision binds (art. 23)
    _row(S.DISPATCHED, A.TAKE, S.HANDLING, P.DEPARTMENT_HANDLER),
    _row(S.DISPATCHED, A.REQUEST_RETURN, S.RETURN_REQUESTED, P.DEPARTMENT_HANDLER, [N.REASON], G.UNDECIDED),
    _row(S.RETURN_REQUESTED, A.APPROVE_RETURN, S.OPEN, P.DISPATCHER, (), G.UNDISPUTED, C.RETURNED),
    _row(S.RETURN_REQUESTED, A.APPROVE_RETURN, S.AT_DISTRICT, P.DISTRICT_OPERATOR, (), G.UNDISPUTED, C.RETURNED),
    _row(S.RETURN_REQUESTED, A.APPROVE_RETURN, S.DISTRICT_COORDINATION, CENTRES, (), G.DISTRICT_DISPUTE, C.DISPUTED),
    _row(S.RETURN_REQUESTED, A.APPROVE_RETURN, S.CITY_COORDINATION, CENTRES, (), G.CITY_DISPUTE, C.DISPUTED),
    _row(S.RETURN_REQUESTED, A.DENY_RETURN, S.DISPATCHED, CENTRES, [N.REASON]),
    _row(S.DISTRICT_COORDINATION, A.DECIDE, S.DISPATCHED, P.DISTRICT_OPERATOR, [N.DEPARTMENT, N.DECISION]),
    _row(S.DISTRICT_COORDINATION, A.REFER_UP, S.CITY_COORDINATION, P.DISTRICT_OPERATOR, [N.REASON]),
    _row(S.CITY_COORDINATION, A.DECIDE, S.DISPATCHED, P.DISPATCHER, [N.DEPARTMENT, N.DECISION]),
    # 处置: 延期 moves the deadline, 挂账/缓办 stops the clock until 恢复 (STANDARDS.md §4.4)
    _row(S.HANDLING, A.REQUEST_EXTENSION, S.EXTENSION_REQUESTED, P.DEPARTMENT_HANDLER, [N.REASON, N.DURATION]),
    _row(S.EXTENSION_REQUESTED, A.APPROVE_EXTENSION, S.HANDLING, CENTRES, [N.DURATION], counts=C.EXTENDED),
    _row(S.EXTENSION_REQUESTED, A.DENY_EXTENSION, S.HANDLING, CENTRES, [N.REASON]),
    _row(S.HANDLING, A.REQUEST_PARK, S.PARK_REQUESTED, P.DEPARTMENT_HANDLER, [N.REASON]),
    _row(S.PARK_REQUESTED, A.APPROVE_PARK, S.PARKED, CENTRES, counts=C.PARKED),
    _row(S.PARK_REQUESTED, A.DENY_PARK, S.HANDLING, CENTRES, [N.REASON]),
    _row(S.PARKED, A.RESTORE, S.HANDLING, CENTRES),
    _row(S.HANDLING, A.FEEDBACK, S.FED_BACK, P.DEPARTMENT_HANDLER, [N.NOTE, N.PHOTOS]),
    # 核查结案 (art. 22): pass → 结案; fail → 返工 to the same department
    _row(S.FED_BACK, A.SEND_CHECK, S.CHECKING, P.INTAKE_OPERATOR),
    _row(S.CHECKING, A.PASS_CHECK, S.CHECKED, P.COLLECTOR, [N.PHOTOS]),
    _row(S.CHECKING, A.REWORK, S.DISPATCHED, P.COLLECTOR, [N.REASON, N.PHOTOS], counts=C.REWORK),
    _row(S.CHECKED, A.CLOSE, S.CLOSED, P.SHIFT_LEADER, counts=C.CLOSED),
    # 督办 of overdue cases; 先解决问题后落实经费 for non-routine problems (art. 24)
    *(_row(state, A.SUPERVISE, state, OVERSEERS, [N.REASON], G.OVERDUE, C.ESCALATED) for state in OVERDUE_STATES),
    *(_row(state, A.SETTLE_COST, state, CENTRES, [N.COST], G.NON_ROUTINE) for state in COSTED_STATES),
    # The reporter's name and phone are erased some time after the case ends; no post may do it by hand
    *(_row(state, A.ERASE_PERSONAL_DATA, state, SYSTEM) for state in (S.CLOSED, S.REJECTED, S.VOIDED)),
    # 回访 (12319: 跟踪督办、信息反馈, STANDARDS.md §6): the 受理员 calls a hotline or public reporter back after
    # 结案. Satisfied: the follow-up is done. Not satisfied: the case goes back to the supervision centre, which
    # has it verified on site (核实) before opening it again; the only row that leaves a finished case.
    _row(S.CLOSED, A.FOLLOW_UP, S.CLOSED, P.INTAKE_OPERATOR, (), G.FOLLOW_UP_DUE),
    _row(S.CLOSED, A.REOPEN, S.ACCEPTED, P.INTAKE_OPERATOR, [N.REASON], G.FOLLOW_UP_DUE),
)
# fmt: on

_BY_KEY: dict[tuple[State, Action], list[Move]] = {}
for _move in MOVES:
    _BY_KEY.setdefault((_move.source, _move.action), []).append(_move)

# No row leaves them for another state, but for the 回访 reopening of a closed case (A.REOPEN).
TERMINAL = frozenset({State.CLOSED, State.REJECTED, State.VOIDED})


def initial_state(self_handled: bool = False) -> State:
    return State.SELF_REPORTED if self_handled else State.REPORTED


def step(state: State, action: Action, posts: Post | Iterable[Post], facts: Facts = NO_FACTS) -> Move:
    """The row that allows `action` on a case in `state` for someone holding `posts`, or WorkflowError."""
    rows = _BY_KEY.get((State(state), Action(action)))
    if not rows:
        raise WorkflowError(gettext_noop("{action} is not possible in state {state}"), action=action, state=state)
    held = _posts(posts)
    allowed = [move for move in rows if move.posts & held]
    if not allowed:
        names = ", ".join(sorted({post for move in rows for post in move.posts}))
        if not names:
            raise WorkflowError(gettext_noop("{action} is taken by the system, never by hand"), action=action)
        raise WorkflowError(gettext_noop("{action} needs one of these posts: {posts}"), action=action, posts=names)
    for move in allowed:
        if GUARDS[move.guard](facts):
            return move
    raise WorkflowError(
        GUARD_MESSAGES.get(allowed[0].guard, gettext_noop("{action} is not possible now")), action=action
    )


def system_step(state: State, action: Action) -> Move:
    """The row of a move the system takes on its own (no post may), or WorkflowError."""
    for move in _BY_KEY.get((State(state), Action(action)), ()):
        if not move.posts:
            return move
    raise WorkflowError(gettext_noop("{action} is not possible in state {state}"), action=action, state=state)


def available(state: State, posts: Post | Iterable[Post], facts: Facts = NO_FACTS) -> list[Action]:
    """The actions to offer as buttons, in table order."""
    held = _posts(posts)
    found = (m.action for m in MOVES if m.source == state and m.posts & held and GUARDS[m.guard](facts))
    return list(dict.fromkeys(found))


def require(move: Move, given: Iterable[Need]) -> None:
    """Raise WorkflowError unless every input the move needs was given."""
    missing = sorted(move.needs - set(given))
    if missing:
        raise WorkflowError(gettext_noop("{action} needs: {missing}"), action=move.action, missing=", ".join(missing))


def mermaid() -> str:
    """MOVES as a Mermaid state diagram, for the docs; non-moving rows are left out."""
    lines = ["stateDiagram-v2"]
    lines += [f"    {m.source} --> {m.target}: {m.action}" for m in MOVES if m.source != m.target]
    return "\n".join(dict.fromkeys(lines))


def _posts(posts: Post | Iterable[Post]) -> frozenset[Post]:
    return frozenset({Post(posts)} if isinstance(posts, str) else map(Post, posts))


_STATE_NAMES = {
    State.REPORTED: (gettext_noop("Reported"), "上报"),
    State.SELF_REPORTED: (gettext_noop("Self-handled, reported"), "自处置上报"),
    State.SELF_ACCEPTED: (gettext_noop("Self-handled, accepted"), "自处置受理"),
    State.ACCEPTED: (gettext_noop("Accepted"), "受理"),
    State.VERIFYING: (gettext_noop("Being verified"), "核实中"),
    State.VERIFIED: (gettext_noop("Verified"), "已核实"),
    State.OPEN: (gettext_noop("Opened"), "立案"),
    State.AT_DISTRICT: (gettext_noop("At the district command centre"), "区级待派遣"),
    State.DISPATCHED: (gettext_noop("Dispatched"), "已派遣"),
    State.RETURN_REQUESTED: (gettext_noop("Return requested"), "回退待审"),
    State.DISTRICT_COORDINATION: (gettext_noop("District coordination"), "区级协调"),
    State.CITY_COORDINATION: (gettext_noop("City coordination"), "市级协调"),
    State.REFERRED: (gettext_noop("Referred to law enforcement"), "移交执法"),
    State.HANDLING: (gettext_noop("Handling"), "处置中"),
    State.EXTENSION_REQUESTED: (gettext_noop("Extension requested"), "延期待审"),
    State.PARK_REQUESTED: (gettext_noop("Suspension requested"), "挂账待审"),
    State.PARKED: (gettext_noop("Suspended"), "挂账/缓办"),
    State.FED_BACK: (gettext_noop("Handled, fed back"), "处理反馈"),
    State.CHECKING: (gettext_noop("Being checked"), "核查中"),
    State.CHECKED: (gettext_noop("Checked"), "核查通过"),
    State.CLOSED: (gettext_noop("Closed"), "结案"),
    State.REJECTED: (gettext_noop("Rejected"), "不予受理"),
    State.VOIDED: (gettext_noop("Voided"), "作废"),
}
_ACTION_NAMES = {
    Action.ACCEPT: (gettext_noop("Accept"), "受理"),
    Action.REJECT: (gettext_noop("Reject"), "不予受理"),
    Action.MARK_DUPLICATE: (gettext_noop("Mark as duplicate"), "重复上报"),
    Action.SEND_VERIFICATION: (gettext_noop("Send for verification"), "派发核实"),
    Action.VERIFY: (gettext_noop("Confirm"), "核实属实"),
    Action.REFUTE: (gettext_noop("Not found"), "核实不属实"),
    Action.OPEN: (gettext_noop("Open"), "立案"),
    Action.VOID: (gettext_noop("Void"), "作废"),
    Action.DISPATCH: (gettext_noop("Dispatch"), "派遣"),
    Action.FORWARD: (gettext_noop("Forward to district"), "派至区指挥中心"),
    Action.RETURN_TO_CITY: (gettext_noop("Return to city"), "退回市级"),
    Action.REFER: (gettext_noop("Refer to law enforcement"), "移交执法"),
    Action.TAKE: (gettext_noop("Take"), "签收"),
    Action.REQUEST_RETURN: (gettext_noop("Request return"), "申请回退"),
    Action.APPROVE_RETURN: (gettext_noop("Approve return"), "同意回退"),
    Action.DENY_RETURN: (gettext_noop("Deny return"), "驳回回退"),
    Action.DECIDE: (gettext_noop("Decide"), "协调裁定"),
    Action.REFER_UP: (gettext_noop("Refer to city"), "提请市级协调"),
    Action.REQUEST_EXTENSION: (gettext_noop("Request extension"), "申请延期"),
    Action.APPROVE_EXTENSION: (gettext_noop("Approve extension"), "同意延期"),
    Action.DENY_EXTENSION: (gettext_noop("Deny extension"), "驳回延期"),
    Action.REQUEST_PARK: (gettext_noop("Request suspension"), "申请挂账"),
    Action.APPROVE_PARK: (gettext_noop("Approve suspension"), "同意挂账"),
    Action.DENY_PARK: (gettext_noop("Deny suspension"), "驳回挂账"),
    Action.RESTORE: (gettext_noop("Restore"), "挂账恢复"),
    Action.FEEDBACK: (gettext_noop("Report back"), "处理反馈"),
    Action.SEND_CHECK: (gettext_noop("Send for check"), "派发核查"),
    Action.PASS_CHECK: (gettext_noop("Check passed"), "核查通过"),
    Action.REWORK: (gettext_noop("Rework"), "返工"),
    Action.CLOSE: (gettext_noop("Close"), "结案"),
    Action.SUPERVISE: (gettext_noop("Supervise"), "督办"),
    Action.SETTLE_COST: (gettext_noop("Settle cost"), "落实经费"),
    Action.ERASE_PERSONAL_DATA: (gettext_noop("Erase the reporter's personal data"), "清除举报人信息"),
    Action.FOLLOW_UP: (gettext_noop("Follow-up: satisfied"), "回访满意"),
    Action.REOPEN: (gettext_noop("Follow-up: not satisfied, reopen"), "回访不满意"),
}
# Two tables each, not one: State.OPEN and Action.OPEN are both the string "open", so one dict would
# keep only one of 立案 (the state, "Opened") and 立案 (the action, "Open").
STATE_LABELS = {state: _STATE_NAMES[state][0] for state in State}  # English msgids, for gettext
ACTION_LABELS = {action: _ACTION_NAMES[action][0] for action in Action}
STATE_TERMS = {state: _STATE_NAMES[state][1] for state in State}  # the standard's Chinese terms
ACTION_TERMS = {action: _ACTION_NAMES[action][1] for action in Action}
