"""What the map's side panel shows for one area: its place in the hierarchy, its components and (later) cases."""

import math

import shapely
from django.db.models import Count

from urbangrid.cases import clock
from urbangrid.catalog.models import CatalogClass
from urbangrid.components.models import STATUS_LABELS
from urbangrid.core.codes import AREA_CODE_LENGTHS, LEVEL_OF_LENGTH
from urbangrid.grid.models import Area
from urbangrid.maps import caselayer, features
from urbangrid.maps.inventory import rollups, standing

NEAREST_LIMIT = 20
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


def area_feature(code: str, crs: str, user=None) -> str | None:
    """The area as a GeoJSON Feature (boundary in `crs`, for highlighting) with the panel's data; None if there
    is no current area of that code. The cases are those `user` may see (none without a user)."""
    area = Area.objects.current().filter(code=code).first()
    if area is None:
        return None
    shape = area.shape
    properties = {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "level_label": str(area.get_level_display()),
        "area_m2": round(area.area_m2),
        "hierarchy": hierarchy(area.code),
        "components": components_of(area.code, shape if area.level == "grid" else None, crs),
        "cases": cases_of(area.code, user),
    }
    geometry = features.polygons([area.geometry], zoom=22, crs=crs)[0]
    return features.feature(geometry, properties, area.code)


def hierarchy(code: str) -> list[dict]:
    """District ▸ street ▸ community ▸ grid down to this area, as far as they exist today."""
    prefixes = [code[:n] for n in sorted(AREA_CODE_LENGTHS.values()) if n <= len(code)]
    rows = Area.objects.current().filter(code__in=prefixes).order_by("code")
    return [
        {"code": a.code, "name": a.name, "level": a.level, "level_label": str(a.get_level_display())} for a in rows
    ]


def _grid_counts(code: str) -> dict[str, int]:
    return dict(standing().filter(grid_code=code).values_list("klass__code").annotate(n=Count("id")))


def _rolled_up_counts(code: str) -> dict[str, int]:
    # A district holds a hundred thousand components: counting them here took 140 ms, the rollup takes none.
    level = LEVEL_OF_LENGTH[len(code)]
    return {k: tally.count for k, tally in rollups.get()[level].get(code, {}).items()}


def components_of(code: str, grid_shape=None, crs: str = "wgs84") -> dict:
    """How many standing components of each class lie in the area; for a grid also the ones nearest its middle."""
    counts = _grid_counts(code) if grid_shape is not None else _rolled_up_counts(code)
    names = dict(CatalogClass.objects.filter(kind="component", code__in=counts).values_list("code", "name"))
    by_class = [{"code": k, "name": names.get(k, ""), "count": counts[k]} for k in sorted(counts)]
    answer = {"total": sum(counts.values()), "by_class": by_class}
    if grid_shape is not None:
        nearest = answer["nearest"] = nearest_to_middle(code, grid_shape)
        lons, lats = features.shift_points([c["lon"] for c in nearest], [c["lat"] for c in nearest], crs)
        for c, lon, lat in zip(nearest, lons, lats, strict=True):
            c["lon"], c["lat"] = round(float(lon), 7), round(float(lat), 7)
    return answer


def nearest_to_middle(grid_code: str, shape) -> list[dict]:
    """The grid's components, nearest its middle (a point inside it) first, at most NEAREST_LIMIT."""
    middle = shapely.point_on_surface(shape)
    fields = ("identifier", "name", "klass__code", "klass__name", "status", "lon", "lat")
    rows = standing().filter(grid_code=grid_code).values_list(*fields)
    found = [dict(zip(fields, row, strict=True)) for row in rows]
    for c in found:
        c["distance_m"] = round(_distance_m(middle.x, middle.y, c["lon"], c["lat"]), 1)
        c["class_code"], c["class_name"] = c.pop("klass__code"), c.pop("klass__name")
        c["status_label"] = str(STATUS_LABELS.get(c["status"], c["status"]))
    found.sort(key=lambda c: (c["distance_m"], c["identifier"]))
    return found[:NEAREST_LIMIT]


def _distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    # Equirectangular: within a grid of a hundred metres its error is far below a metre.
    dx = (lon2 - lon1) * METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians((lat1 + lat2) / 2))
    dy = (lat2 - lat1) * METRES_PER_DEGREE_LAT
    return math.hypot(dx, dy)


def cases_of(code: str, user=None) -> dict | None:
    """The area's open cases that `user` may see: {"open", "overdue", "items": the first by deadline, "limit"};
    None for a visitor who is not signed in (the panel says to sign in)."""
    return caselayer.area_cases(user, code, clock.now())
