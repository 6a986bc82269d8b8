"""GeoJSON for the map: geometry simplified to about a pixel of the zoom, shifted to the map's datum, rounded.

Features are written as strings and joined, so that a response of 2,000 polygons is one vectorised pass
through shapely rather than 2,000 round trips through json.dumps of nested lists.
"""

import json
import math

import numpy as np
import shapely

from urbangrid.core.coords import from_wgs84

TILE_PX = 256


def degrees_per_pixel(zoom: int) -> float:
    return 360.0 / (TILE_PX * 2**zoom)


def decimals_for(zoom: int) -> int:
    # A tenth of a pixel: 4 decimals at a city's zoom, 7 (≈1 cm) when every manhole is apart.
    return min(7, max(3, math.ceil(-math.log10(degrees_per_pixel(zoom) / 10))))


def shift(geoms: np.ndarray, crs: str) -> np.ndarray:
    if crs in ("wgs84", "cgcs2000") or len(geoms) == 0:
        return geoms
    return shapely.transform(geoms, lambda xy: np.column_stack(from_wgs84(xy[:, 0], xy[:, 1], crs)))


def shift_points(lons, lats, crs: str) -> tuple[np.ndarray, np.ndarray]:
    lons, lats = np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    if crs in ("wgs84", "cgcs2000") or lons.size == 0:
        return lons, lats
    return from_wgs84(lons, lats, crs)


def polygons(wkbs: list[bytes], zoom: int, crs: str) -> list[str]:
    """GeoJSON geometry strings of WKB boundaries, ready for the zoom and the datum."""
    if not wkbs:
        return []
    blobs = np.empty(len(wkbs), dtype=object)
    blobs[:] = [bytes(w) for w in wkbs]
    geoms = shapely.simplify(shapely.from_wkb(blobs), degrees_per_pixel(zoom), preserve_topology=True)
    decimals = decimals_for(zoom)
    geoms = shapely.transform(shift(geoms, crs), lambda xy: np.round(xy, decimals))
    return list(shapely.to_geojson(geoms))


def point(lon: float, lat: float, decimals: int = 7) -> str:
    x, y = round(float(lon), decimals), round(float(lat), decimals)
    return f'{{"type":"Point","coordinates":[{x!r},{y!r}]}}'


def compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def feature(geometry: str, properties: dict, feature_id: str | None = None) -> str:
    head = f'{{"type":"Feature","id":{json.dumps(feature_id)},' if feature_id is not None else '{"type":"Feature",'
    return f'{head}"geometry":{geometry},"properties":{compact(properties)}}}'


def collection(features: list[str], **members) -> str:
    """A FeatureCollection; `members` (level, truncated, limit …) are GeoJSON foreign members."""
    extra = "".join(f",{json.dumps(k)}:{compact(v)}" for k, v in members.items())
    return f'{{"type":"FeatureCollection"{extra},"features":[{",".join(features)}]}}'
