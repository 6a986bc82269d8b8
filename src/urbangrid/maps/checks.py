"""System checks for the map's basemap settings (MAP_BASEMAP_*)."""

from django.conf import settings
from django.core import checks

# Leaflet draws Web Mercator tiles. WGS84 (CGCS2000: 天地图's *_w services) and GCJ-02 (Gaode-style) tiles
# differ only in the datum of what they show, which our layers follow through the `crs` parameter.
BASEMAP_CRS = ("wgs84", "cgcs2000", "gcj02")


def check_basemap(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    crs = getattr(settings, "MAP_BASEMAP_CRS", "wgs84")
    if crs not in BASEMAP_CRS:
        errors.append(checks.Error(
            f"MAP_BASEMAP_CRS={crs!r} is not a datum the map can show its layers in.",
            hint=f"Use one of {', '.join(BASEMAP_CRS)} (Baidu's BD-09 tiles use their own projection).",
            id="urbangrid.maps.E001",
        ))
    url = getattr(settings, "MAP_BASEMAP_URL", "")
    if url and not all(part in url for part in ("{z}", "{x}", "{y}")):
        errors.append(checks.Error(
            f"MAP_BASEMAP_URL={url!r} has no {{z}}, {{x}} and {{y}} placeholders.",
            hint="Give a tile URL template, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png",
            id="urbangrid.maps.E002",
        ))
    return errors
