"""Component files beyond the basics: zipped Shapefiles in GBK or UTF-8 with their .prj, XLSX, GCJ-02 input,
streaming (a bounded number of rows in memory however long the file) and the audit entry of every import."""

import weakref
import zipfile
from io import StringIO

import pytest
import shapefile
from django.core.management import call_command
from openpyxl import load_workbook

from tests.components.conftest import GRID_CENTRES, row, rows, write_csv
from urbangrid.audit.models import AuditEntry
from urbangrid.components import exporting, fields, importing
from urbangrid.components.models import Component
from urbangrid.core.coords import from_wgs84

pytestmark = pytest.mark.django_db


def test_a_zipped_shapefile_carries_its_encoding_and_coordinate_system(city, tmp_path):
    importing.import_components(rows(4, remark="路口东侧"))
    path = tmp_path / "inventory.zip"
    call_command("components", "export", str(path), "--encoding", "gbk", "--prj", "wgs84", stdout=StringIO())
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert names == ["inventory.cpg", "inventory.dbf", "inventory.prj", "inventory.shp", "inventory.shx"]
        assert archive.read("inventory.cpg") == b"GBK"
        assert b"WGS_1984" in archive.read("inventory.prj")
        assert "路口东侧".encode("gbk") in archive.read("inventory.dbf")
    call_command("components", "export", str(tmp_path / "c.shp"), stdout=StringIO())
    assert "China_Geodetic_Coordinate_System_2000" in (tmp_path / "c.prj").read_text()
    with shapefile.Reader(str(tmp_path / "c.shp"), encoding="utf-8") as reader:
        assert [f.name for f in reader.fields[1:]][:3] == ["GLBJBSM", "GLBJMC", "ZGBMDM"]


def test_a_shapefile_in_gbk_without_a_cpg_is_read_as_gbk(city, tmp_path):
    importing.import_components(rows(2, name="供水井盖甲"))
    exporting.export_file(tmp_path / "c.shp", encoding="gbk")
    (tmp_path / "c.cpg").unlink()
    Component.objects.all().delete()
    assert importing.import_file(tmp_path / "c.shp").created == 2
    assert set(Component.objects.values_list("name", flat=True)) == {"供水井盖甲"}


def test_xlsx_headers_in_any_spelling_and_codes_typed_as_numbers(city, tmp_path):
    importing.import_components(rows(3))
    path = tmp_path / "c.xlsx"
    exporting.export_file(path, headers="abbr")
    book = load_workbook(path)
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["GLBJBSM", "GLBJMC", "ZGBMDM"]
    sheet["A2"].value = int(sheet["A2"].value)  # what Excel makes of a code typed in by hand
    book.save(path)
    Component.objects.all().delete()
    report = importing.import_file(path)
    assert (report.errors, report.created) == ([], 3)


def test_gcj02_points_are_converted_on_import(city, tmp_path):
    lon, lat = GRID_CENTRES["410105001001002"]
    gcj_lon, gcj_lat = from_wgs84(lon, lat, "gcj02")
    path = write_csv(tmp_path / "c.csv", [row(1, grid="410105001001002", lon=gcj_lon, lat=gcj_lat)])
    call_command("components", "import", str(path), "--crs", "gcj02", stdout=StringIO(), stderr=StringIO())
    component = Component.objects.get()
    assert (round(component.lon, 6), round(component.lat, 6)) == (round(lon, 6), round(lat, 6))


def test_every_import_leaves_one_audit_entry_with_the_file_and_counts(city, tmp_path):
    path = write_csv(tmp_path / "inventory.csv", rows(5))
    call_command("components", "import", str(path), stdout=StringIO())
    call_command("components", "import", str(path), "--dry-run", stdout=StringIO())  # nothing written: no entry
    [entry] = AuditEntry.objects.filter(detail__what="components")
    assert entry.kind == "reference" and entry.detail["source"] == "inventory.csv"
    assert entry.detail["counts"]["created"] == 5 and entry.detail["counts"]["rows"] == 5
    assert entry.detail["by"]  # the operating-system user who ran the command


def test_the_importer_holds_one_batch_not_the_file(city, monkeypatch):
    """A generator of rows that checks, as each row is taken, that the rows two batches back are written."""
    monkeypatch.setattr(importing, "CHECK_BATCH", 50)
    total, lagging = 400, []

    def source():
        for n, values in enumerate(rows(total), start=1):
            if n % 50 == 1 and Component.objects.count() < n - 1 - 50:
                lagging.append(n)
            yield values

    report = importing.import_components(source())
    assert (report.created, lagging) == (total, [])


def test_a_strict_import_failing_in_a_late_batch_leaves_nothing(city, monkeypatch):
    monkeypatch.setattr(importing, "CHECK_BATCH", 10)
    data = rows(35)
    data[-1]["status"] = "不存在"
    report = importing.import_components(data)
    assert len(report.errors) == 1 and report.created == 0 and not report.written
    assert Component.objects.count() == 0


class _Row(list):
    """A row that can be watched: a weak reference tells when the writer has let go of it."""


def watched_rows(n: int, alive: list[int], most: list[int]):
    lon, lat = GRID_CENTRES["410105001001001"]
    template = ["41010501001", "井盖", "1" * 18, "郑州市供水公司", "", "", "", "", "410105001001001", "完好",
                "20240101", "", "实测", "备注" * 10, "410105001", "经八路街道", "410105001001", "省委社区", lon, lat]

    def gone():
        alive[0] -= 1

    for i in range(n):
        row = _Row([f"{template[0]}{i:06d}", *template[1:]])
        alive[0] += 1
        weakref.finalize(row, gone)
        most[0] = max(most[0], alive[0])
        yield row
        del row


@pytest.mark.parametrize("name", ["c.csv", "c.geojson", "c.xlsx", "c.zip"])
def test_writers_keep_no_rows_in_memory(tmp_path, name):
    """However many rows, the writer holds at most a couple at a time (a million rows: the same couple)."""
    path = tmp_path / name
    fmt = {".csv": "csv", ".geojson": "geojson", ".xlsx": "xlsx", ".zip": "shapefile"}[path.suffix]
    alive, most = [0], [0]
    assert exporting.write_rows(watched_rows(5000, alive, most), path, fmt) == 5000
    assert most[0] <= 2 and len(next(watched_rows(1, [0], [0]))) == len(fields.EXPORT_ATTRS)
