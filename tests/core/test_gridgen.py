import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from urbangrid.core.coords import MetricProjection
from urbangrid.core.gridgen import GRID_NUMBER_CAPACITY, cut_grids, grid_number, split_region

PROJECTION = MetricProjection.for_longitude(113.65)
_x, _y = PROJECTION.forward(113.65, 34.75)
X0, Y0 = round(_x, -3), round(_y, -3)  # a lattice-aligned origin near 郑州 (multiples of 1 km)
CELL_AREA = 10_000.0


def wgs84(polygon_m):
    return PROJECTION.unproject(polygon_m)


def metric(polygons):
    return [PROJECTION.project(p) for p in polygons]


def blob(seed, radius=(500, 1100), vertices=40, dx=0.0, dy=0.0):
    """An irregular star-shaped polygon (metres) around the origin."""
    rng = np.random.default_rng(seed)
    angle = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    r = rng.uniform(*radius, vertices)
    return Polygon(np.c_[X0 + dx + r * np.cos(angle), Y0 + dy + r * np.sin(angle)])


def overlap_area(polygons):
    tree = shapely.STRtree(polygons)
    total = 0.0
    for i, j in zip(*tree.query(polygons, predicate="intersects"), strict=True):
        if i < j:
            total += polygons[i].intersection(polygons[j]).area
    return total


def assert_partition(pieces_m, area_m, tolerance=1e-6):
    union = shapely.union_all(pieces_m)
    assert union.symmetric_difference(area_m).area < tolerance * area_m.area
    assert sum(p.area for p in pieces_m) == pytest.approx(area_m.area, rel=tolerance)
    assert overlap_area(pieces_m) < 1e-9 * area_m.area


def lattice_cell(polygon_m, cell=100.0):
    point = polygon_m.representative_point()
    return int(np.floor(point.y / cell)), int(np.floor(point.x / cell))


def reading_keys(polygon_m, cell=100.0, slack=1e-6):
    """Possible (row from north, column) keys of a grid: a representative point lying on a lattice
    line may land on either side of it once the grid went to WGS84 and back."""
    point = polygon_m.representative_point()
    rows = {int(np.floor((point.y + d) / cell)) for d in (-slack, slack)}
    cols = {int(np.floor((point.x + d) / cell)) for d in (-slack, slack)}
    return sorted((-row, col) for row in rows for col in cols)


def in_reading_order(polygons_m):
    previous = (-(10**9), -(10**9))
    for polygon in polygons_m:
        fitting = [key for key in reading_keys(polygon) if key >= previous]
        if not fitting:
            return False
        previous = fitting[0]
    return True


# --- cut_grids --------------------------------------------------------------------------------


def test_a_square_kilometre_is_cut_into_100_grids_of_a_hectare():
    grids = cut_grids(wgs84(box(X0, Y0, X0 + 1000, Y0 + 1000)), PROJECTION)
    assert len(grids) == 100
    assert all(isinstance(g, Polygon) for g in grids)
    for area in (PROJECTION.area_m2(g) for g in grids):
        assert area == pytest.approx(CELL_AREA, rel=0.01)


def test_a_square_off_the_lattice_is_cut_along_the_lattice_and_slivers_merged():
    grids_m = metric(cut_grids(wgs84(box(X0 + 50, Y0 + 50, X0 + 1050, Y0 + 1050)), PROJECTION))
    # 9 × 9 whole cells inside, 4 × 9 half cells kept (0.5 ≥ 0.3), 4 corner quarters merged away.
    assert len(grids_m) == 81 + 36
    assert sorted(round(g.area) for g in grids_m)[:36] == [5000] * 32 + [7500] * 4
    assert min(g.area for g in grids_m) >= 0.3 * CELL_AREA
    assert_partition(grids_m, box(X0 + 50, Y0 + 50, X0 + 1050, Y0 + 1050))


def test_an_irregular_area_is_partitioned_without_gaps_or_overlaps():
    area_m = blob(seed=3)
    grids = cut_grids(wgs84(area_m), PROJECTION)
    grids_m = metric(grids)
    assert all(g.is_valid and isinstance(g, Polygon) for g in grids)
    assert_partition(grids_m, area_m)
    assert min(g.area for g in grids_m) >= 0.3 * CELL_AREA
    assert len(grids_m) == pytest.approx(area_m.area / CELL_AREA, rel=0.15)


def test_an_area_with_a_hole_and_a_notch_keeps_the_hole_empty():
    outer = box(X0, Y0, X0 + 800, Y0 + 600)
    lake = blob(seed=5, radius=(90, 160), vertices=12, dx=400, dy=300)
    notch = box(X0 + 130, Y0 - 10, X0 + 145, Y0 + 400)  # a 15 m wide canal cut into the area
    area_m = outer.difference(notch).difference(lake)
    assert isinstance(area_m, Polygon) and len(area_m.interiors) == 1
    grids_m = metric(cut_grids(wgs84(area_m), PROJECTION))
    assert_partition(grids_m, area_m)
    assert all(not g.intersection(lake).area > 1e-6 for g in grids_m)
    assert min(g.area for g in grids_m) >= 0.3 * CELL_AREA


def test_a_small_community_is_a_single_grid():
    small = box(X0 + 60, Y0 + 60, X0 + 150, Y0 + 90)  # 2,700 m² across two lattice cells
    grids_m = metric(cut_grids(wgs84(small), PROJECTION))
    assert len(grids_m) == 1
    assert grids_m[0].symmetric_difference(small).area < 1e-6


def test_each_island_of_a_small_area_is_its_own_grid():
    islands = MultiPolygon([box(X0 + 10, Y0 + 10, X0 + 40, Y0 + 40), box(X0 + 510, Y0 + 10, X0 + 540, Y0 + 40)])
    assert len(cut_grids(wgs84(islands), PROJECTION)) == 2


