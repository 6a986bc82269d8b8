"""The nearest component to a point, from a process-wide in-memory index of the inventory.

The index (core.geo.PointIndex) is rebuilt when the data version "components" moves: imports bump it
once, single saves and deletes bump it through signals.py. Checking the version costs one small query
per lookup, which keeps every process (web workers, commands) in step without messaging. Removed
components (status 移除) are left out: they are no longer in the street.
"""

import threading
from dataclasses import asdict, dataclass

import numpy as np
from django.utils.translation import gettext as _

from urbangrid.components.models import Component
from urbangrid.core.coords import to_wgs84
from urbangrid.core.geo import PointIndex
from urbangrid.grid.versions import current

DATA_VERSION = "components"
DEFAULT_WITHIN_M = 30.0

_lock = threading.Lock()
_cache: tuple[int, PointIndex | None] | None = None


@dataclass(frozen=True)
class Nearby:
    identifier: str
    name: str
    class_code: str
    class_name: str
    status: str
    status_label: str
    grid_code: str
    lon: float
    lat: float
    distance_m: float

    def as_dict(self) -> dict:
        return asdict(self)


def index() -> PointIndex | None:
    """The index of the current inventory (None while it is empty), rebuilt if the data changed."""
    global _cache
    # Read the version before the data: a change committed in between then only causes one more rebuild.
    version = current(DATA_VERSION)
    cached = _cache
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        if _cache is None or _cache[0] != version:
            _cache = (version, _build())
        return _cache[1]


def clear_cache() -> None:
    """Forget the index. Tests need this: a rolled-back transaction also rolls the data version back."""
    global _cache
    with _lock:
        _cache = None


def _build() -> PointIndex | None:
    rows = list(
        Component.objects.exclude(status="removed").order_by().values_list("id", "lon", "lat", "klass__code")
    )
    if not rows:
        return None
    ids, lons, lats, classes = zip(*rows, strict=True)
    return PointIndex(np.array(ids), np.array(lons), np.array(lats), np.array(classes, dtype=object))


def nearest(
    lon: float, lat: float, within: float = DEFAULT_WITHIN_M, class_code: str | None = None, crs: str = "wgs84"
) -> Nearby | None:
    """The nearest component within `within` metres (of a class), or None."""
    wgs_lon, wgs_lat = to_wgs84(lon, lat, crs)
    found = index()
    hit = found.nearest(wgs_lon, wgs_lat, within, class_code) if found is not None else None
    if hit is None:
        return None
    component_id, distance = hit
    component = Component.objects.select_related("klass").filter(id=component_id).first()
    if component is None:  # deleted since the index was built
        return None
    return Nearby(
        identifier=component.identifier, name=component.name, class_code=component.klass.code,
        class_name=component.klass.name, status=component.status, status_label=str(component.get_status_display()),
        grid_code=component.grid_code, lon=component.lon, lat=component.lat, distance_m=round(distance, 2),
    )


def answer(
    lon: float, lat: float, within: float = DEFAULT_WITHIN_M, class_code: str | None = None, crs: str = "wgs84"
) -> dict:
    """What the API and the command print: found, within_m, message and the component if any."""
    hit = nearest(lon, lat, within, class_code, crs)
    if hit is None:
        return {"found": False, "within_m": within, "message": nothing_within(within, class_code), "component": None}
    return {"found": True, "within_m": within, "message": "", "component": hit.as_dict()}


def nothing_within(within: float, class_code: str | None) -> str:
    if class_code:
        return _("No component of class {code} within {within:g} m.").format(code=class_code, within=within)
    return _("No component within {within:g} m.").format(within=within)
