"""Every importer, given a broken file, stops with a precise error and writes nothing (issue 7: bad input)."""

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


BROKEN = {
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
    if name == "truncated.shp":
        return truncated_shapefile(folder)
    path = folder / name
    path.write_bytes(BROKEN[name])
    return path


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize("name", [*sorted(BROKEN), "truncated.shp"])
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
