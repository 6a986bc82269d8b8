"""Who calls /api/v1/: a personal API token (`Authorization: Bearer …`) or the browser's session.

Both end in the same `request.auth` (the user), so every permission check (cases.access, the workflow
table) is the very one the pages make; a token adds only its scope (read-only tokens make no changes).
A request that names a token is judged by the token alone: a bad token never falls back to a session.
Every request is also counted against a rate limit: per token, per signed-in user, or per address.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from urbangrid.api import tokens
from urbangrid.api.errors import ApiError
from urbangrid.cases import clock

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_RATE = 600  # requests per window and caller
WINDOW_SECONDS = 60


class BearerToken(HttpBearer):
    def __call__(self, request):
        if "Authorization" not in request.headers:
            return None  # no token: the session decides
        if not request.headers["Authorization"].lower().startswith("bearer "):
            raise ApiError(401, "invalid_token", _("Send the token as 'Authorization: Bearer <token>'."))
        return super().__call__(request)

    def authenticate(self, request, token):
        try:
            found = tokens.check(token, clock.now())
        except tokens.TokenError as error:
            raise ApiError(401, error.code, _(error.msgid)) from error
        if found.scope == "read" and request.method not in SAFE_METHODS:
            raise ApiError(403, "token_read_only", _("This API token may only read; use a read-write token."))
        request.api_token, request.user = found, found.user
        return found.user


class Session(SessionAuth):
    """Django's session, with the API's JSON errors instead of ninja's {"detail": …}."""

    def __call__(self, request):
        if "Authorization" in request.headers:
            return None  # BearerToken has answered already
        return super().__call__(request)

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError as error:
            message = _("CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.")
            raise ApiError(403, "csrf_failed", message) from error

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return request.user
        raise ApiError(401, "unauthenticated", _("Log in first, or send an API token."))


USER = [BearerToken(), Session()]  # either, the token first


class Public(BearerToken):
    """For public endpoints: a token, when sent, is checked (and counted); without one anybody may call."""

    def __call__(self, request):
        if "Authorization" not in request.headers:
            return ANYONE
        return super().__call__(request)


class _Anyone:
    def __bool__(self) -> bool:
        return True


ANYONE = _Anyone()


class FixedWindow(BaseThrottle):
    """At most N requests per caller in each clock minute, counted in Django's cache (over_limit).

    A fixed window is one cache increment per request; it lets a caller burst to 2N across a window
    boundary, which is good enough to stop a runaway script. The count is per cache: with the default
    local-memory cache each server process counts on its own (configure a shared cache to count site-wide).
    """

    def allow_request(self, request) -> bool:
        token = getattr(request, "api_token", None)
        limit = (token.rate_limit if token else None) or getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE)
        request.rate_limit = limit  # for the 429 message
        self.retry_after = over_limit(f"api-rate:{self._caller(request)}", limit)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after

    def _caller(self, request) -> str:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"token:{token.pk}"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{self.get_ident(request)}"


def over_limit(caller: str, limit: int) -> int | None:
    """Count one request of `caller` in this minute's window: None if within `limit`, else the seconds to wait."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"{caller}:{window}"
    cache.add(key, 0, WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, WINDOW_SECONDS * 2)
        count = 1
    return None if count <= limit else max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
