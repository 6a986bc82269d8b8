"""Spatial lookups on a city-sized data set, against the raw shapely STRtree calls they wrap.

Data, made here from a fixed seed: a ~1,000 km² city near 郑州 split into 4 districts, ~40 streets and
~1,000 communities, cut into ~100,000 unit grids by urbangrid.core.gridgen; 2,000,000 components
scattered over it. Query points are random points inside the city.
"""

import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import Polygon

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Goal, compare, report

from urbangrid.core.coords import MetricProjection
from urbangrid.core.geo import Locator, PointIndex
from urbangrid.core.gridgen import cut_grids, grid_number, split_region

SEED = 20240601
CENTRE = (113.65, 34.75)
CITY_RADIUS_M = (15_500, 19_500)  # ragged outline, ~1,000 km²
DISTRICTS = ("410102", "410103", "410104", "410105")
STREETS_PER_DISTRICT = 10
COMMUNITIES_PER_STREET = 25
COMPONENTS = 2_000_000
CLASS_CODES = [f"{large:02d}{small:03d}" for large in range(1, 7) for small in range(1, 21)]

SINGLE_QUERIES = 20_000
BULK_POINTS = 1_000_000
NEAREST_QUERIES = 20_000
NEAREST_M = 30.0
TARGET = 1.5


def log(message: str, since: float) -> None:
    print(f"  [{time.perf_counter() - since:6.1f} s] {message}", flush=True)


def city_outline(projection: MetricProjection, rng: np.random.Generator) -> Polygon:
    x0, y0 = projection.forward(*CENTRE)
    angle = np.linspace(0, 2 * np.pi, 96, endpoint=False)
    # Smooth radial noise: a plausible administrative outline rather than a circle.
    knots = rng.uniform(*CITY_RADIUS_M, 12)
    radius = np.interp(angle, np.linspace(0, 2 * np.pi, 13), np.r_[knots, knots[0]])
    radius += rng.normal(0, 150, angle.size)
    return projection.unproject(Polygon(np.c_[x0 + radius * np.cos(angle), y0 + radius * np.sin(angle)]))


def make_grids(projection: MetricProjection, rng: np.random.Generator):
    city = city_outline(projection, rng)
    grids: list[tuple[str, str, Polygon]] = []
    names: dict[str, str] = {}
    for district_code, district in zip(DISTRICTS, split_region(city, projection, len(DISTRICTS), rng), strict=True):
        names[district_code] = f"区{district_code}"
        for s, street in enumerate(split_region(district, projection, STREETS_PER_DISTRICT, rng), start=1):
            street_code = f"{district_code}{s:03d}"
            names[street_code] = f"街道{street_code}"
            for c, community in enumerate(split_region(street, projection, COMMUNITIES_PER_STREET, rng), start=1):
                community_code = f"{street_code}{c:03d}"
                names[community_code] = f"社区{community_code}"
                for g, grid in enumerate(cut_grids(community, projection), start=1):
                    grids.append((f"{community_code}{grid_number(g)}", f"网格{g}", grid))
    return city, grids, names


