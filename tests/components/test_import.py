import datetime as dt

import pytest
import shapefile
from django.core.management import call_command

from tests.components.conftest import GRID_CENTRES, ROADS_USCC, WATER_USCC, relabel, row, rows, write_csv, write_geojson
from tests.factories import uscc
from urbangrid.accounts.models import Organisation
from urbangrid.components import fields
from urbangrid.components.importing import import_components, import_file
from urbangrid.components.models import Component
from urbangrid.core.coords import from_wgs84
from urbangrid.grid.versions import current

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("style", ["zh", "abbr", "attr"])
def test_csv_with_any_header_style_is_imported(city, tmp_path, style):
    path = write_csv(tmp_path / "components.csv", rows(8), style)
    report = import_file(path)
    assert (report.rows, report.created, report.errors) == (8, 8, [])
    component = Component.objects.select_related("klass", "competent_department").get(identifier="41010501001000001")
    assert component.name == "井盖1"
    assert component.klass.code == "01001"
    assert component.competent_department.uscc == WATER_USCC
    assert component.maintenance_unit.uscc == ROADS_USCC
    assert component.owner_unit is None
    assert component.grid_code == "410105001001002"  # seq 1 → second grid of the fixture
    assert component.initial_date == dt.date(2024, 1, 1)
    assert component.status == "intact"


def test_command_imports_a_csv_and_prints_a_summary(city, tmp_path):
    path = write_csv(tmp_path / "c.csv", rows(3))
    out = call_command_output("import", str(path))
    assert "3" in out and Component.objects.count() == 3


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("components", *args, stdout=out, stderr=StringIO(), verbosity=0)
    return out.getvalue()


def test_gbk_csv_is_read(city, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", rows(2), encoding="gbk")
    assert import_file(path).created == 2
    assert Component.objects.get(identifier="41010501001000002").name == "井盖2"


def test_python_rows_with_dates_and_english_status(city):
    data = [row(1, status="damaged", initial_date=dt.date(2023, 5, 6), change_date="2024-02-03")]
    report = import_components(data)
    assert report.created == 1
    component = Component.objects.get()
    assert (component.status, component.initial_date, component.change_date) == (
        "damaged", dt.date(2023, 5, 6), dt.date(2024, 2, 3),
    )


def test_geojson_points_are_imported(city, tmp_path):
    path = write_geojson(tmp_path / "c.geojson", rows(4), "abbr")
    report = import_file(path)
    assert (report.created, report.errors) == (4, [])
    assert Component.objects.get(identifier="41010501001000004").grid_code == "410105001001001"


def test_shapefile_points_are_imported(city, tmp_path):
    path = tmp_path / "c.shp"
    writer = shapefile.Writer(str(path.with_suffix("")), shapeType=shapefile.POINT, encoding="utf-8")
    for f in fields.FIELDS:
        writer.field(f.abbr, "D" if f.attr.endswith("_date") else "C", size=8 if f.attr.endswith("_date") else 100)
    for r in rows(3):
        writer.point(r["lon"], r["lat"])
        writer.record(*(r.get(f.attr, "") or ("" if not f.attr.endswith("_date") else None) for f in fields.FIELDS))
    writer.close()
    report = import_file(path)
    assert (report.created, report.errors) == (3, [])
    assert Component.objects.get(identifier="41010501001000003").initial_date == dt.date(2024, 1, 1)


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_offset_coordinates_are_converted_to_wgs84(city, tmp_path, crs):
    lon, lat = GRID_CENTRES["410105001001004"]
    shifted_lon, shifted_lat = from_wgs84(lon, lat, crs)
    # The GCJ-02 offset near Zhengzhou is a few hundred metres: the raw point would be outside the city.
    data = [row(1, grid="410105001001004", lon=shifted_lon, lat=shifted_lat)]
    path = write_csv(tmp_path / "c.csv", data)
    assert import_file(path).errors  # read as WGS84 it is outside every grid
    report = import_file(path, crs=crs)
    assert report.created == 1
    component = Component.objects.get()
    assert component.grid_code == "410105001001004"
    assert component.lon == pytest.approx(lon, abs=1e-7)
    assert component.lat == pytest.approx(lat, abs=1e-7)


def test_reimport_updates_in_place_without_duplicates(city, tmp_path):
    path = write_csv(tmp_path / "c.csv", rows(5))
    first = import_file(path)
    ids = dict(Component.objects.values_list("identifier", "id"))
    version = current("components")
    again = import_file(path)
    assert (first.created, again.created, again.updated, again.unchanged) == (5, 0, 0, 5)
    assert current("components") == version  # nothing changed, nothing to rebuild

    changed = rows(5)
    changed[1]["name"] = "改名井盖"
    changed[2]["status"] = "破损"
    report = import_file(write_csv(tmp_path / "c2.csv", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 3)
    assert dict(Component.objects.values_list("identifier", "id")) == ids
    assert Component.objects.get(identifier="41010501001000002").name == "改名井盖"
    assert current("components") == version + 1


def test_dry_run_counts_but_writes_nothing(city, tmp_path):
    report = import_file(write_csv(tmp_path / "c.csv", rows(3)), dry_run=True)
    assert (report.created, report.written) == (3, False)
    assert not Component.objects.exists()


def test_unknown_departments_are_created_on_request(city):
    code = uscc(777)
    data = [row(1, competent_department_code=code, competent_department_name="新建部门")]
    assert import_components(data).errors
    report = import_components(data, create_organisations=True)
    assert (report.created, report.organisations_created) == (1, [code])
    org = Organisation.objects.get(uscc=code)
    assert (org.name, org.kind, org.party_type) == ("新建部门", "department", "competent")


def test_legacy_16_digit_identifier_is_converted(city, legacy_0101):
    report = import_components([row(1, identifier="4101050101000001")])
    assert report.errors == []
    assert Component.objects.get().identifier == "41010501001000001"


def test_rows_keys_in_chinese_are_accepted_from_python(city):
    report = import_components([relabel(row(1), "zh")])
    assert report.created == 1


def test_no_organisation_is_created_for_a_rejected_row(city):
    code = uscc(778)
    data = [row(1, competent_department_code=code, competent_department_name="新部门", lon=113.70, lat=34.80)]
    report = import_components(data, create_organisations=True, strict=False)
    assert (report.skipped, report.organisations_created) == (1, [])
    assert not Organisation.objects.filter(uscc=code).exists()
