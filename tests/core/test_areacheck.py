import numpy as np
import pytest
import shapely
from shapely.geometry import box, mapping

from urbangrid.core.areacheck import Feature, Tolerance, accepted, check_areas, level_of, render
from urbangrid.core.coords import MetricProjection, from_wgs84

WEST, NORTH, STEP = 113.66, 34.77, 0.001
DISTRICT, STREET, COMMUNITY = "410105", "410105001", "410105001001"
PROJECTION = MetricProjection.for_longitude(WEST)


def cell(col: float, row: float, size: float = STEP):
    west, north = WEST + col * STEP, NORTH - row * STEP
    return box(west, north - size, west + size, north)


WHOLE = box(WEST, NORTH - 2 * STEP, WEST + 2 * STEP, NORTH)


def grids(**replaced) -> list[Feature]:
    """The community's four grids as features 1–4 (001 002 north, 003 004 south)."""
    shapes = {1: cell(0, 0), 2: cell(1, 0), 3: cell(0, 1), 4: cell(1, 1)}
    features = []
    for n, shape in shapes.items():
        geometry = replaced.get(f"g{n}", shape)
        features.append(Feature(n, f"{COMMUNITY}{n:03d}", f"第{n}网格", geometry=geometry))
    return features


def hierarchy() -> list[Feature]:
    top = [Feature(1, DISTRICT, "金水区", geometry=mapping(WHOLE)), Feature(2, STREET, "经八路街道", geometry=WHOLE),
           Feature(3, COMMUNITY, "省委社区", geometry=WHOLE)]
    return top + [Feature(f.number + 3, f.code, f.name, geometry=f.geometry) for f in grids()]


def messages(checked) -> list[tuple]:
    return [(p.number, p.code, render(p)) for p in checked.problems]


def metres(geom):
    return PROJECTION.unproject(geom)


def test_a_clean_hierarchy_has_no_problems_and_areas_in_square_metres():
    checked = check_areas(hierarchy(), {})
    assert checked.problems == []
    assert [a.level for a in checked.areas] == ["district", "street", "community"] + ["grid"] * 4
    assert checked.areas[3].area_m2 == pytest.approx(PROJECTION.area_m2(cell(0, 0)))
    assert checked.areas[3].parent == COMMUNITY


def test_grids_are_checked_against_a_community_in_the_database():
    assert check_areas(grids(), {COMMUNITY: WHOLE}).problems == []


def test_a_grid_whose_community_is_nowhere_is_a_problem():
    checked = check_areas(grids(), {})
    assert messages(checked)[0] == (1, f"{COMMUNITY}001", f"its community {COMMUNITY} is neither in the file nor "
                                                          "in the database")


def test_a_tiny_overlap_within_the_tolerance_is_accepted():
    # 1e-8° ≈ 1 mm of overlap along a 111 m edge: about 0.1 m², under the 10 m² allowed for a 10,000 m² grid.
    nudged = box(WEST + STEP - 1e-8, NORTH - STEP, WEST + 2 * STEP, NORTH)
    assert check_areas(grids(g2=nudged), {COMMUNITY: WHOLE.union(nudged)}).problems == []


def test_an_overlap_beyond_the_tolerance_is_reported_on_both_grids_with_its_size():
    wider = box(WEST + STEP - 0.0001, NORTH - STEP, WEST + 2 * STEP, NORTH)  # 9 m × 111 m over grid 001
    checked = check_areas(grids(g2=wider), {COMMUNITY: WHOLE})
    found = [(p.number, render(p)) for p in checked.problems]
    assert found == [(1, f"it overlaps {COMMUNITY}002 by 1016 m²"), (2, f"it overlaps {COMMUNITY}001 by 1016 m²")]
    assert cell(0, 0).intersection(wider).contains(shapely.Point(checked.problems[0].lon, checked.problems[0].lat))


def test_an_overlap_with_a_grid_already_in_the_database_is_the_files_problem():
    existing = {COMMUNITY: WHOLE, f"{COMMUNITY}001": cell(0, 0)}
    checked = check_areas([Feature(1, f"{COMMUNITY}002", "新", geometry=cell(0.5, 0))], existing)
    assert [(p.number, render(p)) for p in checked.problems if "overlaps" in p.message] == [
        (1, f"it overlaps {COMMUNITY}001 by 5078 m²")
    ]


