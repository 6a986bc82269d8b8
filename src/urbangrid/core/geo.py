"""In-memory spatial indexes: which unit grid a point falls in, and which components lie near it.

Both wrap one shapely STRtree and are read-only once built, so one instance can serve every thread.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from urbangrid.core.coords import MetricProjection

# Grid code = 6 district + 3 street + 3 community + 3 grid sequence.
DISTRICT_LEN, STREET_LEN, COMMUNITY_LEN, GRID_LEN = 6, 9, 12, 15


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@dataclass(frozen=True)
class Location:
    district: Place
    street: Place
    community: Place
    grid: Place


def _one_point(x: float, y: float) -> np.ndarray:
    # A 1-element array, not a scalar Point: STRtree wraps a scalar in a new array on every query,
    # which costs more than the query itself on a city's grids.
    return shapely.points(np.array(((x, y),), dtype=np.float64))


class Locator:
    """Point → unit grid (and its community, street and district).

    Boundary rule: a point on an edge or vertex shared by several grids belongs to the grid with the
    smallest code, and where grids overlap (faulty data) the smallest code wins as well. Points in no
    grid (outside the city, in a hole) locate to None.
    """

    def __init__(
        self,
        grids: Sequence[tuple[str, str, BaseGeometry]],
        names: Mapping[str, str],
    ):
        # Sorted by code, so the smallest tree index among several hits is the smallest code.
        ordered = sorted(grids, key=lambda g: g[0])
        codes = [code for code, _, _ in ordered]
        if len(set(codes)) != len(codes):
            raise ValueError("grid codes must be unique")
        self._codes = np.array(codes, dtype=object)
        self._tree = STRtree([polygon for _, _, polygon in ordered])
        places: dict[str, Place] = {}

        def place(code: str, name: str | None = None) -> Place:
            found = places.get(code)
            if found is None:
                found = places[code] = Place(code, names.get(code, "") if name is None else name)
            return found

        # Built once here so that a lookup is a tree query and a list index.
        self._locations = [
            Location(
                district=place(code[:DISTRICT_LEN]),
                street=place(code[:STREET_LEN]),
                community=place(code[:COMMUNITY_LEN]),
                grid=Place(code, name),
            )
            for code, name, _ in ordered
        ]
        self._places = places

    def __len__(self) -> int:
        return len(self._codes)

    def place(self, code: str) -> Place | None:
        return self._places.get(code)

    def _index(self, lon: float, lat: float) -> int:
        point = _one_point(lon, lat)
        hits = self._tree.query(point, predicate="within")[1]
        if hits.size == 1:
            return int(hits[0])
        if hits.size == 0:
            # On an edge or vertex a point is within no polygon, but intersects all that share it.
            hits = self._tree.query(point, predicate="intersects")[1]
            if hits.size == 0:
                return -1
        return int(hits.min())

    def locate_code(self, lon: float, lat: float) -> str | None:
        i = self._index(lon, lat)
        return None if i < 0 else self._codes[i]

    def locate(self, lon: float, lat: float) -> Location | None:
        i = self._index(lon, lat)
        return None if i < 0 else self._locations[i]

    def locate_many(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Object array of grid codes (None where no grid), same rules as `locate_code`."""
        points = shapely.points(np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64))
        n = points.size
        none = len(self._codes)  # sentinel larger than any tree index
        best = np.full(n, none, dtype=np.intp)
        point_idx, tree_idx = self._tree.query(points, predicate="within")
        _keep_smallest(best, point_idx, tree_idx)
        missed = np.flatnonzero(best == none)
        if missed.size:
            point_idx, tree_idx = self._tree.query(points[missed], predicate="intersects")
            _keep_smallest(best, missed[point_idx], tree_idx)
        result = np.full(n, None, dtype=object)
        found = best != none
        result[found] = self._codes[best[found]]
        return result


def _keep_smallest(best: np.ndarray, point_idx: np.ndarray, tree_idx: np.ndarray) -> None:
    # Plain assignment is fast; a point hit twice (overlapping grids) needs the minimum, which
    # np.minimum.at gives but slowly, so it is kept for the few repeated points.
    if point_idx.size == 0:
        return
    counts = np.bincount(point_idx, minlength=best.size)
    best[point_idx] = np.minimum(best[point_idx], tree_idx)
    if counts.max() > 1:
        repeated = counts[point_idx] > 1
        np.minimum.at(best, point_idx[repeated], tree_idx[repeated])


