"""Reading one area boundary from a GeoJSON-like mapping (or a shapely geometry) into WGS84.

The raw coordinates are checked before shapely sees them, because shapely quietly closes an open ring
and a file with open rings is a file to send back, not to guess at.
"""

import math
from collections.abc import Mapping, Sequence

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from urbangrid.core import coords
from urbangrid.core.codes import gettext_noop

POLYGONAL = ("Polygon", "MultiPolygon")
NOT_POLYGONAL = gettext_noop("the geometry is a {kind}, not a Polygon or MultiPolygon")


class ShapeError(ValueError):
    """A boundary that cannot be used; `message` is an English msgid, `lon`/`lat` a WGS84 point if known."""

    def __init__(self, message: str, lon: float | None = None, lat: float | None = None, **params: object):
        super().__init__(message.format(**params))
        self.message, self.params, self.lon, self.lat = message, params, lon, lat


def read_shape(geometry: Mapping | BaseGeometry | None, crs: str) -> BaseGeometry:
    """A 2-D Polygon or MultiPolygon in WGS84, or ShapeError."""
    if geometry is None or (isinstance(geometry, Mapping) and not geometry):
        raise ShapeError(gettext_noop("the feature has no geometry"))
    if isinstance(geometry, Mapping):
        geometry = _from_mapping(geometry, crs)
    elif geometry.geom_type not in POLYGONAL:
        raise ShapeError(NOT_POLYGONAL, kind=geometry.geom_type)
    return coords.transform_geometry(shapely.force_2d(geometry), crs)


def _from_mapping(geometry: Mapping, crs: str) -> Polygon | MultiPolygon:
    kind = geometry.get("type")
    if kind not in POLYGONAL:
        raise ShapeError(NOT_POLYGONAL, kind=kind)
    polygons = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [polygons]
    if not _is_list(polygons) or not polygons:
        raise ShapeError(gettext_noop("the geometry has no coordinates"))
    for p, rings in enumerate(polygons, start=1):
        _check_polygon(rings, p, crs)
    try:
        return shape({"type": kind, "coordinates": geometry["coordinates"]})
    except (ValueError, TypeError, shapely.errors.ShapelyError) as e:
        raise ShapeError(gettext_noop("the coordinates cannot be read: {reason}"), reason=str(e)) from e


def _check_polygon(rings: object, p: int, crs: str) -> None:
    if not _is_list(rings) or not rings:
        raise ShapeError(gettext_noop("polygon {polygon} has no rings"), polygon=p)
    for r, ring in enumerate(rings, start=1):
        if not _is_list(ring):
            message = gettext_noop("ring {ring} of polygon {polygon} is not a list of points")
            raise ShapeError(message, polygon=p, ring=r)
        for position in ring:
            _check_position(position, p, r)
        _check_ring(ring, p, r, crs)


def _check_position(position: object, p: int, r: int) -> None:
    ok = (
        _is_list(position)
        and len(position) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in position[:2])
    )
    if not ok:
        message = gettext_noop("ring {ring} of polygon {polygon} holds {value!r}, which is not an x, y point")
        raise ShapeError(message, polygon=p, ring=r, value=position)


def _check_ring(ring: Sequence, p: int, r: int, crs: str) -> None:
    start, end = ring[0][:2] if ring else None, ring[-1][:2] if ring else None
    if ring and list(start) != list(end):
        lon, lat = _wgs84(start, crs)
        message = gettext_noop(
            "ring {ring} of polygon {polygon} is not closed: it starts at ({x0}, {y0}) and ends at ({x1}, {y1})"
        )
        raise ShapeError(message, lon, lat, polygon=p, ring=r, x0=start[0], y0=start[1], x1=end[0], y1=end[1])
    if len(ring) < 4:
        lon, lat = _wgs84(start, crs) if ring else (None, None)
        message = gettext_noop("ring {ring} of polygon {polygon} has {count} points; a closed ring needs at least 4")
        raise ShapeError(message, lon, lat, polygon=p, ring=r, count=len(ring))


def _wgs84(position: Sequence, crs: str) -> tuple[float | None, float | None]:
    x, y = float(position[0]), float(position[1])
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        return None, None
    return coords.to_wgs84(x, y, crs)


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple)
