"""The field app (城管通): one mobile page, its service worker, and the JSON calls its queue makes.

Views parse the request and call field.submitting / cases.actions / cases.queries; who may do what is decided
there. Every answer of a JSON call is {"error": translated message, "field": …} or the result.
"""

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from urbangrid.accounts import devices, roster
from urbangrid.accounts.models import CollectorProfile
from urbangrid.cases import access, clock, queries
from urbangrid.cases.errors import CaseError, CaseNotFound, InvalidInput, NotAllowed, NotPossible, StaleCase
from urbangrid.components.nearest import nearest
from urbangrid.core.posts import Post
from urbangrid.field import alerting, classes, submitting, tracks
from urbangrid.field.auth import device_call, is_collector, may_watch, refused
from urbangrid.field.texts import TEXTS
from urbangrid.grid.locating import PointError, locate

STATUS = {CaseNotFound: 404, NotAllowed: 403, NotPossible: 409, StaleCase: 409, InvalidInput: 422}
# The marker images are what L.marker() loads (Leaflet finds them next to its CSS): without them a report made
# offline shows its pin as a broken image.
SHELL = ["field/app.css", "field/app.js", "field/queue.js", "field/photos.js", "maps/vendor/leaflet/leaflet.js",
         "maps/vendor/leaflet/leaflet.css", "maps/vendor/leaflet/images/marker-icon.png",
         "maps/vendor/leaflet/images/marker-icon-2x.png", "maps/vendor/leaflet/images/marker-shadow.png"]


@login_required
@require_GET
def app(request):
    if not is_collector(request.user):
        return render(request, "field/not_collector.html", status=403)
    texts = {key: str(text) for key, text in TEXTS.items()}
    return render(request, "field/app.html", {"config": _map_config(), "texts": texts})


@require_GET
def service_worker(request):
    # Served from /field/ (not /static/) so that its scope is /field/; the shell's URLs come from the manifest
    # of static files, so a deployment with hashed names caches the right ones.
    shell = ["/field/", *(static(path) for path in SHELL)]
    body = render(request, "field/sw.js", {"shell": json.dumps(shell), "version": _shell_version()}).content
    response = HttpResponse(body, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@lru_cache(maxsize=1)
def _shell_version() -> str:
    """A digest of the shell's files: a new release changes the worker, and phones drop the old cache."""
    digest = hashlib.sha256()
    for path in SHELL:
        found = finders.find(path)
        digest.update(Path(found).read_bytes() if found else path.encode())
    return digest.hexdigest()[:12]


@require_GET
def manifest(request):
    return JsonResponse({
        "name": _("UrbanGrid field app"), "short_name": _("Field app"), "start_url": "/field/", "scope": "/field/",
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#1d4ed8",
        "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }, content_type="application/manifest+json")


@login_required
@require_POST
def register_device(request):
    """The phone's first call after sign-in (with the session and the CSRF token): its queue's token."""
    if not is_collector(request.user):
        return refused(403, _("The field app is for collectors (信息采集员)."))
    label = request.headers.get("User-Agent", "")[:120]
    device, token = devices.register(request.user, request.session.session_key or "", label)
    return JsonResponse({"device": device.pk, "token": token}, status=201)


@device_call
@require_GET
def bootstrap(request):
    """What the page shows and keeps for offline use: my grids, my tasks, the class list, my recent classes."""
    user, now = request.user, clock.now()
    tasks, _cursor = queries.queue(user, str(Post.COLLECTOR), now, {})
    return JsonResponse({
        "user": {"name": str(user), "certificate": _certificate(user), "suspended": _suspended(user)},
        "grids": _grids(user), "tasks": [_task(item) for item in tasks], "classes": classes.listing(),
        "recent": _recent_classes(user),
    }, json_dumps_params={"default": str})


@device_call
@require_GET
def place(request):
    """Grid, address and nearest component of a point, or that it is outside the city (asked before queueing)."""
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
        found = locate(lon, lat)
    except (KeyError, ValueError):
        return refused(422, _("The point must be two numbers, lon and lat."), field="lon")
    except PointError as error:
        return refused(422, _(error.message), field=error.field)
    if found["outside"]:
        return JsonResponse({"outside": True, "message": str(found["message"])})
    component = nearest(lon, lat, class_code=request.GET.get("class_code") or None)
    names = [found[level]["name"] for level in ("district", "street", "community")]
    return JsonResponse({
        "outside": False, "grid": found["grid"]["code"], "address": "".join(names),
        "component": component and {"identifier": component.identifier, "name": component.name,
                                     "class_code": component.class_code, "distance_m": component.distance_m},
    })


@device_call
@require_POST
def report(request):
    photos = {kind: request.FILES.getlist(kind) for kind in ("evidence", "before", "after")}
    try:
        case, created = submitting.report(request.user, request.POST.get("key", ""), request.POST, photos)
    except CaseError as error:
        return _failed(error)
    return JsonResponse({"id": case.pk, "number": case.number, "created": created}, status=201 if created else 200)


@device_call
@require_POST
def task(request, case_id: int):
    post = request.POST
    try:
        done = submitting.task(request.user, post.get("key", ""), case_id, post.get("action", ""),
                               post.get("state", ""), post.get("reason", ""), request.FILES.getlist("evidence"))
    except CaseError as error:
        return _failed(error)
    return JsonResponse(done)


@device_call
@require_POST
def track(request):
    try:
        added = tracks.upload(request.user, json.loads(request.body or b"{}").get("points"))
    except (ValueError, AttributeError):
        return refused(422, _("A position is [time in ms, lon, lat, accuracy]."), field="points")
    except CaseError as error:
        return _failed(error)
    return JsonResponse({"added": added})


@device_call
@require_POST
def alert(request):
    try:
        body = json.loads(request.body or b"{}")
        sent = alerting.raise_alert(request.user, str(body.get("key", ""))[:100], str(body.get("kind", "")),
                                    body.get("lon"), body.get("lat"))
    except ValueError:
        return refused(422, _("This field is required."), field="kind")
    except CaseError as error:
        return _failed(error)
    return JsonResponse({"id": sent.pk, "notified": len(sent.notified)}, status=201)


def _failed(error: CaseError) -> JsonResponse:
    return refused(STATUS.get(type(error), 422), error.message, field=error.field, code=error.code)


def _task(item: dict) -> dict:
    keys = ("id", "number", "state", "state_label", "class_name", "description", "address", "lon", "lat",
            "light", "version")
    return {**{key: item[key] for key in keys}, "due": item["due"]}


def _grids(user) -> dict:
    profile = CollectorProfile.objects.filter(user=user).first()
    areas = profile.grids.all() if profile else []
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": a.code, "name": a.name},
         "geometry": shapely.geometry.mapping(shapely.from_wkb(bytes(a.geometry)))} for a in areas
    ]}


