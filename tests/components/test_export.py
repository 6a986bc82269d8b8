import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.components.conftest import ROADS_USCC, row, rows
from urbangrid.components.exporting import export_file
from urbangrid.components.importing import import_components, import_file
from urbangrid.components.models import Component

pytestmark = pytest.mark.django_db

SNAPSHOT_FIELDS = [
    "identifier", "name", "klass__code", "competent_department__uscc", "owner_unit__uscc",
    "maintenance_unit__uscc", "grid_code", "status", "initial_date", "change_date", "data_source", "remark",
    "lon", "lat",
]


def varied_rows() -> list[dict]:
    data = rows(6)
    data[0].update(owner_unit_code=ROADS_USCC, owner_unit_name="郑州市道路管理处", change_date="20250102")
    data[1].update(remark='含逗号, "引号"\n和换行', status="丢失", data_source="地形图")
    data[2].update(status="移除", change_date="2025-03-04", lon=113.66151234567891)
    data.append(row(7, class_code="01002", grid="410105001001004", maintenance_unit_code="", status="废弃"))
    return data


def snapshot() -> list[tuple]:
    return list(Component.objects.order_by("identifier").values_list(*SNAPSHOT_FIELDS))


@pytest.mark.parametrize(
    ("name", "options"),
    [("c.csv", {}), ("c.csv", {"headers": "abbr"}), ("c.csv", {"headers": "attr"}), ("c.geojson", {}), ("c.shp", {}),
     ("c.xlsx", {}), ("c.xlsx", {"headers": "abbr"}), ("c.zip", {"encoding": "gbk"}), ("c.zip", {"crs": "wgs84"})],
)
def test_export_then_import_round_trips_exactly(city, tmp_path, name, options):
    data = varied_rows()
    if name.endswith(".xlsx"):
        data[2]["lon"] = 113.661512345679  # a workbook keeps numbers to 15 significant digits, as Excel does
    assert import_components(data).errors == []
    before = snapshot()
    first = tmp_path / name
    assert export_file(first, **options) == 7

    again = import_file(first)
    assert (again.errors, again.unchanged) == ([], 7)  # the export reads back as the same records

    Component.objects.all().delete()
    assert import_file(first).created == 7
    assert snapshot() == before
    second = tmp_path / f"again-{name}"
    export_file(second, **options)
    if name.endswith((".csv", ".geojson")):  # workbooks and zips carry the time they were written
        assert second.read_bytes() == first.read_bytes()


def test_csv_has_the_18_standard_columns_and_derived_street_and_community(city, tmp_path):
    import_components([row(1)])
    path = tmp_path / "c.csv"
    export_file(path)
    with path.open(encoding="utf-8-sig") as f:
        header, values = list(csv.reader(f))
    assert header[:3] == ["管理部件标识码", "管理部件名称", "主管部门代码"]
    assert header[-6:] == ["所在街道代码", "所在街道名称", "所在社区代码", "所在社区名称", "经度", "纬度"]
    record = dict(zip(header, values, strict=True))
    assert record["所在街道代码"] == "410105001"
    assert record["所在街道名称"] == "经八路街道"
    assert record["所在社区名称"] == "省委社区"
    assert record["管理部件状态"] == "完好"
    assert record["初始日期"] == "20240101"
    assert record["主管部门名称"] == "郑州市供水公司"


def test_abbreviated_headers(city, tmp_path):
    import_components([row(1)])
    path = tmp_path / "c.geojson"
    export_file(path, headers="abbr")
    feature = json.loads(path.read_text())["features"][0]
    assert feature["properties"]["GLBJBSM"] == "41010501001000001"
    assert len(feature["properties"]) == 18


def test_export_within_an_area_and_of_a_class(city, tmp_path):
    import_components(varied_rows())
    out = StringIO()
    path = tmp_path / "c.csv"
    call_command("components", "export", str(path), "--within", "410105001001004", stdout=out, verbosity=0)
    assert "Exported 2 components" in out.getvalue()
    with path.open(encoding="utf-8-sig") as f:
        assert [r["管理部件标识码"] for r in csv.DictReader(f)] == ["41010501001000003", "41010501002000007"]
    assert export_file(path, class_code="01002") == 1
    assert export_file(path, within="410105") == 7
