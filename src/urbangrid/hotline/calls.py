"""What a call at the console does. The console's views call these; cases change only through cases.actions.

- an enquiry (咨询) is answered on the call: recorded and counted, no case;
- a complaint becomes a hotline report (cases.actions.report), entered by the operator as 受理员 (STANDARDS.md
  §4.1: "受理员 for hotline cases"), with the caller's number as the reporter's phone;
- a follow-up (回访) of a closed case is the workflow's follow_up (satisfied) or reopen (not satisfied) move.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import User
from urbangrid.cases import access, actions, clock, queries
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import Action
from urbangrid.hotline.models import KIND_LABELS, Call

BADGE_MAX = 99


def may_answer(user: User) -> bool:
    """Hotline operators are the centre's 受理员; nobody else opens the console."""
    return any(Post(a.post) == Post.INTAKE_OPERATOR for a in access.appointments(user))


def enquiry(operator: User, phone: str, said: str, answer: str) -> Call:
    return Call.objects.create(kind="enquiry", phone=phone, said=said, answer=answer, operator=operator, at=clock.now())


def complaint(operator: User, key: str, fields: dict) -> tuple[Case, bool]:
    """(case, created); the form's key makes a second press of the button find the first case."""
    case, created = actions.report(operator, idempotency_key=f"hotline:{key}", **fields)
    if created:
        Call.objects.create(
            kind="complaint", phone=fields["reporter_phone"], said=fields["description"], case=case,
            operator=operator, at=case.reported_at,
        )
    return case, created


def follow_up(operator: User, case_id: int, version: int, satisfied: bool, said: str) -> Case:
    action, text = (Action.FOLLOW_UP, {"note": said}) if satisfied else (Action.REOPEN, {"reason": said})
    # cases.actions.act is a durable transaction of its own: the call is recorded once the move is made.
    case = actions.act(case_id, operator, action, version, **text)
    Call.objects.create(
        kind="follow_up", phone=case.reporter_phone, said=said, satisfied=satisfied, case=case, operator=operator,
        at=clock.now(),
    )
    return case


def follow_up_days() -> int:
    return queries.follow_up_days()


def awaiting_follow_up(now: datetime, days: int | None = None):
    """Closed hotline and public reports of the last `days` with a phone, not called back since they closed."""
    cases = Case.objects.filter(queries.awaiting_follow_up(now, days))
    return cases.select_related("klass").order_by("closed_at", "id")


def waiting_badge(now: datetime) -> str:
    """The console's badge: how many callers wait for their 回访, "99+" beyond BADGE_MAX. Counting stops at the
    cap: a whole count reads every closed case of the window (≈60,000 at a million cases a year, 0.1–0.2 s)."""
    found = awaiting_follow_up(now)[: BADGE_MAX + 1].count()
    return f"{BADGE_MAX}+" if found > BADGE_MAX else str(found)


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


def today(now: datetime) -> list[Tally]:
    """Calls since midnight (city time) by kind, and how many follow-ups were satisfied."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = Call.objects.filter(at__gte=start).aggregate(
        **{kind: Count("id", filter=Q(kind=kind)) for kind in KIND_LABELS},
        satisfied=Count("id", filter=Q(kind="follow_up", satisfied=True)),
    )
    tallies = [Tally(str(label), counts[kind]) for kind, label in KIND_LABELS.items()]
    return [*tallies, Tally(str(_("Satisfied follow-ups")), counts["satisfied"])]