class PointIndex:
    """Nearest components to a point, in metres on a Gauss-Kruger projection.

    Ties (equal distances) go to the smallest id, so answers do not depend on insertion order.
    """

    def __init__(
        self,
        ids: Sequence[int] | np.ndarray,
        lons: Sequence[float] | np.ndarray,
        lats: Sequence[float] | np.ndarray,
        class_codes: Sequence[str] | np.ndarray,
        projection: MetricProjection | None = None,
    ):
        ids_a = np.asarray(ids, dtype=np.int64)
        lons_a = np.asarray(lons, dtype=np.float64)
        lats_a = np.asarray(lats, dtype=np.float64)
        classes = np.asarray(class_codes, dtype=object)
        if not ids_a.size == lons_a.size == lats_a.size == classes.size:
            raise ValueError("ids, lons, lats and class_codes must have the same length")
        if projection is None:
            if ids_a.size == 0:
                raise ValueError("an empty PointIndex needs an explicit projection")
            projection = MetricProjection.for_longitude(float(np.mean(lons_a)))
        self.projection = projection
        # Sorted by id, so the smallest tree index among equal distances is the smallest id.
        order = np.argsort(ids_a, kind="stable")
        self._ids = ids_a[order]
        x, y = projection.forward(lons_a[order], lats_a[order])
        self._x = np.asarray(x, dtype=np.float64)
        self._y = np.asarray(y, dtype=np.float64)
        class_names, class_index = np.unique(classes[order].astype(str), return_inverse=True)
        self._class_of = {str(code): i for i, code in enumerate(class_names)}
        self._class = class_index.astype(np.int32)
        self._tree = STRtree(shapely.points(self._x, self._y))

    def __len__(self) -> int:
        return int(self._ids.size)

    def _query_point(self, lon: float, lat: float) -> tuple[float, float, np.ndarray]:
        x, y = self.projection.forward(lon, lat)
        return x, y, _one_point(x, y)

    def _candidates(
        self, lon: float, lat: float, radius_m: float, class_code: str | None
    ) -> tuple[np.ndarray, np.ndarray]:
        # Every component within the radius (of the class), sorted by id, with its distance.
        x, y, point = self._query_point(lon, lat)
        found = self._tree.query(point, predicate="dwithin", distance=radius_m)[1]
        if class_code is not None:
            k = self._class_of.get(class_code)
            found = found[self._class[found] == k] if k is not None else found[:0]
        found = np.sort(found)
        dx, dy = self._x[found] - x, self._y[found] - y
        return found, np.sqrt(dx * dx + dy * dy)

    def nearest(
        self, lon: float, lat: float, max_distance_m: float, class_code: str | None = None
    ) -> tuple[int, float] | None:
        if not max_distance_m > 0:
            raise ValueError("max_distance_m must be positive")
        if class_code is None:
            _, _, point = self._query_point(lon, lat)
            found, distance = self._tree.query_nearest(point, max_distance=max_distance_m, return_distance=True)
            if distance.size == 0:
                return None
            # All returned hits are equidistant (all_matches): the smallest index is the smallest id.
            return int(self._ids[found[1].min()]), float(distance[0])
        found, distance = self._candidates(lon, lat, max_distance_m, class_code)
        if found.size == 0:
            return None
        i = int(np.argmin(distance))  # first of equal distances = smallest id, as `found` is sorted
        return int(self._ids[found[i]]), float(distance[i])

    def within(self, lon: float, lat: float, radius_m: float, class_code: str | None = None) -> list[tuple[int, float]]:
        if radius_m < 0:
            raise ValueError("radius_m must not be negative")
        found, distance = self._candidates(lon, lat, radius_m, class_code)
        order = np.argsort(distance, kind="stable")  # stable: equal distances stay in id order
        return [(int(i), float(d)) for i, d in zip(self._ids[found[order]], distance[order], strict=True)]
