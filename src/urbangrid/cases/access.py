"""Who may see a case, and with which posts they may act on it. Deny by default.

A post counts for a case only within its scope:
- the supervision and command centres' posts (受理员, 值班长, 派遣员, 领导) are city-wide;
- a department handler acts on the cases dispatched (or referred) to their own organisation;
- a district operator acts on the cases the city forwarded to its centre (art. 20), and coordinates
  responsibility disputes in its district (art. 23); it may read every case in its district;
- a collector acts on cases in their responsibility grids, and only while their certificate is valid (art. 16).
Whoever reported a case may read it. Everyone else gets the same CaseNotFound as for a case that does not exist.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from urbangrid.accounts import roster
from urbangrid.accounts.models import Appointment, Organisation, User
from urbangrid.cases.errors import CaseNotFound, NotAllowed
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import MOVES, Action, State

CITY_WIDE = frozenset({Post.INTAKE_OPERATOR, Post.SHIFT_LEADER, Post.DISPATCHER, Post.LEADER})
POSTS_OF_ACTION = {action: frozenset().union(*(m.posts for m in MOVES if m.action == action)) for action in Action}


def grants(user: User, case: Case, held: list[Appointment] | None = None) -> dict[Post, Organisation]:
    """The posts `user` may act with on `case`, each with the organisation it is held in."""
    found: dict[Post, Organisation] = {}
    for appointment in appointments(user) if held is None else held:
        if _holds(appointment, user, case):
            found.setdefault(Post(appointment.post), appointment.organisation)
    return found


def posts_for(user: User, case: Case) -> set[Post]:
    return set(grants(user, case))


def may_see(user: User, case: Case) -> bool:
    if not _active(user):
        return False
    if case.reporter_id == user.id:
        return True
    held = appointments(user)
    if any(_reads_district(a, case) for a in held if a.post == Post.DISTRICT_OPERATOR):
        return True
    return bool(grants(user, case, held))


def access_case(user: User, case_id: int, action: str | None = None) -> Case:
    """The case, if `user` may see it (and may take `action` on cases like it); else one uniform error."""
    case = Case.objects.select_related("klass", "condition", "department", "district_centre").filter(pk=case_id)
    case = case.first()
    if case is None or not may_see(user, case):
        raise CaseNotFound()
    if action is not None and not posts_for(user, case) & POSTS_OF_ACTION[Action(action)]:
        raise NotAllowed(gettext_noop("You hold no post that may {action} this case."), action=action)
    return case


def visible_cases(user: User) -> QuerySet:
    """Every case `user` may see, by the rules of may_see() as one query."""
    if not _active(user):
        return Case.objects.none()
    held = appointments(user)
    if any(Post(a.post) in CITY_WIDE for a in held):
        return Case.objects.all()
    scope = Q(reporter=user)
    for appointment in held:
        scope |= _scope(appointment, user)
    return Case.objects.filter(scope)


def acting_scope(appointment: Appointment, user: User) -> Q:
    """The cases this appointment acts on, by the rules of _holds() as a filter (for work queues)."""
    post, organisation = Post(appointment.post), appointment.organisation
    if post in CITY_WIDE:
        return Q()
    if post == Post.DISTRICT_OPERATOR and organisation.area is not None:
        coordinated = Q(district_centre=organisation) | Q(state=State.DISTRICT_COORDINATION)
        return in_area(organisation.area.code) & coordinated
    if post in (Post.DEPARTMENT_HANDLER, Post.COLLECTOR):
        return _scope(appointment, user)
    return Q(pk__in=[])


def in_area(code: str) -> Q:
    """Cases whose grid lies in the area `code` (district, street, community or grid), as a range of the
    grid-code index: `LIKE 'code%'` would read every case on SQLite, whose LIKE ignores case."""
    if not code.isdigit() or set(code) == {"9"}:
        return Q(grid_code__startswith=code)
    # Codes are digits of one length per level: those under "410105" run from it to below "410106".
    return Q(grid_code__gte=code, grid_code__lt=str(int(code) + 1).zfill(len(code)))


def appointments(user: User) -> list[Appointment]:
    if not _active(user):
        return []
    found = Appointment.objects.filter(user=user, active=True, organisation__active=True)
    return list(found.select_related("organisation__area"))


def collector_grids(user: User) -> set[str]:
    """The grid codes a collector works, or nothing without a valid training certificate (art. 16)."""
    profile = getattr(user, "collector", None)
    if profile is None or not profile.is_certified() or roster.get().suspension(user.pk) is not None:
        return set()
    return set(profile.grids.values_list("code", flat=True))


def _holds(appointment: Appointment, user: User, case: Case) -> bool:
    post = Post(appointment.post)
    if post in CITY_WIDE:
        return True
    if post == Post.DEPARTMENT_HANDLER:
        return case.department_id == appointment.organisation_id
    if post == Post.DISTRICT_OPERATOR:
        return _runs(appointment, case)
    if post == Post.COLLECTOR:
        return case.grid_code in collector_grids(user)
    return False  # system administrators and posts added later act on no case until a rule says so


def _runs(appointment: Appointment, case: Case) -> bool:
    if not _reads_district(appointment, case):
        return False
    if case.district_centre_id == appointment.organisation_id:
        return True
    return case.state == State.DISTRICT_COORDINATION


def _reads_district(appointment: Appointment, case: Case) -> bool:
    area = appointment.organisation.area
    return area is not None and case.grid_code.startswith(area.code)


def _scope(appointment: Appointment, user: User) -> Q:
    post, organisation = Post(appointment.post), appointment.organisation
    if post == Post.DEPARTMENT_HANDLER:
        return Q(department=organisation)
    if post == Post.DISTRICT_OPERATOR and organisation.area is not None:
        return in_area(organisation.area.code)
    if post == Post.COLLECTOR:
        return Q(grid_code__in=collector_grids(user))
    return Q(pk__in=[])


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)
