"""Every kind of broken area file: the exact problem, with feature, code and place, and nothing written."""

import re
from io import StringIO

import pytest
import shapely
from django.core.management import CommandError, call_command
from shapely.geometry import box

from tests.factories import CELL, square
from tests.grid.files import COMMUNITY, NORTH, WEST, WHOLE, city_rows, write_csv, write_geojson, write_shapefile
from urbangrid.grid import versions
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db
GRID1, GRID2, GRID3, GRID4 = (f"{COMMUNITY}{n:03d}" for n in range(1, 5))


def rejected(path, *args) -> str:
    """Import `path`, expect a refusal that leaves the database as it was, and return the problems printed."""
    before = list(Area.objects.values_list("code", "updated_at"))
    version = versions.current("areas")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("grids", "import", str(path), *args, stdout=StringIO(), stderr=err)
    assert list(Area.objects.values_list("code", "updated_at")) == before
    assert versions.current("areas") == version
    return err.getvalue()


def unreadable(path, *args) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("grids", "import", str(path), *args, stdout=StringIO(), stderr=StringIO())
    assert not Area.objects.exists()
    return str(raised.value)


def place(line: str) -> shapely.Point:
    lon, lat = re.search(r"at (\d+\.\d+), (\d+\.\d+):", line).groups()
    return shapely.Point(float(lon), float(lat))


def line_about(err: str, code: str, text: str) -> str:
    lines = [line for line in err.splitlines() if f"(code {code})" in line and text in line]
    assert lines, err
    return lines[0]


def with_grid(n: int, **changes) -> list[dict]:
    rows = city_rows()
    rows[2 + n].update(changes)
    return rows


def test_it_rejects_a_ring_that_is_not_closed(tmp_path):
    open_ring = [list(p) for p in square(0, 0).exterior.coords[:-1]]
    rows = with_grid(1, geometry={"type": "Polygon", "coordinates": [open_ring]})
    err = rejected(write_geojson(tmp_path / "open.geojson", rows))
    line = line_about(err, GRID1, "ring 1 of polygon 1 is not closed")
    assert line.startswith(f"feature 4 (code {GRID1}) at {open_ring[0][0]:.6f}, {open_ring[0][1]:.6f}:")
    assert f"ends at ({open_ring[-1][0]}, {open_ring[-1][1]})" in line


def test_it_rejects_a_self_intersecting_bowtie_and_says_where_it_crosses(tmp_path):
    east, south = WEST + CELL, NORTH - CELL
    bowtie = [[WEST, NORTH], [east, south], [east, NORTH], [WEST, south], [WEST, NORTH]]
    err = rejected(write_geojson(tmp_path / "bowtie.geojson", with_grid(1, geometry={"type": "Polygon",
                                                                                         "coordinates": [bowtie]})))
    line = line_about(err, GRID1, "the boundary crosses itself")
    assert place(line).distance(square(0, 0).centroid) < 1e-6


def test_it_rejects_overlapping_grids_and_names_both(tmp_path):
    shifted = shapely.affinity.translate(square(1, 0), xoff=-CELL / 2)
    err = rejected(write_geojson(tmp_path / "overlap.geojson", with_grid(2, geometry=shifted)))
    first = line_about(err, GRID1, f"it overlaps {GRID2} by")
    second = line_about(err, GRID2, f"it overlaps {GRID1} by")
    assert int(re.search(r"by (\d+) m²", first)[1]) == pytest.approx(5078, rel=0.01)  # half a grid
    assert square(0, 0).intersection(shifted).contains(place(first))
    assert place(second) == place(first)


def test_it_reports_the_gap_grids_leave_in_their_community(tmp_path):
    rows = city_rows()[:-1]  # grid 004 is missing
    err = rejected(write_geojson(tmp_path / "gap.geojson", rows))
    line = line_about(err, COMMUNITY, "its unit grid areas leave")
    assert line.startswith(f"feature 3 (code {COMMUNITY}) at ")
    assert square(1, 1).contains(place(line))


def test_it_rejects_a_grid_outside_its_community(tmp_path):
    pushed = shapely.affinity.translate(square(1, 1), xoff=CELL / 2)
    err = rejected(write_geojson(tmp_path / "out.geojson", with_grid(4, geometry=pushed)))
    line = line_about(err, GRID4, f"beyond its parent {COMMUNITY}")
    assert line.startswith("feature 7 ")
    outside = place(line)
    assert pushed.contains(outside) and not WHOLE.contains(outside)


def test_it_rejects_a_bad_code_and_says_which_characters_are_wrong(tmp_path):
    err = rejected(write_geojson(tmp_path / "code.geojson", with_grid(2, code="41010500100A002")))
    assert ("feature 5 (code 41010500100A002): the code 41010500100A002 is not valid: "
            "characters 10–12 (community code) must be digits") in err


