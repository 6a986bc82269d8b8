"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests and tokens.

Plain views over the catalogue and cases.actions.report (the same intake as every other report). The
format is the suffix (.xml or .json); errors use the standard's `errors › error {code, description}` with
HTTP 404 for a missing resource, 403 for a missing or wrong api_key and 400 for anything else (and,
beyond the standard, 429 with Retry-After when a client posts more than API_RATE_LIMIT reports a minute).
"""

import math
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from urbangrid.api import auth
from urbangrid.cases import clock
from urbangrid.cases.models import Attachment
from urbangrid.open311 import keys, render, services
from urbangrid.open311.servicerequests import (
    BadRequest,
    Query,
    as_request,
    by_token,
    find,
    one,
    photo_visible,
    report,
    service_class,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_DESCRIPTION = 4000


def open311(*methods: str):
    """Checks the method and jurisdiction_id, and turns BadRequest into the standard's error document, so a
    client gets that document for whatever it sends. CSRF does not apply: a machine interface authenticated by
    api_key, never by a cookie, and only POST changes anything."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt, **kwargs):
            try:
                if request.method not in methods:
                    raise BadRequest(405, _("Use {methods} here.").format(methods=" or ".join(methods)))
                _check_jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except BadRequest as error:
                response = render.errors(fmt, error.status, (error.status, error.message))
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        return wrapper

    return decorate


@open311("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:root"))
    changeset = services.changeset()
    return render.respond(fmt, "discovery", {
        "changeset": changeset, "contact": settings.OPEN311_CONTACT,
        "key_service": _("Ask the city's digital urban management centre for an API key for your system."),
        "endpoints": [{
            "specification": SPECIFICATION, "url": base.rstrip("/"), "changeset": changeset, "type": "production",
            "formats": list(render.CONTENT_TYPES.values()),
        }],
    })


@open311("GET")
def service_list(request, fmt):
    return render.respond(fmt, "services", services.services())


@open311("GET")
def service_definition(request, code, fmt):
    return render.respond(fmt, "service_definition", services.definition(service_class(code)))


@open311("GET", "POST")
def service_requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    extensions, client = _flag(request.GET, "extensions"), _reader(request)
    found = find(_query(request.GET), clock.now(), extensions, client)
    body = [as_request(c, extensions, _base(request), client) for c in found]
    return render.respond(fmt, "service_requests", body)


@open311("GET")
def service_request(request, number, fmt):
    client = _reader(request)
    case = one(number, client)
    if case is None:
        raise BadRequest(404, _("There is no service request {id}.").format(id=number))
    extensions = _flag(request.GET, "extensions")
    return render.respond(fmt, "service_requests", [as_request(case, extensions, _base(request), client)])


@open311("GET")
def token(request, token, fmt):
    client = keys.check(request.GET.get("api_key", ""), clock.now())
    case = by_token(token, client)
    if case is None:
        raise BadRequest(404, _("There is no service request for the token {token}.").format(token=token))
    return render.respond(fmt, "service_requests", [{"service_request_id": case.number, "token": token}])


@require_GET
def media(request, attachment_id):
    attachment = get_object_or_404(Attachment.objects.select_related("case"), pk=attachment_id)
    client = keys.check(request.GET.get("api_key", ""), clock.now())
    if not attachment.file or not photo_visible(attachment, client):
        raise Http404  # the same answer as for a photo that does not exist
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


def root(request):
    raise Http404  # only a base for the discovery document's URL


@csrf_exempt
def not_found(request, rest):
    """Any other URL under the endpoint: the standard's 404 document (JSON, or XML when the URL ends in .xml)."""
    fmt = "xml" if rest.endswith(".xml") else "json"
    return render.errors(fmt, 404, (404, _("There is no such Open311 resource: {path}").format(path=rest)))


