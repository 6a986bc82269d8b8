"""Keeps who is asking and from where for the duration of a request, so model signals can log it."""

from contextvars import ContextVar
from dataclasses import dataclass

from urbangrid.accounts.clientip import client_ip


@dataclass(frozen=True)
class Origin:
    request: object

    @property
    def user(self):
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @property
    def ip(self) -> str | None:
        return client_ip(self.request)


current: ContextVar[Origin | None] = ContextVar("urbangrid_audit_origin", default=None)


def current_request(get_response):
    def middleware(request):
        token = current.set(Origin(request))
        try:
            return get_response(request)
        finally:
            current.reset(token)

    return middleware
