"""A small city with two component classes, two departments and helpers to write component files.

Grids of tests.factories.make_small_city (cells of 0.001°): 001 north-west, 002 north-east,
003 south-west, 004 south-east of the square 113.660–113.662 E, 34.768–34.770 N.
"""

import csv
import json
from pathlib import Path

import pytest
from django.utils import translation

from tests.factories import OrganisationFactory, component_class, uscc
from urbangrid.catalog.models import CatalogClass, LegacyCode
from urbangrid.components import fields, nearest
from urbangrid.grid import locating

GRID_CENTRES = {
    "410105001001001": (113.6605, 34.7695),
    "410105001001002": (113.6615, 34.7695),
    "410105001001003": (113.6605, 34.7685),
    "410105001001004": (113.6615, 34.7685),
}
OUTSIDE = (113.70, 34.80)
WATER_USCC = uscc(901)  # 供水公司, the competent department of the fixtures
ROADS_USCC = uscc(902)


@pytest.fixture(autouse=True)
def fresh_nearest_index():
    # A rolled-back test transaction also rolls back the data version the index cache is keyed on.
    nearest.clear_cache()
    yield
    nearest.clear_cache()


@pytest.fixture
def city(small_city):
    component_class("01001", "供水井盖")
    component_class("01002", "污水井盖")
    OrganisationFactory(name="郑州市供水公司", uscc=WATER_USCC)
    OrganisationFactory(name="郑州市道路管理处", uscc=ROADS_USCC, party_type="maintainer")
    return small_city


def row(seq: int = 1, grid: str = "410105001001001", class_code: str = "01001", **overrides) -> dict:
    """A valid row under our field names; `overrides` use our names too (None removes a field)."""
    lon, lat = GRID_CENTRES[grid]
    values = {
        "identifier": f"410105{class_code}{seq:06d}",
        "name": f"井盖{seq}",
        "competent_department_code": WATER_USCC,
        "competent_department_name": "郑州市供水公司",
        "owner_unit_code": "",
        "owner_unit_name": "",
        "maintenance_unit_code": ROADS_USCC,
        "maintenance_unit_name": "郑州市道路管理处",
        "grid_code": grid,
        "status": "完好",
        "initial_date": "20240101",
        "change_date": "",
        "data_source": "实测",
        "remark": "",
        "lon": lon + seq * 1e-6,
        "lat": lat,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def rows(n: int, **overrides) -> list[dict]:
    grids = list(GRID_CENTRES)
    return [row(i, grid=grids[i % 4], **overrides) for i in range(1, n + 1)]


def relabel(values: dict, style: str) -> dict:
    """The row with headers in a style: zh, abbr or attr."""
    return {fields.header(k, style) if k in fields.EXPORT_ATTRS else k: v for k, v in values.items()}


def write_csv(path: Path, data: list[dict], style: str = "zh", encoding: str = "utf-8-sig") -> Path:
    labelled = [relabel(r, style) for r in data]
    headers = list(dict.fromkeys(k for r in labelled for k in r))
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, headers)
        writer.writeheader()
        writer.writerows(labelled)
    return path


def write_geojson(path: Path, data: list[dict], style: str = "zh") -> Path:
    features = []
    for r in data:
        props = {k: v for k, v in relabel(r, style).items() if k not in ("经度", "纬度", "lon", "lat")}
        point = {"type": "Point", "coordinates": [r["lon"], r["lat"]]}
        features.append({"type": "Feature", "geometry": point, "properties": props})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return path


@pytest.fixture
def legacy_0101(city):
    """CJ/T 214-2007 上水井盖 0101 became GB/T 47678.5 供水井盖 01001 (the catalogue migration may have it)."""
    klass = CatalogClass.objects.get(kind="component", code="01001")
    code, _ = LegacyCode.objects.update_or_create(
        scheme="CJ/T 214-2007", kind="component", code="0101", defaults={"name": "上水井盖", "maps_to": klass}
    )
    return code


@pytest.fixture(autouse=True)
def english():
    # Assertions look for words of the English msgids; test_messages.py checks a Chinese one.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_locator():
    # The locator caches by the "areas" data version, which a rolled-back test database reuses.
    locating.reset()
    yield
    locating.reset()
