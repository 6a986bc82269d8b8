import math

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from urbangrid.core.coords import MetricProjection
from urbangrid.core.geo import Location, Locator, Place, PointIndex

WEST, SOUTH, STEP = 113.600, 34.700, 0.001
COMMUNITY_A = "410102001001"
COMMUNITY_B = "410102001002"
NAMES = {
    "410102": "中原区",
    "410102001": "林山寨街道",
    COMMUNITY_A: "建设路社区",
    COMMUNITY_B: "桐柏路社区",
}


def lon_of(col):
    return WEST + col * STEP


def lat_of(row):
    return SOUTH + row * STEP


def cell(col, row):
    return box(lon_of(col), lat_of(row), lon_of(col + 1), lat_of(row + 1))


def three_by_three():
    """Grids of 0.001° in 3 columns × 3 rows; codes deliberately not in west→east order."""
    grids = []
    for row in range(3):
        for col in range(3):
            community = COMMUNITY_A if col < 2 else COMMUNITY_B
            sequence = 9 - (row * 3 + col)  # 009 in the south-west … 001 in the north-east
            grids.append((f"{community}{sequence:03d}", f"网格{sequence}", cell(col, row)))
    return grids


@pytest.fixture(scope="module")
def locator():
    return Locator(three_by_three(), NAMES)


def code_at(col, row, grids=None):
    for code, _, polygon in grids or three_by_three():
        if polygon.equals(cell(col, row)):
            return code
    raise LookupError


def test_a_point_inside_a_grid_locates_to_that_grid(locator):
    assert locator.locate_code(lon_of(0.5), lat_of(0.5)) == code_at(0, 0)
    assert locator.locate_code(lon_of(2.5), lat_of(1.5)) == code_at(2, 1)


def test_locate_gives_the_whole_hierarchy_with_names(locator):
    location = locator.locate(lon_of(2.5), lat_of(2.5))
    assert location == Location(
        district=Place("410102", "中原区"),
        street=Place("410102001", "林山寨街道"),
        community=Place(COMMUNITY_B, "桐柏路社区"),
        grid=Place(f"{COMMUNITY_B}001", "网格1"),
    )


def test_an_area_without_a_name_gets_an_empty_name():
    locator = Locator([("410103002003001", "", cell(0, 0))], {})
    location = locator.locate(lon_of(0.5), lat_of(0.5))
    assert location.street == Place("410103002", "")
    assert location.community.code == "410103002003"


def test_a_point_on_a_shared_edge_resolves_to_the_smaller_code(locator):
    # The edge between columns 0 and 1 of the middle row: codes …006 (west) and …005 (east).
    west, east = code_at(0, 1), code_at(1, 1)
    assert locator.locate_code(lon_of(1), lat_of(1.5)) == min(west, east) == east
    # The edge between rows 0 and 1 of column 2.
    assert locator.locate_code(lon_of(2.5), lat_of(1)) == min(code_at(2, 0), code_at(2, 1))


def test_a_point_on_a_vertex_shared_by_four_grids_resolves_to_the_smallest_code(locator):
    four = [code_at(c, r) for c in (1, 2) for r in (1, 2)]
    assert locator.locate_code(lon_of(2), lat_of(2)) == min(four)


def test_the_smallest_code_wins_across_communities(locator):
    # Column 1 belongs to community A (…001…), column 2 to B (…002…): A's grid is smaller.
    assert locator.locate_code(lon_of(2), lat_of(0.5)) == code_at(1, 0)


def test_a_point_on_the_outer_boundary_belongs_to_the_grid_there(locator):
    assert locator.locate_code(lon_of(0), lat_of(0.5)) == code_at(0, 0)


def test_a_point_in_no_grid_locates_to_none(locator):
    assert locator.locate_code(lon_of(5), lat_of(5)) is None
    assert locator.locate(lon_of(-0.5), lat_of(1)) is None


def test_a_point_in_a_hole_is_in_no_grid_unless_another_grid_fills_it():
    outer = box(lon_of(0), lat_of(0), lon_of(3), lat_of(3))
    holed = Polygon(outer.exterior.coords, [cell(1, 1).exterior.coords])
    with_hole = Locator([("410102001001001", "", holed)], NAMES)
    assert with_hole.locate_code(lon_of(1.5), lat_of(1.5)) is None
    assert with_hole.locate_code(lon_of(0.5), lat_of(0.5)) == "410102001001001"
    filled = Locator([("410102001001001", "", holed), ("410102001001002", "", cell(1, 1))], NAMES)
    assert filled.locate_code(lon_of(1.5), lat_of(1.5)) == "410102001001002"


def test_overlapping_grids_resolve_to_the_smaller_code():
    big = box(lon_of(0), lat_of(0), lon_of(2), lat_of(2))
    locator = Locator([("410102001001002", "", big), ("410102001001001", "", cell(1, 1))], NAMES)
    assert locator.locate_code(lon_of(1.5), lat_of(1.5)) == "410102001001001"
    assert locator.locate_code(lon_of(0.5), lat_of(0.5)) == "410102001001002"
    many = locator.locate_many(np.array([lon_of(1.5), lon_of(0.5)]), np.array([lat_of(1.5), lat_of(0.5)]))
    assert many.tolist() == ["410102001001001", "410102001001002"]


def test_duplicate_grid_codes_are_refused():
    with pytest.raises(ValueError, match="unique"):
        Locator([("410102001001001", "", cell(0, 0)), ("410102001001001", "", cell(1, 0))], NAMES)


