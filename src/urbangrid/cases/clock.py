"""The clock of a case: the handling deadline, the current step's deadline and the traffic light.

- The handling limit (处置时限) is fixed at 立案 from the 立案条件 and starts at dispatch (派遣), on the working
  calendar of the department; a re-dispatch after 回退 or a coordination decision starts a new clock, because
  the new department cannot be blamed for the time the case spent elsewhere. 返工 does not: the department
  had its time and the original deadline stands.
- While the case is suspended (挂账) the clock stops; each approved extension (延期) continues it from the
  previous deadline (core.deadlines).
- The steps of the centres (受理, 核实, 立案, 派遣, 核查, 结案) have their own limits, on the city's calendar,
  from the moment the case entered the step's state.
"""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from urbangrid.cases.models import Case
from urbangrid.core import deadlines
from urbangrid.core.deadlines import Light, Pause, TimeLimit
from urbangrid.core.workflow import State
from urbangrid.timekeeping.calendars import calendar_for, step_limit

S = State
HANDLING_STATES = frozenset(
    {S.DISPATCHED, S.REFERRED, S.HANDLING, S.RETURN_REQUESTED, S.EXTENSION_REQUESTED, S.PARK_REQUESTED, S.PARKED}
)
STEP_OF_STATE = {
    S.REPORTED: "accept",
    S.SELF_REPORTED: "accept",
    S.VERIFYING: "verify",
    S.ACCEPTED: "open",
    S.VERIFIED: "open",
    S.OPEN: "dispatch",
    S.AT_DISTRICT: "dispatch",  # the district centre's own dispatch (二级派遣) is timed afresh
    S.CHECKING: "check",
    S.CHECKED: "close",
    S.SELF_ACCEPTED: "close",
}


def now() -> datetime:
    """The one clock of the case app; tests move it with monkeypatch."""
    return timezone.now()


def handling_limit(case: Case) -> TimeLimit | None:
    if case.limit_value is None or not case.limit_unit:
        return None
    return TimeLimit(case.limit_value, case.limit_unit)


def pauses(case: Case) -> list[Pause]:
    closed = [Pause(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in case.pauses]
    return closed + ([Pause(case.paused_since)] if case.paused_since else [])


def extensions(case: Case) -> list[TimeLimit]:
    return [TimeLimit(Decimal(value), unit) for value, unit in case.extensions]


def handling_deadline(case: Case) -> deadlines.Deadline:
    """The deadline of the department's clock; at is None before dispatch and while suspended."""
    limit = handling_limit(case)
    if case.dispatched_at is None or limit is None:
        return deadlines.Deadline(None)
    calendar = calendar_for(case.department)
    return deadlines.deadline(case.dispatched_at, limit, calendar, pauses(case), extensions(case))


def step_due(state: State, start: datetime) -> datetime | None:
    step = STEP_OF_STATE.get(State(state))
    if step is None:
        return None
    return deadlines.deadline(start, step_limit(step), calendar_for(None)).at


def light(case: Case, at: datetime) -> Light | None:
    """Green below 80 % of the limit used, yellow to 100 %, red when overdue; None without a running clock."""
    state = State(case.state)
    if state in HANDLING_STATES:
        if case.due_at is None or case.paused_since is not None:
            return None
        limit = handling_limit(case)
        calendar = calendar_for(case.department)
        return deadlines.light(case.dispatched_at, case.due_at, at, calendar, limit.unit, pauses(case))
    if case.step_due_at is None:
        return None
    limit = step_limit(STEP_OF_STATE[state])
    return deadlines.light(case.state_since, case.step_due_at, at, calendar_for(None), limit.unit)


def is_overdue(case: Case, at: datetime) -> bool:
    due = case.due_at if State(case.state) in HANDLING_STATES else case.step_due_at
    return due is not None and at > due
