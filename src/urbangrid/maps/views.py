"""The city map page and its GeoJSON endpoints (plain views: GeoJSON is assembled as text, see features.py).

Errors are JSON like the API's: {"code": "invalid_bbox", "message": translated, "field": "bbox"}.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from urbangrid.cases import clock
from urbangrid.components.models import STATUS_LABELS
from urbangrid.core import codes
from urbangrid.grid.models import LEVEL_CHOICES
from urbangrid.maps import areas, caselayer, detail, features, inventory
from urbangrid.maps.params import (
    COUNT_LEVEL_FROM_ZOOM,
    DEFAULT_PERIOD_DAYS,
    LEVEL_FROM_ZOOM,
    POINTS_ZOOM,
    ParamError,
    level_for,
    parse_bbox,
    parse_classes,
    parse_crs,
    parse_level,
    parse_period,
    parse_zoom,
)

GEOJSON = "application/geo+json"


def error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    body = {"code": code, "message": message, **({"field": field} if field else {})}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def checked(view):
    """Turns a ParamError raised while reading the query into a 400 that names the field."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ParamError as e:
            return error(400, f"invalid_{e.field}", e.message, e.field)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return require_GET(gzip_page(wrapper))


@checked
def areas_geojson(request):
    """GET /map/areas.geojson?level=grid&bbox=w,s,e,n&zoom=16[&crs=gcj02]: the areas of a level in the box."""
    crs = parse_crs(request.GET.get("crs"))
    level, zoom = parse_level(request.GET.get("level")), parse_zoom(request.GET.get("zoom"))
    box = parse_bbox(request.GET.get("bbox"), crs)
    rows, truncated = areas.in_box(level, box)
    geometries = features.polygons([wkb for _c, _n, wkb in rows], zoom, crs)
    found = [
        features.feature(geometry, {"code": code, "name": name, "level": level}, code)
        for (code, name, _w), geometry in zip(rows, geometries, strict=True)
    ]
    body = features.collection(found, level=level, crs=crs, truncated=truncated, limit=areas.FEATURE_CAP)
    return HttpResponse(body, content_type=GEOJSON)


@checked
def components_geojson(request):
    """GET /map/components.geojson?bbox=…&zoom=…[&classes=01001,02005][&crs=…]: counts per area, or points."""
    crs = parse_crs(request.GET.get("crs"))
    zoom, classes = parse_zoom(request.GET.get("zoom")), parse_classes(request.GET.get("classes"))
    box = parse_bbox(request.GET.get("bbox"), crs)
    if classes is not None and not classes:
        body = features.collection([], mode="none", crs=crs, truncated=False)
    elif zoom >= POINTS_ZOOM:
        found, truncated = inventory.points(box, classes)
        # More than the cap: counted per grid instead, rather than an arbitrary part of them.
        body = _clusters("grid", box, classes, crs) if truncated else _points(found, zoom, crs)
    else:
        body = _clusters(level_for(zoom, COUNT_LEVEL_FROM_ZOOM), box, classes, crs)
    return HttpResponse(body, content_type=GEOJSON)


def _points(found: list[inventory.Point], zoom: int, crs: str) -> str:
    lons, lats = features.shift_points([p.lon for p in found], [p.lat for p in found], crs)
    decimals = features.decimals_for(zoom)
    items = [
        features.feature(
            features.point(lon, lat, decimals),
            {"identifier": p.identifier, "name": p.name, "class_code": p.class_code, "status": p.status},
        )
        for p, lon, lat in zip(found, lons, lats, strict=True)
    ]
    return features.collection(items, mode="points", crs=crs, truncated=False, limit=inventory.POINT_CAP)


def _clusters(level: str, box, classes, crs: str) -> str:
    found, truncated = inventory.clusters(level, box, classes)
    lons, lats = features.shift_points([c.lon for c in found], [c.lat for c in found], crs)
    items = [
        features.feature(
            features.point(lon, lat, 6),
            {"code": c.code, "name": c.name, "level": level, "count": c.count, "classes": c.by_class},
            c.code,
        )
        for c, lon, lat in zip(found, lons, lats, strict=True)
    ]
    return features.collection(
        items, mode="clusters", level=level, crs=crs, truncated=truncated, limit=areas.FEATURE_CAP
    )


def _signed_in(request) -> JsonResponse | None:
    """Cases are for signed-in users only (the map page itself is public): a 403 for everyone else."""
    if request.user.is_authenticated and request.user.is_active:
        return None
    return error(403, "login_required", _("Sign in to see cases on the map."))


