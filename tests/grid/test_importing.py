import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import square
from tests.grid.files import COMMUNITY, city_rows, write_csv, write_geojson, write_shapefile
from urbangrid.core import coords
from urbangrid.grid import versions
from urbangrid.grid.areafiles import FieldNames
from urbangrid.grid.importing import ImportOptions, import_areas
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db
ZHENGZHOU = Path("/work/shared/data/zhengzhou-districts.geojson")


def grids(path, *args):
    out, err = StringIO(), StringIO()
    call_command("grids", "import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_good_geojson_file_with_the_whole_hierarchy(tmp_path):
    before = versions.current("areas")
    out, err = grids(write_geojson(tmp_path / "city.geojson", city_rows()))
    assert "7 features: 7 created, 0 updated, 0 unchanged, 0 skipped." in out
    assert err == ""
    grid = Area.objects.get(code=f"{COMMUNITY}002")
    assert (grid.level, grid.name, grid.parent.code) == ("grid", "第2网格", COMMUNITY)
    assert grid.parent.parent.code == "410105001"
    assert 9_000 < grid.area_m2 < 11_000  # 0.001° × 0.001° at 34.77°N ≈ 91 m × 111 m
    assert grid.source == "city.geojson"
    assert versions.current("areas") == before + 1


def test_it_imports_a_shapefile_in_gbk_without_a_cpg_file(tmp_path):
    path = write_shapefile(tmp_path / "city", city_rows(), encoding="gbk")
    out, _ = grids(path)
    assert "7 created" in out
    assert Area.objects.get(code="410105").name == "金水区"


def test_it_reads_the_encoding_of_a_shapefile_from_its_cpg_file(tmp_path):
    path = write_shapefile(tmp_path / "city", city_rows(), encoding="utf-8", cpg="UTF-8")
    grids(path)
    assert Area.objects.get(code="410105001").name == "经八路街道"


def test_it_imports_a_csv_file_with_a_wkt_column(tmp_path):
    out, _ = grids(write_csv(tmp_path / "city.csv", city_rows()))
    assert "7 created" in out
    assert Area.objects.get(code=f"{COMMUNITY}004").shape.equals_exact(square(1, 1), 1e-12)


def test_it_imports_the_shipped_zhengzhou_districts_shifted_from_gcj02_to_wgs84():
    out, _ = grids(ZHENGZHOU, "--crs", "gcj02", "--code-field", "adcode", "--parent-field", "parent_adcode")
    assert "12 features: 12 created" in out
    raw = json.loads(ZHENGZHOU.read_text("utf-8"))
    jinshui = next(f for f in raw["features"] if f["properties"]["adcode"] == "410105")
    gcj_lon, gcj_lat = jinshui["geometry"]["coordinates"][0][0][0]
    stored = Area.objects.get(code="410105")
    first = stored.shape.geoms[0].exterior.coords[0]
    assert first == pytest.approx(coords.to_wgs84(gcj_lon, gcj_lat, "gcj02"), abs=1e-9)
    assert abs(first[0] - gcj_lon) > 0.002  # the GCJ-02 offset in Zhengzhou is several hundred metres
    assert (stored.name, stored.level, stored.parent) == ("金水区", "district", None)
    assert 230e6 < stored.area_m2 < 250e6


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    path = write_geojson(tmp_path / "city.geojson", city_rows())
    grids(path)
    version = versions.current("areas")
    out, _ = grids(path)
    assert "0 created, 0 updated, 7 unchanged" in out
    assert versions.current("areas") == version


def test_a_changed_name_updates_the_area_with_that_code(tmp_path):
    grids(write_geojson(tmp_path / "a.geojson", city_rows()))
    rows = city_rows()
    rows[3]["name"] = "新第1网格"
    out, _ = grids(write_geojson(tmp_path / "b.geojson", rows))
    assert "0 created, 1 updated, 6 unchanged" in out
    assert Area.objects.get(code=f"{COMMUNITY}001").name == "新第1网格"
    assert Area.objects.count() == 7


def test_valid_from_sets_the_first_day(tmp_path):
    grids(write_geojson(tmp_path / "city.geojson", city_rows()), "--valid-from", "2026-01-01")
    assert set(Area.objects.values_list("valid_from", flat=True)) == {datetime.date(2026, 1, 1)}


def test_grids_can_be_added_under_a_community_already_in_the_database(tmp_path, small_city):
    Area.objects.filter(level="grid").delete()
    out, _ = grids(write_geojson(tmp_path / "grids.geojson", city_rows()[3:]))
    assert "4 created" in out
    assert Area.objects.get(code=f"{COMMUNITY}003").parent == small_city["community"]


def test_a_dry_run_counts_but_writes_nothing(tmp_path):
    out, _ = grids(write_geojson(tmp_path / "city.geojson", city_rows()), "--dry-run")
    assert "7 created" in out and "Dry run" in out
    assert not Area.objects.exists()
    assert versions.current("areas") == 0


def test_a_lenient_import_writes_the_good_features_and_lists_the_skipped_ones(tmp_path):
    rows = city_rows()
    rows[4]["geometry"] = {"type": "Point", "coordinates": [113.66, 34.77]}
    out, err = grids(write_geojson(tmp_path / "city.geojson", rows), "--no-strict")
    assert "feature 5 (code 410105001001002): the geometry is a Point, not a Polygon or MultiPolygon" in err
    assert "Skipped features: 5" in err
    assert "6 created" in out and "1 skipped" in out
    assert not Area.objects.filter(code=f"{COMMUNITY}002").exists()
    assert "leave" in err  # the hole grid 002 leaves in its community is reported, not hidden


def test_a_lenient_import_skips_the_children_of_a_skipped_parent(tmp_path):
    rows = city_rows()
    rows[2]["geometry"] = {"type": "LineString", "coordinates": [[113.66, 34.77], [113.662, 34.768]]}
    out, err = grids(write_geojson(tmp_path / "city.geojson", rows), "--no-strict")
    assert "2 created" in out
    assert "skipped because its parent 410105001001 is not imported" in err
    assert set(Area.objects.values_list("code", flat=True)) == {"410105", "410105001"}


def test_import_can_be_called_from_python_with_other_field_names(tmp_path):
    rows = [{"adcode": r["code"], "mc": r["name"], "geometry": r["geometry"]} for r in city_rows()]
    options = ImportOptions(fields=FieldNames(code="adcode", name="mc"), level=None)
    report = import_areas(write_geojson(tmp_path / "city.geojson", rows), options)
    assert (report.created, report.problems, report.skipped) == (7, [], [])


def test_the_command_exits_with_code_1_and_no_traceback_on_a_broken_file(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    env = {**os.environ, "URBANGRID_VAR_DIR": str(tmp_path), "LANGUAGE_CODE": "en"}
    env.pop("DATABASE_URL", None)
    # The console script, as an operator runs it.
    command = [str(Path(sys.executable).parent / "urbangrid"), "grids", "--skip-checks", "import", str(bad)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "is not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_import_command_names_a_missing_field_and_lists_those_present():
    with pytest.raises(CommandError, match=r'No feature has the field "code"\. Fields in the file: adcode, level'):
        grids(ZHENGZHOU)


def test_a_first_day_after_an_areas_retirement_is_refused_cleanly(tmp_path, small_city):
    Area.objects.filter(code=f"{COMMUNITY}001").update(valid_to=datetime.date(2030, 1, 1))
    with pytest.raises(CommandError, match="The database refused the import, nothing was written"):
        grids(write_geojson(tmp_path / "city.geojson", city_rows()), "--valid-from", "2031-01-01")
    assert Area.objects.get(code="410105").valid_from != datetime.date(2031, 1, 1)
