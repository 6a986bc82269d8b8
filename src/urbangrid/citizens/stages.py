"""What the public sees of a case: one of three stages, never a staff name, a reason or another reporter's data.

received (已受理): the centre has it and is checking it; being handled (处理中): opened and with a department;
done (已办结): closed, or ended without action (不予受理, 作废) — the outcome says which, not why.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

S = State
RECEIVED = frozenset({S.REPORTED, S.SELF_REPORTED, S.SELF_ACCEPTED, S.ACCEPTED, S.VERIFYING, S.VERIFIED})
DONE = frozenset({S.CLOSED, S.REJECTED, S.VOIDED})
STAGES = [("received", _("Received")), ("handling", _("Being handled")), ("done", _("Done"))]
OUTCOMES = {S.CLOSED: _("The problem has been handled."), S.REJECTED: _("Not taken up."),
            S.VOIDED: _("Not taken up.")}
LOOKUP_SOURCES = ("public", "hotline")  # the reports whose reporters were given their case code


@dataclass(frozen=True)
class Status:
    number: str
    problem: str
    reported_at: datetime
    stage: str
    since: datetime
    outcome: str


def stage_of(state: str) -> str:
    state = State(state)
    if state in RECEIVED:
        return "received"
    return "done" if state in DONE else "handling"


def status(number: str) -> Status | None:
    case = Case.objects.select_related("klass").filter(number=number.strip(), source__in=LOOKUP_SOURCES).first()
    if case is None:
        return None
    state = State(case.state)
    return Status(
        number=case.number, problem=case.klass.name if case.klass else "", reported_at=case.reported_at,
        stage=stage_of(state), since=case.state_since, outcome=str(OUTCOMES.get(state, "")),
    )
