"""The counts of the signed-in user's work queues, for the navigation of every page (web/base.html)."""

from django.utils.functional import SimpleLazyObject

from urbangrid.cases import clock, queries


def work_queues(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"work_queues": []}
    # Lazy: pages that do not show the navigation (the admin) never run the count queries.
    return {"work_queues": SimpleLazyObject(lambda: queues_of(request))}


def queues_of(request) -> list[dict]:
    """queries.queues for the signed-in user, counted once per request (the page and its navigation)."""
    if not hasattr(request, "_work_queues"):
        request._work_queues = queries.queues(request.user, clock.now())
    return request._work_queues
