"""What each move does to a case besides its state: the effects table of cases.actions.

Each function gets the locked case with the move's checked inputs, changes the case's fields in memory
(cases.actions saves them, with the event, in the same transaction) and returns what the event should
record besides the common fields. Moves with no entry change nothing but the state.
"""

from dataclasses import dataclass
from datetime import datetime

from urbangrid.accounts.models import Organisation, User
from urbangrid.cases import clock, facts, inputs, routing
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import Action, Move, ReturnReason, State

A = Action


@dataclass
class Context:
    case: Case
    move: Move
    actor: User
    post: Post
    organisation: Organisation
    cleaned: inputs.Cleaned
    at: datetime


def nothing(ctx: Context) -> dict:
    return {}


def _accept(ctx: Context) -> dict:
    ctx.case.accepted_at = ctx.case.accepted_at or ctx.at
    duplicate = ctx.case.suspected_duplicate_of_id
    return {"kept_apart_from": duplicate} if duplicate else {}


def _mark_duplicate(ctx: Context) -> dict:
    ctx.case.duplicate_of = original = ctx.cleaned.duplicate
    return {"duplicate_of": original.pk, "duplicate_of_number": original.number}


def _open(ctx: Context) -> dict:
    case, condition = ctx.case, ctx.cleaned.condition
    case.klass, case.condition, case.opened_at = ctx.cleaned.klass, condition, ctx.at
    # The limit is fixed here, at 立案; the clock starts at dispatch.
    case.limit_value, case.limit_unit, case.urgency = condition.limit_value, condition.limit_unit, condition.urgency
    if ctx.cleaned.non_routine is not None:
        case.non_routine = ctx.cleaned.non_routine
    return {
        "class": case.klass.code, "condition": condition.seq, "urgency": case.urgency,
        "limit": {"value": str(condition.limit_value), "unit": condition.limit_unit}, "non_routine": case.non_routine,
    }


def _void(ctx: Context) -> dict:
    ctx.case.due_at = None
    return {}


def _dispatch(ctx: Context) -> dict:
    department = ctx.cleaned.department
    free = ctx.move.source == State.AT_DISTRICT
    data = routing.check(ctx.case, department, ctx.cleaned.reason, ctx.at, free=free)
    return {**data, **start_clock(ctx.case, department, ctx.at)}


def _forward(ctx: Context) -> dict:
    centre = ctx.cleaned.district_centre
    data = routing.check(ctx.case, centre, ctx.cleaned.reason, ctx.at)
    ctx.case.district_centre = centre
    return {**data, "district_centre": centre.pk}


def _return_to_city(ctx: Context) -> dict:
    ctx.case.district_centre = None
    return {}


def _refer(ctx: Context) -> dict:
    return start_clock(ctx.case, ctx.cleaned.department, ctx.at)


def start_clock(case: Case, department: Organisation, at: datetime) -> dict:
    case.department, case.dispatched_at = department, at
    case.pauses, case.extensions, case.paused_since = [], [], None
    deadline = clock.handling_deadline(case)
    case.due_at = deadline.at
    warnings = [str(w) for w in deadline.warnings]
    return {"department": department.pk, **({"calendar_warnings": warnings} if warnings else {})}


def _request_return(ctx: Context) -> dict:
    return {"return_reason": ctx.cleaned.return_reason, "department": ctx.case.department_id}


def _approve_return(ctx: Context) -> dict:
    case, request = ctx.case, facts.pending_request(ctx.case, A.REQUEST_RETURN)
    reason = request.data.get("return_reason")
    case.returns += 1
    if reason == ReturnReason.NOT_OURS:  # art. 23: the second such return goes to coordination
        case.not_ours_returns += 1
    returned_from, case.department, case.due_at = case.department_id, None, None
    if ctx.move.target == State.OPEN:  # the city takes it back, whoever dispatched it
        case.district_centre = None
    return {"department": returned_from, "return_reason": reason, "request": request.seq}


