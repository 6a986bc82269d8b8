"""GET /map/components.geojson: components counted per area when zoomed out, one by one when zoomed in."""

import pytest

from tests.maps.helpers import GRID_CENTRES
from urbangrid.core.coords import wgs84_to_gcj02
from urbangrid.maps import inventory

pytestmark = pytest.mark.django_db
WHOLE_CITY = "113.65,34.76,113.67,34.78"
AROUND_GRID_1 = "113.6600,34.7690,113.6609,34.7699"


def get_components(client, **params):
    r = client.get("/map/components.geojson", params)
    assert r.status_code == 200, r.content
    return r.json()


def properties(body) -> list[dict]:
    return [f["properties"] for f in body["features"]]


@pytest.mark.parametrize(("zoom", "level", "code"), [(10, "district", "410105"), (12, "street", "410105001")])
def test_zoomed_out_it_counts_per_area_without_the_removed(client, city, zoom, level, code):
    body = get_components(client, bbox=WHOLE_CITY, zoom=zoom)
    assert (body["mode"], body["level"]) == ("clusters", level)
    assert properties(body) == [
        {"code": code, "name": {"district": "金水区", "street": "经八路街道"}[level], "level": level, "count": 6,
         "classes": {"01001": 4, "01002": 2}},
    ]


def test_the_count_stands_at_the_middle_of_the_counted_components(client, city):
    body = get_components(client, bbox=WHOLE_CITY, zoom=14, classes="01002")
    (feature,) = body["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert (feature["properties"]["level"], feature["properties"]["count"]) == ("community", 2)
    assert lon == pytest.approx(GRID_CENTRES["002"][0] + 4.5e-5, abs=1e-6)
    assert lat == pytest.approx(GRID_CENTRES["002"][1], abs=1e-6)


def test_a_class_filter_counts_only_those_classes(client, city):
    body = get_components(client, bbox=WHOLE_CITY, zoom=10, classes="01002,04002")
    assert [(p["count"], p["classes"]) for p in properties(body)] == [(2, {"01002": 2})]


def test_no_class_chosen_means_nothing(client, city):
    body = get_components(client, bbox=WHOLE_CITY, zoom=10, classes="")
    assert (body["mode"], body["features"]) == ("none", [])


def test_zoomed_in_it_answers_the_components_in_the_box(client, city):
    body = get_components(client, bbox=AROUND_GRID_1, zoom=17)
    assert body["mode"] == "points"
    assert properties(body) == [
        {"identifier": "41010501001000001", "name": "井盖1", "class_code": "01001", "status": "intact"},
        {"identifier": "41010501001000002", "name": "井盖2", "class_code": "01001", "status": "damaged"},
        {"identifier": "41010501001000003", "name": "井盖3", "class_code": "01001", "status": "intact"},
    ]
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [113.66051, 34.7695]}


def test_zoomed_in_the_removed_and_the_unchosen_are_left_out(client, city):
    body = get_components(client, bbox=WHOLE_CITY, zoom=17, classes="01002")
    assert [p["identifier"] for p in properties(body)] == ["41010501002000004", "41010501002000005"]
    all_of_them = get_components(client, bbox=WHOLE_CITY, zoom=17)
    assert "41010501001000007" not in [p["identifier"] for p in properties(all_of_them)]
    assert len(all_of_them["features"]) == 6


def test_more_than_the_cap_are_counted_per_grid_instead(client, city, monkeypatch):
    monkeypatch.setattr(inventory, "POINT_CAP", 5)
    body = get_components(client, bbox=WHOLE_CITY, zoom=17)
    assert (body["mode"], body["level"]) == ("clusters", "grid")
    counts = {p["code"]: p["count"] for p in properties(body)}
    assert counts == {"410105001001001": 3, "410105001001002": 2, "410105001001004": 1}


def test_gcj02_shifts_the_points(client, city):
    west, south = wgs84_to_gcj02(113.6600, 34.7690)
    east, north = wgs84_to_gcj02(113.6609, 34.7699)
    body = get_components(client, bbox=f"{west},{south},{east},{north}", zoom=17, crs="gcj02")
    assert len(body["features"]) == 3
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    expected = wgs84_to_gcj02(113.66051, 34.7695)
    assert lon == pytest.approx(expected[0], abs=1e-6) and lat == pytest.approx(expected[1], abs=1e-6)


def test_gcj02_shifts_the_counts(client, city):
    wgs = get_components(client, bbox=WHOLE_CITY, zoom=10)["features"][0]["geometry"]["coordinates"]
    gcj = get_components(client, bbox="113.65,34.76,113.68,34.78", zoom=10, crs="gcj02")["features"][0]
    expected = wgs84_to_gcj02(*wgs)
    assert gcj["geometry"]["coordinates"] == pytest.approx(list(expected), abs=1e-6)


def test_counts_follow_an_edit(client, city):
    get_components(client, bbox=WHOLE_CITY, zoom=10)  # builds the cached counts
    from urbangrid.components.models import Component

    Component.objects.get(identifier="41010501002000004").delete()  # bumps the data version
    assert properties(get_components(client, bbox=WHOLE_CITY, zoom=10))[0]["count"] == 5


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"bbox": WHOLE_CITY, "zoom": 10, "classes": "01001,99"}, "classes", "classes:"),
        ({"bbox": WHOLE_CITY}, "zoom", "whole number"),
        ({"zoom": 10}, "bbox", "west,south,east,north"),
    ],
)
def test_bad_parameters(client, city, params, field, words):
    r = client.get("/map/components.geojson", params, headers={"accept-language": "en"})
    assert r.status_code == 400
    assert (r.json()["field"], words in r.json()["message"]) == (field, True)
