"""Areas out and back in: Shapefile (plain or zipped, UTF-8 or GBK, CGCS2000 or WGS84 .prj), GeoJSON and CSV/WKT
export read back by the importer as the same areas; exports filtered by level and code; imports audited."""

import json
import zipfile
from io import StringIO

import pytest
import shapefile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.factories import UserFactory
from tests.grid.files import COMMUNITY, city_rows, write_geojson
from urbangrid.audit.models import AuditEntry
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db


def grids(*args) -> str:
    out = StringIO()
    with translation.override("en"):  # a request made before may have switched to the Chinese of its user
        call_command("grids", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def stored() -> list[tuple]:
    return list(Area.objects.order_by("code").values_list("code", "name", "level", "parent__code", "area_m2"))


@pytest.mark.parametrize(("name", "options"), [
    ("areas.geojson", []), ("areas.csv", []), ("areas.shp", []), ("areas.zip", ["--encoding", "gbk"]),
    ("areas.zip", ["--prj", "wgs84"]),
])
def test_an_export_imports_back_as_the_same_areas(tmp_path, name, options):
    grids("import", write_geojson(tmp_path / "city.geojson", city_rows()))
    before = stored()
    path = tmp_path / name
    assert "7 areas written" in grids("export", path, *options)
    assert "7 unchanged" in grids("import", path)
    Area.objects.filter(level="grid").delete()
    assert "4 created" in grids("import", path, "--level-field", "level")
    after = stored()
    assert [row[:4] for row in after] == [row[:4] for row in before]
    assert all(abs(a[4] - b[4]) < 1e-6 * b[4] for a, b in zip(after, before, strict=True))


def test_a_zipped_shapefile_in_gbk_says_so_in_its_cpg_and_prj(tmp_path):
    grids("import", write_geojson(tmp_path / "city.geojson", city_rows()))
    path = tmp_path / "grids.zip"
    grids("export", path, "--encoding", "gbk", "--level", "grid")
    with zipfile.ZipFile(path) as archive:
        assert archive.read("grids.cpg") == b"GBK"
        assert b"China_Geodetic_Coordinate_System_2000" in archive.read("grids.prj")
        assert "第1网格".encode("gbk") in archive.read("grids.dbf")
    archive_dir = tmp_path / "unzipped"
    zipfile.ZipFile(path).extractall(archive_dir)
    with shapefile.Reader(str(archive_dir / "grids.shp"), encoding="gbk") as reader:
        assert [r["code"] for r in reader.records()] == [f"{COMMUNITY}{n:03d}" for n in range(1, 5)]
        assert reader.shapeType == shapefile.POLYGON


def test_export_by_level_and_code_prefix(tmp_path, small_city):
    path = tmp_path / "some.geojson"
    assert "4 areas written" in grids("export", path, "--within", COMMUNITY, "--level", "grid", "--format", "geojson")
    features = json.loads(path.read_text())["features"]
    assert [f["properties"]["code"] for f in features] == [f"{COMMUNITY}{n:03d}" for n in range(1, 5)]
    assert features[0]["properties"]["parent"] == COMMUNITY and features[0]["geometry"]["type"] == "Polygon"
    assert "1 areas written" in grids("export", tmp_path / "one.csv", "--within", f"{COMMUNITY}003")
    assert "0 areas written" in grids("export", tmp_path / "none.csv", "--within", "410106")


def test_every_area_import_leaves_one_audit_entry(tmp_path):
    path = write_geojson(tmp_path / "city.geojson", city_rows())
    grids("import", path, "--dry-run")
    grids("import", path)
    [entry] = AuditEntry.objects.filter(detail__what="areas")
    assert entry.detail["source"] == "city.geojson" and entry.detail["format"] == "geojson"
    assert entry.detail["counts"]["created"] == 7 and entry.detail["by"]


@pytest.mark.parametrize(("fmt", "suffix"), [("geojson", "geojson"), ("csv", "csv"), ("shapefile", "zip")])
def test_areas_exported_over_http_import_back_unchanged(tmp_path, fmt, suffix):
    grids("import", write_geojson(tmp_path / "city.geojson", city_rows()))
    assert Client().get("/api/v1/areas/export").status_code == 401
    client = Client()
    client.force_login(UserFactory(username="reader"))
    response = client.get("/api/v1/areas/export", {"format": fmt, "code": "410105001", "encoding": "gbk"})
    assert response.status_code == 200 and f".{suffix}" in response["Content-Disposition"]
    path = tmp_path / f"back.{suffix}"
    path.write_bytes(b"".join(response.streaming_content))
    assert "6 features: 0 created, 0 updated, 6 unchanged" in grids("import", path)  # the district is left out
    assert client.get("/api/v1/areas/export", {"code": "41"}).json()["field"] == "code"
