"""Inbox messages about cases: work that arrives for someone, and outcomes for the people who reported.

Messages are written after the case's transaction commits (notifying.on_commit), so a refused or
rolled-back action tells nobody anything.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from urbangrid.accounts.models import Appointment, User
from urbangrid.cases import access
from urbangrid.cases.labels import action_label, state_label
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.cases.queries import QUEUE_STATES
from urbangrid.core.posts import Post
from urbangrid.notifications.sending import notify

# Moves after which the case waits for someone else than the one who moved it.
HANDOVERS = frozenset({
    "accept", "send_verification", "verify", "open", "dispatch", "forward", "return_to_city", "refer",
    "request_return", "approve_return", "deny_return", "decide", "refer_up", "request_extension",
    "request_park", "feedback", "send_check", "pass_check", "rework", "supervise",
})


def people_to_act(case: Case, posts: set[Post] | None = None) -> list[User]:
    """Active users who may act on the case in its present state (or with one of `posts`), in their scope."""
    wanted = posts if posts is not None else {post for post, states in QUEUE_STATES.items() if case.state in states}
    if not wanted:
        return []
    # A department handler acts only for the case's department: fetch those, not every handler in the city.
    # access.grants() below still decides; the candidates' appointments come in one query, not one each.
    posts = Q(appointments__post__in=[str(p) for p in wanted if p != Post.DEPARTMENT_HANDLER])
    if Post.DEPARTMENT_HANDLER in wanted and case.department_id is not None:
        posts |= Q(appointments__post=Post.DEPARTMENT_HANDLER, appointments__organisation=case.department_id)
    held = Appointment.objects.filter(active=True, organisation__active=True).select_related("organisation__area")
    candidates = User.objects.filter(posts, is_active=True, appointments__active=True).distinct()
    candidates = candidates.prefetch_related(Prefetch("appointments", queryset=held, to_attr="held_appointments"))
    return [user for user in candidates if set(access.grants(user, case, user.held_appointments)) & wanted]


def work_arrived(case: Case, event: CaseEvent) -> None:
    if event.action not in HANDOVERS:
        return
    title = _("Case {number}: {state}").format(number=case.number, state=state_label(case.state))
    body = _("{action} by {actor}. {reason}").format(
        action=action_label(event.action), actor=_actor(event), reason=event.reason or ""
    ).strip()
    kind = "supervised" if event.action == "supervise" else "task"
    notify((u for u in people_to_act(case) if u.pk != event.actor_id), kind, title, body, case.pk)


def outcome_for_reporters(sender, case: Case, event: CaseEvent, reporters: list[dict], into: Case, **kwargs) -> None:
    """The case_changed receiver: every reporter with an account learns the outcome (merged reports too)."""
    users = User.objects.filter(pk__in=[r["user_id"] for r in reporters if r["user_id"]])
    title = _("Your report {number}: {state}").format(number=into.number, state=state_label(into.state))
    notify(users, "outcome", title, event.reason or "", into.pk)


def _actor(event: CaseEvent) -> str:
    if event.actor_id is None:
        return _("the system")
    return event.actor.display_name or event.actor.username
