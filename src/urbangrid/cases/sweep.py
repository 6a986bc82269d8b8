"""The overdue sweep (超期巡检): `urbangrid worker` runs it every minute, one worker at a time.

Each sweep looks only at deadlines that passed since the previous sweep — an index range scan on
(state, due_at) and (state, step_due_at) — so its cost follows the number of new overdue cases, not
the number of open ones. For each it tells the people who must act that the case is overdue; for each
case overdue for CASE_ESCALATE_AFTER_HOURS it asks the supervision centre to 督办. A deadline moved
by an extension passes again later and is reported again then; a suspended case has no deadline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urbangrid import db
from urbangrid.cases import alerts
from urbangrid.cases.clock import HANDLING_STATES
from urbangrid.cases.labels import state_label
from urbangrid.cases.models import Case, SweepMark
from urbangrid.core.posts import Post
from urbangrid.core.workflow import TERMINAL, State
from urbangrid.notifications.sending import notify

NAME = "overdue"
FIRST_LOOK_BACK = timedelta(days=1)  # a new installation does not announce years of old deadlines
HANDLING = [str(s) for s in HANDLING_STATES]
CENTRE = [str(s) for s in State if s not in HANDLING_STATES and s not in TERMINAL]
# Two index range scans, on (state, due_at) and (state, step_due_at).
PASSED_SQL = (
    f"SELECT id FROM cases_case WHERE (state IN ({', '.join(['%s'] * len(HANDLING))}) AND due_at > %s AND "
    f"due_at <= %s) OR (state IN ({', '.join(['%s'] * len(CENTRE))}) AND step_due_at > %s AND step_due_at <= %s)"
)


@dataclass(frozen=True)
class SweepResult:
    overdue: int
    escalated: int
    since: datetime
    until: datetime


def passed_between(since: datetime, until: datetime) -> list[int]:
    """The ids of open cases whose deadline (handling or current step) fell in (since, until], in id order.

    Raw SQL: most minutes find nothing, and the ORM spent 15 times longer composing the query than SQLite
    took to run it (bench/README.md)."""
    since, until = db.stamp(since), db.stamp(until)
    # Sorted here: a minute's few ids, where an ORDER BY would make SQLite build a temporary B-tree.
    return sorted(row[0] for row in db.select(PASSED_SQL, [*HANDLING, since, until, *CENTRE, since, until]))


def sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    escalate_after = timedelta(hours=settings.CASE_ESCALATE_AFTER_HOURS)
    with transaction.atomic():
        mark = _mark(now)
        since = mark.swept_until
        overdue = _cases(passed_between(since, now))
        late = _cases(passed_between(since - escalate_after, now - escalate_after))
        for case in overdue:
            _tell_overdue(case)
        for case in late:
            _escalate(case)
        SweepMark.objects.filter(pk=mark.pk).update(swept_until=now)
    return SweepResult(len(overdue), len(late), since, now)


def _cases(ids: list[int]) -> list[Case]:
    return list(Case.objects.filter(pk__in=ids).select_related("department").order_by("pk")) if ids else []


def _mark(now: datetime) -> SweepMark:
    mark, _created = SweepMark.objects.select_for_update().get_or_create(
        name=NAME, defaults={"swept_until": now - FIRST_LOOK_BACK}
    )
    return mark


def _tell_overdue(case: Case) -> None:
    title = _("Overdue: case {number} ({state})").format(number=case.number, state=state_label(case.state))
    notify(alerts.people_to_act(case), "overdue", title, case.description[:200], case.pk)


def _escalate(case: Case) -> None:
    title = _("Needs supervision (督办): case {number} is overdue by more than {hours} hours").format(
        number=case.number, hours=settings.CASE_ESCALATE_AFTER_HOURS
    )
    overseers = alerts.people_to_act(case, {Post.SHIFT_LEADER, Post.LEADER})
    notify(overseers, "escalation", title, case.description[:200], case.pk)
