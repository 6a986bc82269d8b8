"""The counts of the signed-in user's work queues, for the navigation of every page (web/base.html)."""

from django.utils.functional import SimpleLazyObject

from urbangrid.cases import access, clock, queries
from urbangrid.core.posts import Post


def work_queues(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"work_queues": [], "nav": {}}
    # Lazy: pages that do not show the navigation (the admin) never run the count queries.
    return {
        "work_queues": SimpleLazyObject(lambda: queues_of(request)),
        "nav": SimpleLazyObject(lambda: pages_of(user)),
    }


def pages_of(user) -> dict:
    """Which of the centres' pages the navigation offers: only those the user may open."""
    from urbangrid.command.views import scope_of
    from urbangrid.evaluation.views import EVALUATORS
    from urbangrid.field.auth import WATCHERS

    appointments = access.appointments(user)  # read once for both
    posts = {Post(a.post) for a in appointments}
    return {
        "command": scope_of(user, appointments) is not None, "evaluation": bool(posts & EVALUATORS),
        "hotline": Post.INTAKE_OPERATOR in posts,  # the 12319 console's operators are the centre's 受理员
        "field": Post.COLLECTOR in posts, "tracks": bool(posts & WATCHERS),
    }


def queues_of(request) -> list[dict]:
    """queries.queues for the signed-in user, counted once per request (the page and its navigation)."""
    if not hasattr(request, "_work_queues"):
        request._work_queues = queries.queues(request.user, clock.now())
    return request._work_queues
