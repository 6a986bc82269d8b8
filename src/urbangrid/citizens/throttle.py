"""Rate limits of the public pages, counted per minute in the cache like the API's (api.auth.over_limit):
reports per client address and per phone number, status look-ups per address (case codes are sequential, so
a script must not read them all). The limits are settings; a configured shared cache counts site-wide."""

from django.conf import settings

from urbangrid.accounts.clientip import client_ip
from urbangrid.api.auth import over_limit

REPORTS_PER_IP = 5  # a minute
REPORTS_PER_PHONE = 2
LOOKUPS_PER_IP = 30


def report_wait(request, phone: str) -> int | None:
    """Seconds to wait before this address (or phone) may report again, or None; counts this attempt."""
    wait = over_limit(f"public-report:ip:{_address(request)}", _limit("CITIZENS_REPORTS_PER_IP", REPORTS_PER_IP))
    if wait is None and phone:
        wait = over_limit(f"public-report:phone:{phone}", _limit("CITIZENS_REPORTS_PER_PHONE", REPORTS_PER_PHONE))
    return wait


def lookup_wait(request) -> int | None:
    return over_limit(f"public-lookup:ip:{_address(request)}", _limit("CITIZENS_LOOKUPS_PER_IP", LOOKUPS_PER_IP))


def _address(request) -> str:
    return client_ip(request) or "unknown"


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)
