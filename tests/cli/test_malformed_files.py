"""Every importer, given a broken file, stops with a precise error and writes nothing (issue 7: bad input)."""

import zipfile
from io import StringIO
from pathlib import Path

import pytest
import shapefile
from django.core.management import CommandError, call_command

from urbangrid.components.models import Component
from urbangrid.grid.models import Area
from urbangrid.timekeeping.models import CalendarDay

pytestmark = pytest.mark.django_db


def truncated_shapefile(folder: Path) -> Path:
    base = folder / "cut"
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding="utf-8") as writer:
        writer.field("code", "C", 20)
        writer.field("name", "C", 40)
        for n in range(20):
            x = 113.6 + n * 0.01
            writer.poly([[[x, 34.7], [x + 0.01, 34.7], [x + 0.01, 34.71], [x, 34.71], [x, 34.7]]])
            writer.record(f"410105{n:03d}", f"街道{n}")
    shp = base.with_suffix(".shp")
    shp.write_bytes(shp.read_bytes()[: shp.stat().st_size // 2])
    return shp


def zipped(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return path


def shapefile_parts(shp: Path) -> dict[str, bytes]:
    return {part.name: part.read_bytes() for part in shp.parent.glob(f"{shp.stem}.*")}


def gbk_shapefile_saying_utf8(folder: Path) -> Path:
    """Attributes written in GBK, but a .cpg that says UTF-8: the names cannot be decoded."""
    base = folder / "wrong-cpg"
    with shapefile.Writer(str(base), shapeType=shapefile.POINT, encoding="gbk") as writer:
        for field in ("code", "name", "GLBJBSM", "GLBJMC"):
            writer.field(field, "C", 40)
        writer.point(113.6605, 34.7695)
        writer.record("410105001001001", "第一网格", "41010501001000001", "供水井盖")
    base.with_suffix(".cpg").write_text("UTF-8")
    return base.with_suffix(".shp")


def made_file(folder: Path, name: str) -> Path:
    if name == "truncated.shp":
        return truncated_shapefile(folder)
    if name == "truncated.zip":
        return zipped(folder, name, shapefile_parts(truncated_shapefile(folder)))
    if name == "wrong-cpg.shp":
        return gbk_shapefile_saying_utf8(folder)
    if name == "wrong-cpg.zip":
        return zipped(folder, name, shapefile_parts(gbk_shapefile_saying_utf8(folder)))
    if name == "bomb.zip":  # 64 MB of zeros in a few kB: refused before anything is unpacked
        return zipped(folder, name, {"a.shp": bytes(64 * 1024**2), "a.shx": b"", "a.dbf": b""})
    if name == "escape.zip":  # a member that would land outside the folder it is unpacked to
        return zipped(folder, name, {"../../escaped.shp": bytes(range(256)) * 4})
    if name == "two-shapefiles.zip":
        return zipped(folder, name, {"a.shp": b"", "b.shp": b""})
    raise KeyError(name)


MADE = ["truncated.shp", "truncated.zip", "wrong-cpg.shp", "wrong-cpg.zip", "bomb.zip", "escape.zip",
        "two-shapefiles.zip"]
BROKEN = {
    "gbk.geojson": '{"type": "FeatureCollection", "features": [{"properties": {"name": "金水区"}}]}'.encode("gbk"),
    "not-a-zip.zip": bytes(range(256)) * 40,
    "garbage.xlsx": bytes(range(256)) * 40,
    "empty.xlsx": b"",
    "a-zip-not-a-workbook.xlsx": b"PK\x05\x06" + bytes(18),
    "empty.geojson": b"",
    "empty.csv": b"",
    "garbage.geojson": bytes(range(256)) * 40,
    "garbage.csv": bytes(range(256)) * 40,
    "truncated.geojson": b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Po',
    "not-a-collection.geojson": b'[1, 2, 3]',
    "a-point.geojson": b'{"type": "Point", "coordinates": [113.6, 34.7]}',
    "features-not-a-list.geojson": b'{"type": "FeatureCollection", "features": {"a": 1}}',
    "utf16.csv": "编码,名称\n410105,金水区\n".encode("utf-16"),
    "nul.csv": b"code,name\n4101\x0005,x\n",
    "huge-field.csv": b"code,name\n410105," + b"x" * 2_000_000 + b"\n",
    "garbage.shp": bytes(range(256)) * 40,
}
IMPORTERS = {
    "grids": (["grids", "import"], lambda: Area.objects.count()),
    "components": (["components", "import"], lambda: Component.objects.count()),
    "calendar": (["calendar", "import"], lambda: CalendarDay.objects.count()),
}


def broken_file(folder: Path, name: str) -> Path:
    if name in MADE:
        return made_file(folder, name)
    path = folder / name
    path.write_bytes(BROKEN[name])
    return path


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize("name", [*sorted(BROKEN), *MADE])
def test_a_broken_file_is_a_clear_error_and_writes_nothing(small_city, tmp_path, importer, name):
    command, count = IMPORTERS[importer]
    if importer == "calendar" and not name.endswith(".csv"):
        pytest.skip("the calendar import reads CSV only")
    path = broken_file(tmp_path, name)
    before = count()
    with pytest.raises(CommandError) as refused:
        call_command(*command, str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)
    message = str(refused.value)
    assert message and "Traceback" not in message
    assert count() == before
    assert not (tmp_path.parent / "escaped.shp").exists() and not (tmp_path.parent.parent / "escaped.shp").exists()


@pytest.mark.parametrize("importer", ["grids", "components"])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(small_city, tmp_path, importer):
    path = made_file(tmp_path, "bomb.zip")
    with pytest.raises(CommandError, match="4096 MB"):  # in either language
        call_command(IMPORTERS[importer][0][0], "import", str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)