def test_grids_are_ordered_north_to_south_then_west_to_east():
    for seed in (11, 13, 14):
        grids_m = metric(cut_grids(wgs84(blob(seed=seed)), PROJECTION))
        assert in_reading_order(grids_m)
        assert not in_reading_order(grids_m[::-1])
    square = metric(cut_grids(wgs84(box(X0, Y0, X0 + 300, Y0 + 200)), PROJECTION))
    origin = (int(Y0 // 100), int(X0 // 100))
    cells = [(row - origin[0], col - origin[1]) for row, col in (lattice_cell(g) for g in square)]
    assert cells == [(1, 0), (1, 1), (1, 2), (0, 0), (0, 1), (0, 2)]


def test_neighbouring_communities_share_one_lattice():
    street = box(X0, Y0, X0 + 1000, Y0 + 1000)
    west = Polygon([(X0, Y0), (X0 + 430, Y0), (X0 + 570, Y0 + 1000), (X0, Y0 + 1000)])
    east = street.difference(west)
    grids_m = metric(cut_grids(wgs84(west), PROJECTION) + cut_grids(wgs84(east), PROJECTION))
    assert_partition(grids_m, street)
    # Away from the shared border every grid is a whole lattice cell.
    whole = [g for g in grids_m if abs(g.area - CELL_AREA) < 1e-3]
    assert len(whole) >= 80


def test_grids_can_be_larger_cells():
    grids = cut_grids(wgs84(box(X0, Y0, X0 + 1000, Y0 + 1000)), PROJECTION, cell_m=250.0)
    assert len(grids) == 16


# --- grid_number ------------------------------------------------------------------------------


def test_grid_numbers_count_in_decimal_up_to_999():
    assert grid_number(1) == "001"
    assert grid_number(42) == "042"
    assert grid_number(999) == "999"


def test_grid_numbers_go_on_in_base_36_with_a_letter_after_999():
    assert grid_number(1000) == "00A"
    assert grid_number(1001) == "00B"
    assert grid_number(1025) == "00Z"
    assert grid_number(1026) == "01A"
    assert grid_number(GRID_NUMBER_CAPACITY) == "ZZZ"


def test_grid_numbers_never_repeat_and_never_are_000():
    numbers = [grid_number(i) for i in range(1, GRID_NUMBER_CAPACITY + 1)]
    assert len(set(numbers)) == GRID_NUMBER_CAPACITY == 36**3 - 1
    assert "000" not in numbers
    assert all(len(n) == 3 and n.isalnum() and n.upper() == n for n in numbers)


@pytest.mark.parametrize("i", [0, -1, GRID_NUMBER_CAPACITY + 1])
def test_grid_numbers_past_the_capacity_are_refused(i):
    with pytest.raises(ValueError):
        grid_number(i)


# --- split_region -----------------------------------------------------------------------------


def test_a_district_splits_into_pieces_that_cover_it_without_overlaps():
    district_m = blob(seed=21, radius=(2000, 4000))
    pieces = split_region(wgs84(district_m), PROJECTION, 8, np.random.default_rng(1))
    assert len(pieces) == 8
    assert all(p.is_valid and p.geom_type in ("Polygon", "MultiPolygon") for p in pieces)
    assert_partition(metric(pieces), district_m)


def test_pieces_have_plausibly_even_sizes():
    district_m = blob(seed=22, radius=(2000, 4000))
    areas = [p.area for p in metric(split_region(wgs84(district_m), PROJECTION, 6, np.random.default_rng(2)))]
    assert max(areas) < 3 * min(areas)


def test_an_area_with_islands_is_split_into_valid_pieces_covering_every_island():
    mainland = blob(seed=23, radius=(1500, 2500))
    island = blob(seed=24, radius=(200, 300), vertices=12, dx=4000, dy=0)
    islet = box(X0 - 3500, Y0, X0 - 3450, Y0 + 50)
    area_m = MultiPolygon([mainland, island, islet])
    pieces = split_region(wgs84(area_m), PROJECTION, 5, np.random.default_rng(3))
    assert all(p.is_valid and p.geom_type in ("Polygon", "MultiPolygon") for p in pieces)
    assert_partition(metric(pieces), area_m)


def test_split_pieces_are_ordered_north_to_south_then_west_to_east():
    square = box(X0, Y0, X0 + 4000, Y0 + 4000)
    pieces = metric(split_region(wgs84(square), PROJECTION, 4, np.random.default_rng(5)))
    points = [p.representative_point() for p in pieces]
    band = 2000
    keys = [(int((Y0 + 4000 - p.y) // band), p.x) for p in points]
    assert keys == sorted(keys)


def test_split_is_reproducible_with_the_same_seed():
    area = wgs84(blob(seed=25, radius=(1000, 2000)))
    first = split_region(area, PROJECTION, 5, np.random.default_rng(9))
    second = split_region(area, PROJECTION, 5, np.random.default_rng(9))
    assert all(a.equals_exact(b, 0) for a, b in zip(first, second, strict=True))


def test_splitting_into_one_part_returns_the_area():
    area = wgs84(blob(seed=26))
    assert split_region(area, PROJECTION, 1, np.random.default_rng(0)) == [area]
    with pytest.raises(ValueError):
        split_region(area, PROJECTION, 0, np.random.default_rng(0))


def test_a_split_then_cut_area_gives_grids_that_cover_it():
    street_m = blob(seed=27, radius=(900, 1400))
    communities = split_region(wgs84(street_m), PROJECTION, 4, np.random.default_rng(4))
    grids_m = metric([g for c in communities for g in cut_grids(c, PROJECTION)])
    assert_partition(grids_m, street_m)