def _deny(ctx: Context) -> dict:
    request_of = {A.DENY_RETURN: A.REQUEST_RETURN, A.DENY_EXTENSION: A.REQUEST_EXTENSION, A.DENY_PARK: A.REQUEST_PARK}
    return {"request": facts.pending_request(ctx.case, request_of[ctx.move.action]).seq}


def _decide(ctx: Context) -> dict:
    department = ctx.cleaned.department
    # Binding (art. 23): the department named here cannot return the case again.
    ctx.case.decided_department = department
    level = "district" if ctx.move.source == State.DISTRICT_COORDINATION else "city"
    return {"decision": ctx.cleaned.decision, "level": level, **start_clock(ctx.case, department, ctx.at)}


def _request_extension(ctx: Context) -> dict:
    duration = ctx.cleaned.duration
    return {"duration": {"value": str(duration.value), "unit": str(duration.unit)}}


def _approve_extension(ctx: Context) -> dict:
    case, duration = ctx.case, ctx.cleaned.duration
    case.extensions = [*case.extensions, [str(duration.value), str(duration.unit)]]
    case.due_at = clock.handling_deadline(case).at
    return {"duration": {"value": str(duration.value), "unit": str(duration.unit)}}


def _approve_park(ctx: Context) -> dict:
    # The clock stops: with an open-ended pause the deadline is unknown until the case is restored.
    ctx.case.paused_since, ctx.case.due_at = ctx.at, None
    return {}


def _restore(ctx: Context) -> dict:
    case = ctx.case
    pause = [case.paused_since.isoformat(), ctx.at.isoformat()]
    case.pauses, case.paused_since = [*case.pauses, pause], None
    case.due_at = clock.handling_deadline(case).at
    return {"paused": pause}


def _feedback(ctx: Context) -> dict:
    ctx.case.fed_back_at = ctx.at
    return {}


def _rework(ctx: Context) -> dict:
    ctx.case.reworks += 1
    return {"rework": ctx.case.reworks, "department": ctx.case.department_id}


def _close(ctx: Context) -> dict:
    case = ctx.case
    case.closed_at = ctx.at
    if case.due_at is None or case.fed_back_at is None:
        return {}
    return {"on_time": case.fed_back_at <= case.due_at}


def _reopen(ctx: Context) -> dict:
    # 回访不满意: the case is no longer closed; it is verified and opened again, with a new deadline then.
    closed_at, ctx.case.closed_at, ctx.case.due_at = ctx.case.closed_at, None, None
    return {"closed_at": closed_at.isoformat() if closed_at else None}


def _supervise(ctx: Context) -> dict:
    return {"due_at": ctx.case.due_at.isoformat() if ctx.case.due_at else None}


def _settle_cost(ctx: Context) -> dict:
    ctx.case.cost_payer, ctx.case.cost_amount = ctx.cleaned.payer, ctx.cleaned.amount
    return {"payer": ctx.cleaned.payer, "amount": str(ctx.cleaned.amount)}


EFFECTS = {
    A.ACCEPT: _accept, A.MARK_DUPLICATE: _mark_duplicate, A.OPEN: _open, A.VOID: _void, A.DISPATCH: _dispatch,
    A.FORWARD: _forward, A.RETURN_TO_CITY: _return_to_city, A.REFER: _refer, A.REQUEST_RETURN: _request_return,
    A.APPROVE_RETURN: _approve_return, A.DENY_RETURN: _deny, A.DECIDE: _decide,
    A.REQUEST_EXTENSION: _request_extension, A.APPROVE_EXTENSION: _approve_extension, A.DENY_EXTENSION: _deny,
    A.APPROVE_PARK: _approve_park, A.DENY_PARK: _deny, A.RESTORE: _restore, A.FEEDBACK: _feedback,
    A.REWORK: _rework, A.CLOSE: _close, A.SUPERVISE: _supervise, A.SETTLE_COST: _settle_cost, A.REOPEN: _reopen,
}
