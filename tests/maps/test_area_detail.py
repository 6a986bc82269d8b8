"""GET /map/areas/<code>.json: what the side panel shows when a grid (or any area) is clicked."""

import pytest

from tests.maps.helpers import GRID_CENTRES
from urbangrid.core.coords import wgs84_to_gcj02
from urbangrid.maps import detail

pytestmark = pytest.mark.django_db


def test_a_grid_with_its_hierarchy_counts_and_nearest_components(client, city):
    r = client.get("/map/areas/410105001001001.json")
    assert r.status_code == 200
    feature = r.json()
    assert (feature["id"], feature["geometry"]["type"]) == ("410105001001001", "Polygon")
    p = feature["properties"]
    assert (p["code"], p["name"], p["level"], p["level_label"]) == ("410105001001001", "第1网格", "grid", "单元网格")
    assert [(h["code"], h["name"]) for h in p["hierarchy"]] == [
        ("410105", "金水区"), ("410105001", "经八路街道"), ("410105001001", "省委社区"), ("410105001001001", "第1网格"),
    ]
    assert p["components"]["total"] == 3
    assert p["components"]["by_class"] == [{"code": "01001", "name": "供水井盖", "count": 3}]
    nearest = p["components"]["nearest"]
    # The grid's middle is its centre; the components stand 10, 20 and 30 µ° east of it.
    assert [c["identifier"] for c in nearest] == ["41010501001000001", "41010501001000002", "41010501001000003"]
    assert [c["distance_m"] for c in nearest] == pytest.approx([0.9, 1.8, 2.7], abs=0.1)
    second = nearest[1]
    assert (second["status"], second["status_label"], second["class_name"]) == ("damaged", "破损", "供水井盖")
    assert p["cases"] is None  # an anonymous visitor: no cases (test_case_layer has the signed-in panel)


def test_a_community_counts_everything_under_it_without_a_nearest_list(client, city):
    p = client.get("/map/areas/410105001001.json").json()["properties"]
    assert p["components"] == {
        "total": 6,
        "by_class": [
            {"code": "01001", "name": "供水井盖", "count": 4},
            {"code": "01002", "name": "污水井盖", "count": 2},
        ],
    }
    assert [h["level"] for h in p["hierarchy"]] == ["district", "street", "community"]


def test_a_grid_without_components(client, city):
    p = client.get("/map/areas/410105001001003.json").json()["properties"]
    assert p["components"] == {"total": 0, "by_class": [], "nearest": []}


def test_gcj02_shifts_the_boundary_and_the_components(client, city):
    p = client.get("/map/areas/410105001001001.json", {"crs": "gcj02"}).json()
    first = p["properties"]["components"]["nearest"][0]
    expected = wgs84_to_gcj02(GRID_CENTRES["001"][0] + 1e-5, GRID_CENTRES["001"][1])
    assert (first["lon"], first["lat"]) == pytest.approx(expected, abs=1e-6)
    corners = p["geometry"]["coordinates"][0]
    assert min(x for x, _ in corners) == pytest.approx(wgs84_to_gcj02(113.660, 34.769)[0], abs=1e-5)


def test_an_unknown_area_is_a_404_that_says_so(client, city):
    r = client.get("/map/areas/410105001001009.json", headers={"accept-language": "en"})
    assert r.status_code == 404
    message = "No current area has the code 410105001001009."
    assert r.json() == {"code": "not_found", "message": message, "field": "code"}


def test_a_malformed_code_is_a_400(client, city):
    r = client.get("/map/areas/41x.json")
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("invalid_code", "code")


def test_the_nearest_list_is_capped(client, city, monkeypatch):
    monkeypatch.setattr(detail, "NEAREST_LIMIT", 2)
    p = client.get("/map/areas/410105001001001.json").json()["properties"]
    assert len(p["components"]["nearest"]) == 2
    assert p["components"]["total"] == 3