def test_a_grid_may_reach_out_of_its_community_by_the_tolerance_only():
    tolerance = Tolerance(m2=1.0, fraction=0.001)
    grid = PROJECTION.project(cell(1, 1))
    slightly = metres(shapely.affinity.translate(grid, xoff=0.05))  # 0.05 m × 111 m ≈ 5.6 m² outside
    assert not [p for p in check_areas(grids(g4=slightly), {COMMUNITY: WHOLE}, tolerance=tolerance).problems
                if "beyond" in p.message]
    clearly = metres(shapely.affinity.translate(grid, xoff=1.0))  # 111 m² outside
    problems = check_areas(grids(g4=clearly), {COMMUNITY: WHOLE}, tolerance=tolerance).problems
    beyond = [render(p) for p in problems if "beyond" in p.message]
    assert beyond == [f"it reaches 111 m² beyond its parent {COMMUNITY}"]


def test_tolerance_is_the_larger_of_the_fixed_and_the_relative_allowance():
    assert Tolerance(m2=1.0, fraction=0.001).of(100.0) == 1.0
    assert Tolerance(m2=1.0, fraction=0.001).of(10_000.0) == 10.0


def test_a_gap_among_grids_is_reported_on_the_community_where_it_is():
    features = [f for f in hierarchy() if f.code != f"{COMMUNITY}004"]
    checked = check_areas(features, {})
    gap = [p for p in checked.problems if "uncovered" in p.message]
    assert len(gap) == 1 and gap[0].number == 3 and gap[0].code == COMMUNITY and not gap[0].rejects
    assert cell(1, 1).contains(shapely.Point(gap[0].lon, gap[0].lat))
    assert render(gap[0]).startswith("its unit grid areas leave 101")


def test_communities_of_a_street_are_only_checked_for_gaps_when_the_street_comes_with_them():
    half = box(WEST, NORTH - 2 * STEP, WEST + STEP, NORTH)
    one_community = [Feature(1, COMMUNITY, "省委社区", geometry=half)]
    assert check_areas(one_community, {STREET: WHOLE}).problems == []
    with_street = [Feature(1, STREET, "经八路街道", geometry=WHOLE), Feature(2, COMMUNITY, "省委社区", geometry=half)]
    problems = check_areas(with_street, {DISTRICT: WHOLE}).problems
    assert [(p.code, "uncovered" in p.message) for p in problems] == [(STREET, True)]


def test_an_open_ring_is_reported_where_it_starts():
    ring = [[WEST, NORTH], [WEST + STEP, NORTH], [WEST + STEP, NORTH - STEP], [WEST, NORTH - STEP]]
    problem = check_areas(grids(g1={"type": "Polygon", "coordinates": [ring]}), {COMMUNITY: WHOLE}).problems[0]
    assert (problem.number, problem.lon, problem.lat) == (1, WEST, NORTH)
    assert render(problem) == (f"ring 1 of polygon 1 is not closed: it starts at ({WEST}, {NORTH}) "
                               f"and ends at ({WEST}, {NORTH - STEP})")


def test_a_ring_in_a_later_polygon_of_a_multipolygon_is_named():
    good = mapping(cell(0, 0))["coordinates"]
    short = [[[WEST, NORTH], [WEST + STEP, NORTH], [WEST, NORTH]]]
    problem = check_areas(grids(g1={"type": "MultiPolygon", "coordinates": [good, short]}), {}).problems[0]
    assert render(problem) == "ring 1 of polygon 2 has 3 points; a closed ring needs at least 4"


def test_a_point_that_is_not_two_numbers_is_reported():
    ring = [[WEST, NORTH], ["113.661", NORTH], [WEST + STEP, NORTH - STEP], [WEST, NORTH]]
    problem = check_areas(grids(g1={"type": "Polygon", "coordinates": [ring]}), {}).problems[0]
    assert render(problem) == "ring 1 of polygon 1 holds ['113.661', 34.77], which is not an x, y point"


def test_a_bowtie_is_reported_where_it_crosses_itself():
    bowtie = shapely.Polygon([(WEST, NORTH), (WEST + STEP, NORTH - STEP), (WEST + STEP, NORTH), (WEST, NORTH - STEP)])
    problem = check_areas(grids(g1=bowtie), {COMMUNITY: WHOLE}).problems[0]
    assert render(problem) == "the boundary crosses itself"
    assert (problem.lon, problem.lat) == pytest.approx((WEST + STEP / 2, NORTH - STEP / 2))


def test_a_hole_outside_its_shell_is_explained():
    holed = shapely.Polygon(cell(0, 0).exterior.coords, [cell(5, 5).exterior.coords])
    problem = check_areas(grids(g1=holed), {COMMUNITY: WHOLE}).problems[0]
    assert render(problem) == "a hole lies outside the outer boundary"


