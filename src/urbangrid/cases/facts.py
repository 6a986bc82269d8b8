"""What the workflow's guards look at (core.workflow.Facts), derived from a case and its events."""

from datetime import datetime

from urbangrid.accounts.models import Organisation
from urbangrid.cases import clock
from urbangrid.cases.models import Case
from urbangrid.core.dispatch import Level, coordination_level
from urbangrid.core.workflow import Action, Facts, ReturnReason, State

REQUEST_RETURN = Action.REQUEST_RETURN.value
NOT_OURS = ReturnReason.NOT_OURS.value
CALLER_SOURCES = ("hotline", "public")  # the reports whose reporter is called back (回访)
CLOSINGS = (Action.CLOSE.value, Action.FOLLOW_UP.value, Action.REOPEN.value)


def facts(case: Case, at: datetime) -> Facts:
    pending = _pending_return(case)
    not_ours = case.not_ours_returns + (pending is not None and pending.data.get("return_reason") == NOT_OURS)
    return Facts(
        from_collector=case.source == "collector",
        not_ours_returns=not_ours,
        cross_district=pending is not None and _cross_district(case),
        decided=case.decided_department_id is not None and case.decided_department_id == case.department_id,
        overdue=clock.is_overdue(case, at),
        non_routine=case.non_routine,
        follow_up_due=follow_up_due(case),
    )


def follow_up_due(case: Case) -> bool:
    """Closed, from a caller who left a phone, and closed since the last 回访 (a reopened case is called again)."""
    if case.state != State.CLOSED or case.source not in CALLER_SOURCES or not case.reporter_phone:
        return False
    latest = case.events.filter(action__in=CLOSINGS).order_by("-seq").values_list("action", flat=True).first()
    return latest == Action.CLOSE.value


def pending_request(case: Case, action: Action):
    """The latest event of `action` (a request awaiting approval), or None."""
    return case.events.filter(action=action.value).order_by("-seq").first()


def _pending_return(case: Case):
    if case.state != State.RETURN_REQUESTED:
        return None
    return pending_request(case, Action.REQUEST_RETURN)


def disputing_departments(case: Case) -> list[Organisation]:
    """The departments that said "not ours" (art. 23), the pending request included."""
    events = case.events.filter(action=REQUEST_RETURN).select_related("organisation")
    found = {e.organisation_id: e.organisation for e in events if e.data.get("return_reason") == NOT_OURS}
    return [org for org in found.values() if org is not None]


def _cross_district(case: Case) -> bool:
    """Whether the dispute is the city's to settle: it spans districts or involves a city department."""
    districts, city_department = {case.grid_code[:6]}, False
    for department in disputing_departments(case):
        own = organisation_districts(department)
        districts |= own
        city_department |= len(own) != 1
    return coordination_level(districts, city_department) == Level.CITY


def organisation_districts(organisation: Organisation) -> set[str]:
    """The districts an organisation serves: those of its territory and governed area. Several or none: city."""
    codes = {code[:6] for code in organisation.territory.values_list("code", flat=True)}
    if organisation.area_id:
        codes.add(organisation.area.code[:6])
    return codes