@checked
def cases_geojson(request):
    """GET /map/cases.geojson?bbox=…&zoom=…[&crs=…]: the open cases the user may see, as points with their
    light (zoom ≥ 13 and at most caselayer.POINT_CAP of them), else counted per area."""
    if denied := _signed_in(request):
        return denied
    crs, zoom = parse_crs(request.GET.get("crs")), parse_zoom(request.GET.get("zoom"))
    box, at = parse_bbox(request.GET.get("bbox"), crs), clock.now()
    if zoom >= caselayer.POINTS_FROM_ZOOM:
        found, truncated = caselayer.points(request.user, box, at)
        if not truncated:
            lons, lats = features.shift_points([f[0] for f in found], [f[1] for f in found], crs)
            decimals = features.decimals_for(zoom)
            items = [
                features.feature(features.point(lon, lat, decimals), props, str(props["id"]))
                for (_x, _y, props), lon, lat in zip(found, lons, lats, strict=True)
            ]
            body = features.collection(items, mode="points", crs=crs, limit=caselayer.POINT_CAP)
            return HttpResponse(body, content_type=GEOJSON)
    level = level_for(zoom, caselayer.CASE_LEVEL_FROM_ZOOM)
    tallies = caselayer.counts(request.user, level, box, at)
    lons, lats = features.shift_points([t.lon for t in tallies], [t.lat for t in tallies], crs)
    items = [
        features.feature(
            features.point(lon, lat, 6),
            {"code": t.code, "name": t.name, "level": level, "count": t.count, "overdue": t.overdue}, t.code,
        )
        for t, lon, lat in zip(tallies, lons, lats, strict=True)
    ]
    body = features.collection(items, mode="counts", level=level, crs=crs)
    return HttpResponse(body, content_type=GEOJSON)


@checked
def heat_json(request):
    """GET /map/heat.json?bbox=…&zoom=…[&classes=…][&since=YYYY-MM-DD][&until=…][&crs=…]: cases reported in
    the period (default: the last 30 days) counted per community (grid from zoom 14), for leaflet.heat."""
    if denied := _signed_in(request):
        return denied
    crs, zoom = parse_crs(request.GET.get("crs")), parse_zoom(request.GET.get("zoom"))
    box, classes = parse_bbox(request.GET.get("bbox"), crs), parse_classes(request.GET.get("classes"))
    since, until = parse_period(request.GET.get("since"), request.GET.get("until"), timezone.localdate(clock.now()))
    level = level_for(zoom, caselayer.HEAT_LEVEL_FROM_ZOOM)
    if classes is not None and not classes:
        found, total, truncated = [], 0, False
    else:
        found, total, truncated = caselayer.heat(request.user, box, level, classes, since, until)
    lons, lats = features.shift_points([f[1] for f in found], [f[0] for f in found], crs)
    body = {
        "level": level, "since": since.isoformat(), "until": until.isoformat(), "total": total,
        "max": max((f[2] for f in found), default=0), "truncated": truncated, "crs": crs,
        "points": [
            [round(float(lat), 6), round(float(lon), 6), f[2]] for f, lon, lat in zip(found, lons, lats, strict=True)
        ],
    }
    return JsonResponse(body)


@checked
def area_json(request, code: str):
    """GET /map/areas/<code>.json[?crs=…]: one area with its hierarchy, component counts and nearest components."""
    crs = parse_crs(request.GET.get("crs"))
    try:
        _level, code = codes.parse_area_code(code)
    except codes.CodeError as e:
        return error(400, "invalid_code", _(e.message).format(**e.params), "code")
    body = detail.area_feature(code, crs, request.user)
    if body is None:
        return error(404, "not_found", _("No current area has the code {code}.").format(code=code), "code")
    return HttpResponse(body, content_type=GEOJSON)


def city_map(request):
    """The operators' map: our own layers, on the configured basemap if there is one."""
    crs = basemap_crs()
    context = {
        "config": page_config(crs),
        "classes": inventory.class_totals(),
        "statuses": json.dumps({k: str(v) for k, v in STATUS_LABELS.items()}, ensure_ascii=False),
        "level_labels": json.dumps({k: str(v) for k, v in LEVEL_CHOICES}, ensure_ascii=False),
        "light_labels": json.dumps({k: str(v) for k, v in caselayer.LIGHT_LABELS.items()}, ensure_ascii=False),
    }
    if request.user.is_authenticated:
        today = timezone.localdate(clock.now())
        context.update(
            case_classes=caselayer.case_classes(),
            heat_since=(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat(), heat_until=today.isoformat(),
        )
    return render(request, "maps/map.html", context)


def basemap_crs() -> str:
    return getattr(settings, "MAP_BASEMAP_CRS", "wgs84") or "wgs84"


def page_config(crs: str) -> dict:
    """What map.js needs, given to it as data- attributes (no inline script: a CSP will forbid them)."""
    extent = areas.city_extent()
    if extent is not None:
        (west, east), (south, north) = features.shift_points(extent[::2], extent[1::2], crs)
        extent = ",".join(f"{v:.6f}" for v in (west, south, east, north))
    centre = features.shift_points([areas.FALLBACK_CENTRE[0]], [areas.FALLBACK_CENTRE[1]], crs)
    return {
        "basemap_url": getattr(settings, "MAP_BASEMAP_URL", ""),
        "basemap_labels_url": getattr(settings, "MAP_BASEMAP_LABELS_URL", ""),
        "basemap_attribution": getattr(settings, "MAP_BASEMAP_ATTRIBUTION", ""),
        "basemap_subdomains": getattr(settings, "MAP_BASEMAP_SUBDOMAINS", ""),
        "basemap_max_zoom": getattr(settings, "MAP_BASEMAP_MAX_ZOOM", 18),
        "crs": crs,
        "extent": extent or "",
        "centre": f"{float(centre[0][0]):.6f},{float(centre[1][0]):.6f}",
        "levels": json.dumps(LEVEL_FROM_ZOOM),
        "areas_url": reverse("maps:areas"),
        "components_url": reverse("maps:components"),
        "area_url": reverse("maps:area", kwargs={"code": "CODE"}),
        "cases_url": reverse("maps:cases"),
        "heat_url": reverse("maps:heat"),
    }
