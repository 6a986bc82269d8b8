"""The query parameters of the map endpoints, checked once, with a translated error that names the field.

bbox   west,south,east,north in degrees, in the coordinate system `crs` of the map that asks (the viewport of
       a Gaode-style basemap is in GCJ-02); converted to WGS84 here, because that is what we store.
zoom   the map's zoom level (0–22): how much to simplify, and whether components come as points or counts.
crs    wgs84 (default, also 天地图 / CGCS2000), gcj02 or bd09: the coordinates of the answer.
level  district, street, community or grid.
classes  comma-separated 5-digit class codes (GB/T 47678.5); absent means every class, empty means none.
since, until  a period of days (YYYY-MM-DD, both included), at most MAX_PERIOD_DAYS long; default the last 30.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from urbangrid.core import codes
from urbangrid.core.coords import CRS_NAMES, to_wgs84

LEVELS = ("district", "street", "community", "grid")
# The level the map draws from each zoom on (the browser gets this table). Components are counted per area
# of COUNT_LEVEL_FROM_ZOOM; from POINTS_ZOOM on (a screen of 3 km², a few thousand components even in the
# centre of the demo city) they come one by one, or counted per grid where there are more than the cap.
LEVEL_FROM_ZOOM = ((0, "district"), (11, "street"), (13, "community"), (15, "grid"))
COUNT_LEVEL_FROM_ZOOM = ((0, "district"), (11, "street"), (13, "community"))
POINTS_ZOOM = 16
MAX_SPAN_DEG = 5.0  # a whole prefecture-level city fits; the feature caps keep the answers small anyway
MAX_ZOOM = 22
MAX_CLASSES = 200
MAX_PERIOD_DAYS = 366
DEFAULT_PERIOD_DAYS = 30


class ParamError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.west + self.east) / 2, (self.south + self.north) / 2

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def level_for(zoom: int, table=LEVEL_FROM_ZOOM) -> str:
    return [level for start, level in table if zoom >= start][-1]


def parse_crs(raw: str | None) -> str:
    crs = (raw or "wgs84").strip().lower()
    if crs not in CRS_NAMES:
        message = _("Unknown coordinate system {crs}; use one of {choices}.")
        raise ParamError("crs", "crs: " + message.format(crs=crs, choices=", ".join(CRS_NAMES)))
    return crs


def parse_zoom(raw: str | None) -> int:
    try:
        zoom = int((raw or "").strip())
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= MAX_ZOOM:
        message = _("zoom: give the map's zoom level as a whole number from 0 to {max}, got “{value}”.")
        raise ParamError("zoom", message.format(max=MAX_ZOOM, value=raw or ""))
    return zoom


def parse_level(raw: str | None) -> str:
    level = (raw or "").strip().lower()
    if level not in LEVELS:
        message = _("level: use one of {choices}, got “{value}”.")
        raise ParamError("level", message.format(choices=", ".join(LEVELS), value=raw or ""))
    return level


def parse_classes(raw: str | None) -> frozenset[str] | None:
    if raw is None:
        return None
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if len(parts) > MAX_CLASSES:
        message = _("classes: at most {max} class codes, got {count}.")
        raise ParamError("classes", message.format(max=MAX_CLASSES, count=len(parts)))
    try:
        return frozenset(codes.parse_class_code(part, "classes") for part in parts)
    except codes.CodeError as e:
        raise ParamError("classes", f"classes: {_(e.message).format(**e.params)}") from e


def parse_bbox(raw: str | None, crs: str = "wgs84") -> BBox:
    """The box in WGS84. Checked in the caller's coordinates, so that the message repeats what was sent."""
    if not raw:
        message = _("bbox: give the box as west,south,east,north in degrees, e.g. {example}.")
        raise ParamError("bbox", message.format(example="113.60,34.70,113.75,34.80"))
    west, south, east, north = _four_numbers(raw)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ParamError("bbox", _("bbox: longitudes must be from -180 to 180 and latitudes from -90 to 90."))
    if not (west < east and south < north):
        message = _("bbox: west ({west}) must be less than east ({east}), and south ({south}) than north ({north}).")
        raise ParamError("bbox", message.format(west=west, east=east, south=south, north=north))
    if east - west > MAX_SPAN_DEG or north - south > MAX_SPAN_DEG:
        message = _("bbox: the box may span at most {max:g}° each way; this one spans {width:.3g}° × {height:.3g}°.")
        raise ParamError("bbox", message.format(max=MAX_SPAN_DEG, width=east - west, height=north - south))
    return _to_wgs84(BBox(west, south, east, north), crs)


def _four_numbers(raw: str) -> tuple[float, float, float, float]:
    parts = raw.split(",")
    try:
        numbers = tuple(float(part) for part in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        message = _("bbox: “{value}” is not four numbers west,south,east,north.")
        raise ParamError("bbox", message.format(value=raw[:100]))
    return numbers


def _to_wgs84(box: BBox, crs: str) -> BBox:
    if crs in ("wgs84", "cgcs2000"):
        return box
    # The GCJ-02 offset changes by millimetres across a city, so the envelope of the converted corners and
    # edge midpoints is the converted box to well under a pixel.
    (cx, cy), xs, ys = box.centre, (box.west, box.east), (box.south, box.north)
    lons = [x for x in (*xs, cx) for _y in (*ys, cy)]
    lats = [y for _x in (*xs, cx) for y in (*ys, cy)]
    wgs_lons, wgs_lats = to_wgs84(lons, lats, crs)
    return BBox(float(min(wgs_lons)), float(min(wgs_lats)), float(max(wgs_lons)), float(max(wgs_lats)))


def parse_period(since_raw: str | None, until_raw: str | None, today: date) -> tuple[date, date]:
    """(since, until), both days included; until defaults to today, since to 29 days before until."""
    until = _day(until_raw, "until") or today
    since = _day(since_raw, "since") or until - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if since > until:
        message = _("since: the first day ({since}) must not be after the last ({until}).")
        raise ParamError("since", message.format(since=since, until=until))
    if (until - since).days + 1 > MAX_PERIOD_DAYS:
        message = _("since: the period may be at most {max} days long; this one is {days}.")
        raise ParamError("since", message.format(max=MAX_PERIOD_DAYS, days=(until - since).days + 1))
    return since, until


def _day(raw: str | None, field: str) -> date | None:
    if not raw or not raw.strip():
        return None
    try:
        return datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    except ValueError:
        message = _("{field}: “{value}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30.")
        raise ParamError(field, message.format(field=field, value=raw[:40])) from None
