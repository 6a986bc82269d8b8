"""Point → unit grid for the whole process: one core.geo.Locator over the grids valid today.

The locator is built once and rebuilt when the "areas" data version in the database moves on, which
every import, generation and retirement bumps. To spare the database a query per lookup, the version is
read at most once per CHECK_INTERVAL seconds; `get_locator(refresh=True)` reads it at once.
"""

import threading
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.utils import timezone
from django.utils.translation import gettext as _

from urbangrid.core.coords import CRS_NAMES, to_wgs84
from urbangrid.core.geo import Location, Locator
from urbangrid.grid import versions
from urbangrid.grid.models import Area

DATA_VERSION = "areas"
CHECK_INTERVAL = 1.0  # seconds


@dataclass
class _Built:
    locator: Locator
    version: int
    day: object  # the date the grids were valid on: a grid retired tomorrow is gone tomorrow
    checked_at: float


_built: _Built | None = None
_lock = threading.Lock()


def get_locator(refresh: bool = False) -> Locator:
    global _built
    built = _built
    now = time.monotonic()
    if built is not None and not refresh and now - built.checked_at < CHECK_INTERVAL:
        return built.locator
    version, today = versions.current(DATA_VERSION), timezone.localdate()
    if built is not None and (built.version, built.day) == (version, today):
        built.checked_at = now
        return built.locator
    with _lock:  # one thread builds; the others wait and take its result
        if _built is None or (_built.version, _built.day) != (version, today):
            _built = _Built(build_locator(today), version, today, now)
        return _built.locator


def reset() -> None:
    """Forget the locator, e.g. between tests whose rolled-back databases reuse version numbers."""
    global _built
    with _lock:
        _built = None


def build_locator(on=None) -> Locator:
    """A Locator over the grids valid on `on` (today), with the names of every district, street and community."""
    current = Area.objects.current(on).order_by()
    rows = list(current.filter(level="grid").values_list("code", "name", "geometry"))
    wkb = np.empty(len(rows), dtype=object)
    wkb[:] = [bytes(row[2]) for row in rows]  # one bulk decode instead of 100,000 shapely calls
    polygons = shapely.from_wkb(wkb)
    names = dict(current.exclude(level="grid").values_list("code", "name"))
    return Locator([(code, name, poly) for (code, name, _g), poly in zip(rows, polygons, strict=True)], names)


class PointError(ValueError):
    """A point that cannot be located; `field` names the input, `message` is translated."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def check_point(lon: float, lat: float, crs: str) -> None:
    if crs not in CRS_NAMES:
        message = _("Unknown coordinate system {crs}; use one of {choices}.")
        raise PointError("crs", message.format(crs=crs, choices=", ".join(CRS_NAMES)))
    if not -180 <= lon <= 180:
        raise PointError("lon", _("The longitude must be a number from -180 to 180, got {value}.").format(value=lon))
    if not -90 <= lat <= 90:
        raise PointError("lat", _("The latitude must be a number from -90 to 90, got {value}.").format(value=lat))


def locate(lon: float, lat: float, crs: str = "wgs84") -> dict:
    """The answer given by the API and the command: the place of the point, or that it is outside."""
    check_point(lon, lat, crs)
    wgs_lon, wgs_lat = to_wgs84(lon, lat, crs)
    point = {"lon": round(wgs_lon, 7), "lat": round(wgs_lat, 7)}
    location = get_locator().locate(wgs_lon, wgs_lat)
    if location is None:
        return {"outside": True, "message": _("The point is outside the city's unit grids."), "wgs84": point}
    return {"outside": False, **_places(location), "wgs84": point}


def _places(location: Location) -> dict:
    return {
        level: {"code": place.code, "name": place.name}
        for level, place in (
            ("district", location.district),
            ("street", location.street),
            ("community", location.community),
            ("grid", location.grid),
        )
    }