def points_inside(area: Polygon, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    min_x, min_y, max_x, max_y = area.bounds
    shapely.prepare(area)
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    while sum(map(len, lons)) < n:
        lon = rng.uniform(min_x, max_x, n)
        lat = rng.uniform(min_y, max_y, n)
        inside = shapely.contains_xy(area, lon, lat)
        lons.append(lon[inside])
        lats.append(lat[inside])
    return np.concatenate(lons)[:n], np.concatenate(lats)[:n]


def bench_locate(city, grids, names, rng, since) -> list[Goal]:
    locator = Locator(grids, names)
    tree = STRtree([polygon for _, _, polygon in grids])  # the raw baseline, same geometries
    log(f"Locator and baseline STRtree over {len(grids):,} grids", since)

    lons, lats = points_inside(city, SINGLE_QUERIES, rng)
    pairs = list(zip(lons.tolist(), lats.tolist(), strict=True))
    points = list(shapely.points(lons, lats))  # the baseline gets its Points made for free

    def ours_single():
        for lon, lat in pairs:
            locator.locate(lon, lat)

    def raw_single():
        for point in points:
            tree.query(point, predicate="within")

    ours_s, raw_s = compare(ours_single, raw_single, batches=7)
    log("single-point locate", since)

    bulk_lons, bulk_lats = points_inside(city, BULK_POINTS, rng)
    bulk_points = shapely.points(bulk_lons, bulk_lats)
    codes = locator.locate_many(bulk_lons, bulk_lats)
    hits = tree.query(bulk_points, predicate="within")
    _check_bulk(codes, hits, [code for code, _, _ in grids])
    ours_b, raw_b = compare(
        lambda: locator.locate_many(bulk_lons, bulk_lats),
        lambda: tree.query(bulk_points, predicate="within"),
        batches=3,
    )
    log("bulk locate", since)
    return [
        Goal(
            "locate: single point → grid + hierarchy",
            ours_s / SINGLE_QUERIES * 1e6,
            raw_s / SINGLE_QUERIES * 1e6,
            "µs/point",
            TARGET,
        ),
        Goal(f"locate: bulk {BULK_POINTS:,} points", ours_b, raw_b, "s", TARGET),
    ]


def _check_bulk(codes: np.ndarray, hits: np.ndarray, grid_codes: list[str]) -> None:
    # Points strictly inside one grid must agree with the raw query; the rest are boundary cases.
    point_idx, tree_idx = hits
    counts = np.bincount(point_idx, minlength=codes.size)
    single = counts[point_idx] == 1
    expected = np.array(grid_codes, dtype=object)[tree_idx[single]]
    if not np.array_equal(codes[point_idx[single]], expected):
        raise AssertionError("Locator.locate_many disagrees with the raw STRtree query")
    missing = np.count_nonzero(counts == 0)
    print(f"  {codes.size - missing:,} of {codes.size:,} points within a grid, {missing:,} on a border")


def bench_nearest(city, projection, rng, since) -> list[Goal]:
    lons, lats = points_inside(city, COMPONENTS, rng)
    classes = np.array(CLASS_CODES, dtype=object)[rng.integers(len(CLASS_CODES), size=COMPONENTS)]
    index = PointIndex(np.arange(1, COMPONENTS + 1), lons, lats, classes, projection)
    x, y = projection.forward(lons, lats)
    tree = STRtree(shapely.points(x, y))  # the raw baseline, same projected points
    log(f"PointIndex and baseline STRtree over {COMPONENTS:,} components", since)

    q_lons, q_lats = points_inside(city, NEAREST_QUERIES, rng)
    pairs = list(zip(q_lons.tolist(), q_lats.tolist(), strict=True))
    projected = list(shapely.points(*projection.forward(q_lons, q_lats)))  # made for free, as above

    def ours():
        for lon, lat in pairs:
            index.nearest(lon, lat, NEAREST_M)

    def raw():
        for point in projected:
            tree.query_nearest(point, max_distance=NEAREST_M)

    found = sum(index.nearest(lon, lat, NEAREST_M) is not None for lon, lat in pairs[:2000])
    print(f"  {found / 20:.1f} % of queries have a component within {NEAREST_M:g} m")
    ours_s, raw_s = compare(ours, raw, batches=7)
    log("nearest component", since)
    return [
        Goal(
            f"nearest component within {NEAREST_M:g} m among {COMPONENTS:,}",
            ours_s / NEAREST_QUERIES * 1e6,
            raw_s / NEAREST_QUERIES * 1e6,
            "µs/query",
            TARGET,
        ),
    ]


def main() -> list[Goal]:
    since = time.perf_counter()
    print("bench_geo: spatial lookups")
    rng = np.random.default_rng(SEED)
    projection = MetricProjection.for_longitude(CENTRE[0])
    city, grids, names = make_grids(projection, rng)
    log(f"{len(grids):,} grids in {len(names):,} areas, {projection.area_m2(city) / 1e6:,.0f} km²", since)
    rows = bench_locate(city, grids, names, rng, since)
    del grids, names
    rows += bench_nearest(city, projection, rng, since)
    report(rows)
    return rows


if __name__ == "__main__":
    sys.exit(0 if all(row.passed for row in main()) else 1)