def _create(request, fmt):
    client = keys.check(request.POST.get("api_key", ""), clock.now())
    if client is None:
        raise BadRequest(403, _("Invalid api_key received -- can't proceed with create_request."))
    limit = settings.API_RATE_LIMIT
    if wait := auth.over_limit(f"open311-rate:{client.pk}", limit):
        message = _("Too many requests: at most {limit} a minute. Try again in {seconds} s.")
        response = render.errors(fmt, 429, (429, message.format(limit=limit, seconds=wait)))
        response["Retry-After"] = str(wait)
        return response
    key = request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key")
    case, created = report(client, _report_fields(request.POST), key)
    notice = _("Received as case {number}; the supervision centre will verify it.").format(number=case.number)
    body = [{"service_request_id": case.number, "service_notice": notice, "account_id": None}]
    return render.respond(fmt, "service_requests", body, status=201 if created else 200)


def _report_fields(post) -> dict:
    code = post.get("service_code", "").strip()
    if not code:
        raise BadRequest(400, _("service_code is required."))
    klass = service_class(code)
    lat, lon = post.get("lat", "").strip(), post.get("long", "").strip()
    if not lat and not lon:
        if post.get("address_string", "").strip() or post.get("address_id", "").strip():
            raise BadRequest(400, _("This endpoint cannot place an address or address_id: send lat and long."))
        raise BadRequest(400, _("A location is required: lat and long (WGS84)."))
    if not lat or not lon:
        raise BadRequest(400, _("lat and long must be sent together."))
    description = post.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise BadRequest(400, _("description has at most {limit} characters.").format(limit=MAX_DESCRIPTION))
    if media_url := post.get("media_url", "").strip():
        description = f"{description}\n{media_url}".strip()
    fields = {
        "kind": "matter", "class_code": klass.code, "lon": _number(lon, "long"), "lat": _number(lat, "lat"),
        "description": description or klass.name, "address": post.get("address_string", "").strip(),
        "reporter_name": (post.get("last_name", "") + post.get("first_name", "")).strip(),
        "reporter_phone": post.get("phone", "").strip(),
    }
    if component := post.get(f"attribute[{services.COMPONENT_ATTRIBUTE}]", "").strip():
        fields["component"] = component
    return fields


def _reader(request) -> keys.Client | None:
    """The client system whose api_key a GET carries (optional); a wrong key is refused, not ignored."""
    key = request.GET.get("api_key", "").strip()
    if not key:
        return None
    client = keys.check(key, clock.now())
    if client is None:
        raise BadRequest(403, _("Invalid api_key received."))
    return client


def _query(params) -> Query:
    return Query(
        ids=_list(params, "service_request_id"), codes=_list(params, "service_code"),
        start=_datetime(params, "start_date"), end=_datetime(params, "end_date"),
        statuses=_statuses(params), bbox=_bbox(params),
        page=_int(params, "page", 1, 1, 10**6), page_size=_int(params, "page_size", 1000, 1, 1000),
    )


def _list(params, name: str) -> list[str]:
    return [item.strip() for item in params.get(name, "").split(",") if item.strip()]


def _statuses(params) -> list[str]:
    found = sorted(set(_list(params, "status")))
    if any(s not in ("open", "closed") for s in found):
        raise BadRequest(400, _("status is open, closed or both (comma-separated)."))
    return [] if len(found) == 2 else found


def _datetime(params, name: str) -> datetime | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(400, _("{name} must be a W3C date-time such as 2026-11-30T09:00:00+08:00.").format(
            name=name)) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)  # no zone: the city's


def _bbox(params) -> tuple[float, float, float, float] | None:
    value = params.get("bbox", "").strip()
    if not value:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise BadRequest(400, _("bbox is four numbers: min_long,min_lat,max_long,max_lat.")) from None
    if not all(map(math.isfinite, (west, south, east, north))) or west > east or south > north:
        raise BadRequest(400, _("bbox is four numbers: min_long,min_lat,max_long,max_lat."))
    return west, south, east, north


def _int(params, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(400, _("{name} must be a whole number from {low} to {high}.").format(
            name=name, low=low, high=high))
    return int(value)


def _number(value: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise BadRequest(400, _("{name} must be a number of degrees (WGS84).").format(name=name))
    return number


def _flag(params, name: str) -> bool:
    return params.get(name, "").strip().lower() == "true"


def _base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _check_jurisdiction(request) -> None:
    ours = settings.OPEN311_JURISDICTION
    given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if ours and given and given != ours:
        raise BadRequest(404, _("This endpoint serves only the jurisdiction {ours}.").format(ours=ours))