def test_codes_levels_and_parents_are_checked():
    features = [
        Feature(1, "4101050010010A1", "甲", geometry=cell(0, 0)),  # letters are allowed in the grid sequence
        Feature(2, "41010500100", "乙", geometry=cell(1, 0)),
        Feature(3, f"{COMMUNITY}003", "丙", level="街道", geometry=cell(0, 1)),
        Feature(4, f"{COMMUNITY}004", "", parent="410105001002", geometry=cell(1, 1)),
        Feature(5, "", "戊", geometry=cell(1, 1)),
    ]
    found = [m for m in messages(check_areas(features, {COMMUNITY: WHOLE})) if m[0] is not None]  # not the gap
    assert found == [
        (2, "41010500100",
         "the code 41010500100 is not valid: must have one of these lengths: 6, 9, 12, 14, 15; got 11 characters"),
        (3, f"{COMMUNITY}003", "the level is 街道, but a code of 15 characters names a unit grid"),
        (4, f"{COMMUNITY}004", f"the parent is given as 410105001002, but the code {COMMUNITY}004 lies under "
                               f"{COMMUNITY}"),
        (4, f"{COMMUNITY}004", "the name is missing"),
        (5, "", "the code is missing"),
    ]


def test_a_legacy_14_digit_grid_code_is_widened():
    checked = check_areas([Feature(1, "41010500100101", "旧", geometry=WHOLE)], {COMMUNITY: WHOLE})
    assert (checked.problems, checked.areas[0].code) == ([], f"{COMMUNITY}001")


def test_every_copy_of_a_duplicated_code_is_rejected():
    features = grids()
    features[1].code = features[0].code
    checked = check_areas(features, {COMMUNITY: WHOLE})
    duplicates = [p for p in checked.problems if "several" in p.message]
    assert [p.number for p in duplicates] == [1, 2]
    assert render(duplicates[0]) == f"the code {COMMUNITY}001 is used by several features: 1, 2"


def test_geometry_in_gcj02_is_converted_to_wgs84_before_the_checks():
    shifted = shapely.transform(WHOLE, lambda xy: np.column_stack(from_wgs84(xy[:, 0], xy[:, 1], "gcj02")))
    checked = check_areas([Feature(1, COMMUNITY, "省委社区", geometry=mapping(shifted))], {STREET: WHOLE}, crs="gcj02")
    assert checked.problems == []
    assert checked.areas[0].geometry.equals_exact(WHOLE, 1e-8)


def test_coordinates_in_metres_are_reported_as_not_degrees():
    problem = check_areas([Feature(1, COMMUNITY, "社区", geometry=box(500000, 3800000, 500100, 3800100))], {}).problems
    assert "are not longitude and latitude in degrees" in render(problem[0])


def test_an_area_outside_china_is_reported():
    problems = check_areas([Feature(1, COMMUNITY, "社区", geometry=box(2.35, 48.85, 2.36, 48.86))], {STREET: WHOLE})
    assert render(problems.problems[0]) == "the area lies outside China, around (2.3550, 48.8550)"


def test_a_lenient_import_takes_parents_first_and_drops_the_children_of_rejected_parents():
    features = hierarchy()
    features[2].geometry = {"type": "Point", "coordinates": [WEST, NORTH]}  # the community
    checked = check_areas(features, {})
    taken, orphans = accepted(checked, set())
    assert [a.code for a in taken] == [DISTRICT, STREET]
    assert (orphans[0].number, render(orphans[0])) == (4, f"skipped because its parent {COMMUNITY} is not imported")


def test_render_translates_the_message_the_nested_reason_and_the_level():
    checked = check_areas([Feature(1, "41010500100", "乙", geometry=WHOLE),
                           Feature(2, f"{COMMUNITY}001", "甲", geometry=WHOLE)], {})
    catalogue = {"the code {code} is not valid: {reason}": "编码{code}无效：{reason}",
                 "must have one of these lengths: {lengths}; got {actual} characters":
                     "长度应为{lengths}位之一，实为{actual}位",
                 "its {parent_level} {parent} is neither in the file nor in the database":
                     "{parent_level}{parent}不存在",
                 "community": "社区"}
    rendered = [render(p, lambda m: catalogue.get(m, m)) for p in checked.problems]
    assert rendered == ["编码41010500100无效：长度应为6, 9, 12, 14, 15位之一，实为11位", f"社区{COMMUNITY}不存在"]


@pytest.mark.parametrize(("written", "level"), [("社区", "community"), (" Grid ", "grid"), ("街道", "street"),
                                                 ("区县", "district"), ("town", None)])
def test_levels_may_be_written_in_chinese(written, level):
    assert level_of(written) == level


def test_a_lenient_import_does_not_hang_children_on_an_older_stored_version_of_a_rejected_parent():
    features = hierarchy()[2:]  # the community and its grids
    features[0].geometry = {"type": "Point", "coordinates": [WEST, NORTH]}
    checked = check_areas(features, {STREET: WHOLE, COMMUNITY: WHOLE})
    taken, orphans = accepted(checked, {STREET, COMMUNITY})
    assert taken == [] and len(orphans) == 4