def test_bulk_lookup_equals_single_lookups_on_random_points_and_edges(locator):
    rng = np.random.default_rng(7)
    n = 3000
    cols = rng.uniform(-0.5, 3.5, n)
    rows = rng.uniform(-0.5, 3.5, n)
    # A third snapped onto lattice lines, a tenth onto lattice vertices.
    on_line = rng.random(n) < 0.33
    cols[on_line] = np.round(cols[on_line])
    on_vertex = rng.random(n) < 0.1
    cols[on_vertex], rows[on_vertex] = np.round(cols[on_vertex]), np.round(rows[on_vertex])
    lons = np.array([lon_of(c) for c in cols.tolist()])
    lats = np.array([lat_of(r) for r in rows.tolist()])
    bulk = locator.locate_many(lons, lats)
    single = [locator.locate_code(lon, lat) for lon, lat in zip(lons.tolist(), lats.tolist(), strict=True)]
    assert bulk.dtype == object and bulk.shape == (n,)
    assert bulk.tolist() == single
    assert None in single and len({c for c in single if c}) == 9


def test_bulk_lookup_of_nothing_is_empty(locator):
    assert locator.locate_many(np.array([]), np.array([])).shape == (0,)


# --- PointIndex -------------------------------------------------------------------------------

PROJECTION = MetricProjection.for_longitude(113.65)
ORIGIN = PROJECTION.forward(113.65, 34.75)


def at(dx, dy):
    """lon, lat of the point dx, dy metres from the origin on the projection."""
    return PROJECTION.inverse(ORIGIN[0] + dx, ORIGIN[1] + dy)


def index_of(points):
    ids, offsets, classes = zip(*points, strict=True)
    lonlat = [at(*o) for o in offsets]
    return PointIndex(ids, [p[0] for p in lonlat], [p[1] for p in lonlat], classes, PROJECTION)


COMPONENTS = [
    (10, (5, 0), "01101"),  # 上水井盖, 5 m east
    (11, (0, 12), "01102"),  # 12 m north
    (12, (-20, 0), "01101"),  # 20 m west
    (13, (100, 100), "01101"),  # far
]


def test_nearest_returns_the_closest_component_and_its_distance():
    found = index_of(COMPONENTS).nearest(*at(0, 0), max_distance_m=30)
    assert found[0] == 10
    assert found[1] == pytest.approx(5, abs=1e-3)


def test_nearest_with_a_class_filter_skips_other_classes():
    index = index_of(COMPONENTS)
    found = index.nearest(*at(0, 0), max_distance_m=30, class_code="01102")
    assert found[0] == 11 and found[1] == pytest.approx(12, abs=1e-3)
    assert index.nearest(*at(4, 0), max_distance_m=30, class_code="01101")[0] == 10


def test_nothing_within_the_radius_gives_none():
    index = index_of(COMPONENTS)
    assert index.nearest(*at(0, 0), max_distance_m=4) is None
    assert index.nearest(*at(0, 0), max_distance_m=10, class_code="01102") is None
    assert index.nearest(*at(0, 0), max_distance_m=30, class_code="99999") is None


def test_equal_distances_go_to_the_smallest_id():
    # Two components surveyed at the same spot: exactly equal distances from anywhere.
    index = index_of([(8, (3, 0), "01101"), (4, (3, 0), "01101"), (6, (3, 0), "01102"), (2, (9, 0), "01101")])
    assert index.nearest(*at(0, 0), max_distance_m=10)[0] == 4
    assert index.nearest(*at(0, 0), max_distance_m=10, class_code="01101")[0] == 4
    assert [i for i, _ in index.within(*at(0, 0), radius_m=10)] == [4, 6, 8, 2]


def test_within_lists_components_by_distance():
    index = index_of(COMPONENTS)
    found = index.within(*at(0, 0), radius_m=25)
    assert [i for i, _ in found] == [10, 11, 12]
    assert [d for _, d in found] == pytest.approx([5, 12, 20], abs=1e-3)
    assert [i for i, _ in index.within(*at(0, 0), radius_m=25, class_code="01101")] == [10, 12]
    assert index.within(*at(0, 0), radius_m=1) == []


def test_distances_agree_with_pyproj_projected_distances_to_a_centimetre():
    rng = np.random.default_rng(3)
    n = 5000
    lons = rng.uniform(113.55, 113.75, n)
    lats = rng.uniform(34.70, 34.80, n)
    index = PointIndex(np.arange(n), lons, lats, ["01101"] * n)  # projection chosen from the data
    assert index.projection.epsg == 4547
    xs, ys = PROJECTION.forward(lons, lats)
    queries = zip(rng.uniform(113.56, 113.74, 200).tolist(), rng.uniform(34.71, 34.79, 200).tolist(), strict=True)
    for lon, lat in queries:
        x, y = PROJECTION.forward(lon, lat)
        distances = np.hypot(xs - x, ys - y)
        found = index.nearest(lon, lat, max_distance_m=500)
        expected = int(np.argmin(distances))
        assert found[0] == expected
        assert abs(found[1] - distances[expected]) < 0.01
        for i, d in index.within(lon, lat, radius_m=150):
            assert abs(d - distances[i]) < 0.01


def test_a_non_positive_search_distance_is_refused():
    with pytest.raises(ValueError):
        index_of(COMPONENTS).nearest(*at(0, 0), max_distance_m=0)


def test_the_metre_offsets_used_here_are_metres():
    lon, lat = at(30, 40)
    x, y = PROJECTION.forward(lon, lat)
    assert math.hypot(x - ORIGIN[0], y - ORIGIN[1]) == pytest.approx(50, abs=1e-6)