def test_it_rejects_a_code_that_contradicts_its_given_parent(tmp_path):
    rows = city_rows()
    for row in rows:
        row["parent"] = row["code"][: len(row["code"]) - 3] if len(row["code"]) > 6 else "410100"
    rows[4]["parent"] = "410105001002"
    err = rejected(write_geojson(tmp_path / "parent.geojson", rows), "--parent-field", "parent")
    assert f"feature 5 (code {GRID2}): the parent is given as 410105001002, but the code {GRID2} lies under " \
           f"{COMMUNITY}" in err


def test_it_rejects_a_grid_whose_community_does_not_exist(tmp_path):
    rows = [*city_rows(), {"code": "410105001002001", "name": "孤儿网格", "geometry": square(5, 5)}]
    err = rejected(write_geojson(tmp_path / "orphan.geojson", rows))
    assert ("feature 8 (code 410105001002001): its community 410105001002 is neither in the file nor in the "
            "database") in err


def test_it_rejects_a_level_that_contradicts_the_code(tmp_path):
    err = rejected(write_geojson(tmp_path / "level.geojson", with_grid(3, level="社区")))
    assert f"feature 6 (code {GRID3}): the level is 社区, but a code of 15 characters names a unit grid" in err


def test_it_rejects_duplicate_codes_in_one_file(tmp_path):
    err = rejected(write_geojson(tmp_path / "dup.geojson", with_grid(2, code=GRID1)))
    assert f"feature 4 (code {GRID1}): the code {GRID1} is used by several features: 4, 5" in err
    assert f"feature 5 (code {GRID1}): the code {GRID1} is used by several features: 4, 5" in err


def test_it_rejects_a_geometry_that_is_not_a_polygon(tmp_path):
    err = rejected(write_geojson(tmp_path / "point.geojson", with_grid(3, geometry={"type": "Point",
                                                                                       "coordinates": [1, 2]})))
    assert f"feature 6 (code {GRID3}): the geometry is a Point, not a Polygon or MultiPolygon" in err


def test_it_rejects_a_feature_without_geometry(tmp_path):
    err = rejected(write_geojson(tmp_path / "null.geojson", with_grid(3, geometry=None)))
    assert f"feature 6 (code {GRID3}): the feature has no geometry" in err


def test_it_rejects_projected_coordinates_given_as_degrees(tmp_path):
    metres = box(500_000, 3_800_000, 500_100, 3_800_100)
    err = rejected(write_geojson(tmp_path / "metres.geojson", with_grid(1, geometry=metres)))
    assert "are not longitude and latitude in degrees" in line_about(err, GRID1, "degrees")


def test_it_rejects_a_csv_row_with_unreadable_wkt(tmp_path):
    path = write_csv(tmp_path / "city.csv", city_rows())
    lines = path.read_text("utf-8").splitlines()
    lines[5] = lines[5].replace("POLYGON ((", "POLYGON ((x ")
    path.write_text("\n".join(lines), "utf-8")
    err = rejected(path)
    assert f"feature 5 (code {GRID2}): the geometry cannot be read: invalid WKT" in err


def test_it_names_every_problem_of_a_file_not_only_the_first(tmp_path):
    rows = with_grid(1, code="4101050010010001")
    rows[5]["geometry"] = None
    err = rejected(write_geojson(tmp_path / "many.geojson", rows))
    assert "feature 4 " in err and "feature 6 " in err


def test_invalid_json_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [}', "utf-8")
    assert "is not valid JSON: Expecting value (line 1, column 44)" in unreadable(path)


def test_json_that_is_not_a_feature_collection_is_a_clear_error(tmp_path):
    path = tmp_path / "point.geojson"
    path.write_text('{"type": "Point", "coordinates": [1, 2]}', "utf-8")
    assert "is JSON but not a GeoJSON FeatureCollection" in unreadable(path)


def test_an_empty_feature_collection_is_a_clear_error(tmp_path):
    assert "holds no features" in unreadable(write_geojson(tmp_path / "empty.geojson", []))


def test_a_missing_file_is_a_clear_error(tmp_path):
    assert f"The file {tmp_path / 'nowhere.geojson'} does not exist." in unreadable(tmp_path / "nowhere.geojson")


def test_an_unknown_file_type_asks_for_the_format(tmp_path):
    path = tmp_path / "city.txt"
    path.write_text("x", "utf-8")
    assert "give --format" in unreadable(path)


def test_a_shapefile_without_its_dbf_is_a_clear_error(tmp_path):
    path = write_shapefile(tmp_path / "city", city_rows())
    path.with_suffix(".dbf").unlink()
    assert "has no .dbf file beside it" in unreadable(path)


def test_a_damaged_shapefile_is_a_clear_error(tmp_path):
    path = write_shapefile(tmp_path / "city", city_rows())
    path.write_bytes(path.read_bytes()[:150])
    assert "cannot be read" in unreadable(path)
