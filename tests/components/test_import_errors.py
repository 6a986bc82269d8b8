import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.components.conftest import OUTSIDE, WATER_USCC, row, rows, write_csv, write_geojson
from tests.factories import uscc
from urbangrid.components.importing import import_components, import_file
from urbangrid.components.models import Component

pytestmark = pytest.mark.django_db

BAD_CHECK_CHAR = WATER_USCC[:17] + ("A" if WATER_USCC[17] != "A" else "B")

# (override of row 2 under our field names, field expected in the error, words expected in the message)
BAD_ROWS = {
    "bad identifier": ({"identifier": "41010501001X00002"}, "identifier", "digits"),
    "short identifier": ({"identifier": "410105010010002"}, "identifier", "17"),
    "class mismatch": ({"class_code": "01002"}, "class_code", "01001"),
    "unknown class": ({"identifier": "41010509009000002"}, "identifier", "09009"),
    "bad USCC check char": ({"competent_department_code": BAD_CHECK_CHAR}, "competent_department_code", "check"),
    "unknown department": ({"competent_department_code": uscc(555)}, "competent_department_code", uscc(555)),
    "bad status": ({"status": "坏了"}, "status", "坏了"),
    "bad date": ({"initial_date": "20240231"}, "initial_date", "20240231"),
    "bad date format": ({"initial_date": "2024/01/01"}, "initial_date", "YYYYMMDD"),
    "change before initial": ({"change_date": "20200101"}, "change_date", "20240101"),
    "name too long": ({"name": "井" * 31}, "name", "30"),
    "missing name": ({"name": ""}, "name", "required"),
    "outside grids": ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "lon", "outside"),
    "grid code mismatch": ({"grid_code": "410105001001001"}, "grid_code", "410105001001003"),
    "street mismatch": ({"street_code": "410105002"}, "street_code", "410105002"),
    "missing coordinates": ({"lon": ""}, "lon", "required"),
    "bad coordinate": ({"lat": "north"}, "lat", "north"),
}


def three_rows_with_bad_second(override: dict) -> list[dict]:
    data = rows(3)
    data[1].update(override)
    return data


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_each_row_error_is_reported_with_line_and_field(city, tmp_path, case):
    override, field, words = BAD_ROWS[case]
    path = write_csv(tmp_path / "c.csv", three_rows_with_bad_second(override))
    report = import_file(path)
    assert [(e.number, e.field) for e in report.errors] == [(3, field)]  # line 3: the header is line 1
    assert words in report.errors[0].message
    assert report.skipped == 1
    assert not Component.objects.exists()  # strict: nothing written


def test_non_strict_writes_the_good_rows_and_an_error_file(city, tmp_path):
    data = rows(4)
    data[0]["status"] = "坏了"
    data[2]["lon"], data[2]["lat"] = OUTSIDE
    path = write_csv(tmp_path / "c.csv", data)
    report = import_file(path, strict=False)
    assert (report.created, report.skipped) == (2, 2)
    assert sorted(Component.objects.values_list("identifier", flat=True)) == ["41010501001000002", "41010501001000004"]
    with report.errors_path.open(encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert report.errors_path.name == "c.csv.errors.csv"
    assert [line[0] for line in lines[1:]] == ["2", "4"]


def test_several_errors_of_one_row_are_all_reported(city):
    report = import_components([row(1, status="x", initial_date="yesterday", name="")])
    assert {e.field for e in report.errors} == {"status", "initial_date", "name"}


def test_duplicate_identifier_in_a_file(city):
    report = import_components([row(1), row(1, name="又一个")])
    assert [(e.number, e.field) for e in report.errors] == [(2, "identifier")]
    assert "1" in report.errors[0].message


def test_geojson_errors_name_the_feature(city, tmp_path):
    data = rows(3)
    data[2]["status"] = "坏了"
    report = import_file(write_geojson(tmp_path / "c.geojson", data))
    assert [(e.number, e.field) for e in report.errors] == [(3, "status")]


def test_non_point_geometry_is_a_row_error(city, tmp_path):
    path = write_geojson(tmp_path / "c.geojson", rows(2))
    text = path.read_text().replace('"Point"', '"LineString"', 1)
    path.write_text(text)
    report = import_file(path)
    assert [(e.number, e.field) for e in report.errors] == [(1, "lon")]


def test_missing_columns_stop_the_import(city, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("管理部件标识码,管理部件名称\n41010501001000001,井盖\n", encoding="utf-8")
    with pytest.raises(CommandError, match="经度"):
        call_command("components", "import", str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)


def test_command_prints_errors_and_fails_in_strict_mode(city, tmp_path):
    path = write_csv(tmp_path / "c.csv", three_rows_with_bad_second({"status": "坏了"}))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("components", "import", str(path), stdout=StringIO(), stderr=err, verbosity=0)
    assert "3" in err.getvalue() and "GLBJZT" in err.getvalue()
    out = StringIO()
    call_command("components", "import", str(path), "--no-strict", stdout=out, stderr=StringIO(), verbosity=0)
    assert Component.objects.count() == 2


def test_a_missing_file_is_a_clear_command_error(city, tmp_path):
    with pytest.raises(CommandError, match="no file"):
        call_command("components", "import", str(tmp_path / "nope.csv"), stdout=StringIO(), verbosity=0)
