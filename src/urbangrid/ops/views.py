"""/healthz, /readyz and /metrics: for load balancers, systemd and Prometheus, not for people (no login); and
/.well-known/security.txt (RFC 9116) for whoever finds a vulnerability."""

import datetime as dt
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from urbangrid.accounts.clientip import client_ip
from urbangrid.ops import checks, metrics


@never_cache
@require_safe
def healthz(request):
    """The process answers. No database: a database outage must not make a supervisor restart every web process."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready for traffic: the database answers, its migrations are those of the code, the cache works."""
    found = checks.run()
    failing = [name for name, problem in found.items() if problem is not None]
    body = {"status": "unavailable" if failing else "ok", "failing": failing,
            "checks": {name: problem or "ok" for name, problem in found.items()}}
    return JsonResponse(body, status=503 if failing else 200)


def _allowed(request) -> bool:
    address = client_ip(request)  # X-Forwarded-For is believed only from settings.TRUSTED_PROXIES
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in settings.METRICS_ALLOWED_IPS)


@never_cache
@require_safe
def metrics_view(request):
    if not _allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    # The 0.0.4 text format that every Prometheus (2.x and 3.x) reads; our names need nothing newer.
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)


@cache_control(max_age=86400, public=True)
@require_safe
def security_txt(request):
    """RFC 9116: where to report a vulnerability of this installation (settings.SECURITY_CONTACTS, SECURITY.md §8).
    An installation that names no contact serves none: an address invented here would send reports nowhere."""
    if not settings.SECURITY_CONTACTS:
        raise Http404("SECURITY_CONTACT is not set")
    # RFC 9116 §2.5.5: Expires is required and should be less than a year ahead; a file generated on request
    # is as fresh as the setting it is made from.
    expires = (timezone.now() + dt.timedelta(days=180)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines.append(f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: zh, en")
    lines.append(f"Canonical: {request.build_absolute_uri()}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