def _certificate(user) -> dict | None:
    profile = CollectorProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {"number": profile.certificate_no, "expires": profile.certificate_expires,
            "valid": profile.is_certified()}


def _suspended(user) -> str | None:
    found = roster.get().suspension(user.pk)
    return found[1] if found else None


def _recent_classes(user, limit: int = 8) -> list[str]:
    seen = access.visible_cases(user).filter(reporter=user, klass__isnull=False).order_by("-id").values_list(
        "klass__kind", "klass__code")[:50]
    return list(dict.fromkeys(f"{kind}:{code}" for kind, code in seen))[:limit]


def _map_config() -> dict:
    return {
        "basemap_url": getattr(settings, "MAP_BASEMAP_URL", ""),
        "basemap_attribution": getattr(settings, "MAP_BASEMAP_ATTRIBUTION", ""),
        "basemap_subdomains": getattr(settings, "MAP_BASEMAP_SUBDOMAINS", ""),
        "today": timezone.localdate().isoformat(),
    }


@login_required
@require_GET
def track_page(request):
    """The supervision centre's view of one collector's patrol track on one day."""
    if not may_watch(request.user):
        return render(request, "field/not_collector.html", {"watching": True}, status=403)
    collectors = tracks.collectors()
    texts = {"points": str(_("%(count)s positions"))}
    return render(request, "field/tracks.html", {"collectors": collectors, "config": _map_config(), "texts": texts})


@login_required
@require_GET
def track_data(request):
    if not may_watch(request.user):
        return refused(403, _("Only the supervision centre views patrol tracks."))
    try:
        user_id, day = int(request.GET["collector"]), date.fromisoformat(request.GET["day"])
    except (KeyError, ValueError):
        return refused(422, _("Choose a collector and a day."), field="collector")
    return JsonResponse({"points": tracks.of_day(user_id, day)})


@login_required
@require_GET
def thumbnail(request, case_id: int, attachment_id: int):
    """A photo's small JPEG, for lists and the case file's evidence block; whoever sees the case sees it."""
    try:
        case = access.access_case(request.user, case_id)
    except CaseNotFound:
        raise Http404 from None
    photo = case.attachments.filter(pk=attachment_id).exclude(thumbnail="").first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
