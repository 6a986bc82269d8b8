"""GET /map/areas.geojson: the areas of one level within a box, simplified, capped, in the map's datum."""

import pytest

from urbangrid.core.coords import wgs84_to_gcj02
from urbangrid.maps import areas

pytestmark = pytest.mark.django_db
WHOLE_CITY = "113.65,34.76,113.67,34.78"
INSIDE_GRID_1 = "113.6601,34.7691,113.6609,34.7699"


def get_areas(client, **params):
    return client.get("/map/areas.geojson", {"zoom": 16, **params})


def codes(response) -> list[str]:
    return sorted(f["properties"]["code"] for f in response.json()["features"])


def test_it_answers_the_grids_in_the_box_only(client, city):
    r = get_areas(client, level="grid", bbox=INSIDE_GRID_1)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/geo+json"
    body = r.json()
    assert (body["type"], body["level"], body["truncated"]) == ("FeatureCollection", "grid", False)
    assert codes(r) == ["410105001001001"]
    feature = body["features"][0]
    assert feature["id"] == "410105001001001"
    assert feature["properties"] == {"code": "410105001001001", "name": "第1网格", "level": "grid"}
    assert feature["geometry"]["type"] == "Polygon"


def test_a_box_over_the_whole_city_has_every_grid(client, city):
    assert codes(get_areas(client, level="grid", bbox=WHOLE_CITY)) == [f"410105001001{n:03d}" for n in (1, 2, 3, 4)]


@pytest.mark.parametrize(
    ("level", "expected"),
    [("district", ["410105"]), ("street", ["410105001"]), ("community", ["410105001001"])],
)
def test_each_level_answers_its_own_areas(client, city, level, expected):
    assert codes(get_areas(client, level=level, bbox=INSIDE_GRID_1)) == expected


def test_a_box_beside_the_city_is_empty(client, city):
    assert get_areas(client, level="grid", bbox="113.70,34.80,113.71,34.81").json()["features"] == []


def test_it_caps_the_features_and_says_so(client, city, monkeypatch):
    monkeypatch.setattr(areas, "FEATURE_CAP", 3)
    body = get_areas(client, level="grid", bbox=WHOLE_CITY).json()
    assert (len(body["features"]), body["truncated"], body["limit"]) == (3, True, 3)


def test_the_capped_answer_keeps_the_grids_nearest_the_middle(client, city, monkeypatch):
    monkeypatch.setattr(areas, "FEATURE_CAP", 1)
    # A box centred on grid 004 (south-east) that also touches the three others.
    body = get_areas(client, level="grid", bbox="113.6606,34.7676,113.6624,34.7694").json()
    assert [f["id"] for f in body["features"]] == ["410105001001004"]


def test_coordinates_are_rounded_to_the_zoom(client, city):
    def longest_decimals(zoom):
        ring = get_areas(client, level="grid", bbox=WHOLE_CITY, zoom=zoom).json()["features"][0]["geometry"]
        return max(len(repr(x).split(".")[1]) for point in ring["coordinates"][0] for x in point)

    assert longest_decimals(10) <= 4
    assert longest_decimals(18) <= 7


def test_gcj02_shifts_the_answer_and_reads_the_box_in_gcj02(client, city):
    wgs = get_areas(client, level="grid", bbox=INSIDE_GRID_1).json()["features"][0]["geometry"]["coordinates"][0]
    # The same grid asked for with a GCJ-02 box (what a Gaode-style basemap's viewport is in).
    west, south = wgs84_to_gcj02(113.6601, 34.7691)
    east, north = wgs84_to_gcj02(113.6609, 34.7699)
    r = get_areas(client, level="grid", bbox=f"{west},{south},{east},{north}", crs="gcj02", zoom=18)
    assert (r.json()["crs"], codes(r)) == ("gcj02", ["410105001001001"])
    shifted = r.json()["features"][0]["geometry"]["coordinates"][0]
    for (lon, lat), (slon, slat) in zip(wgs, shifted, strict=True):
        expected = wgs84_to_gcj02(lon, lat)
        assert slon == pytest.approx(expected[0], abs=1e-6) and slat == pytest.approx(expected[1], abs=1e-6)
        assert abs(slon - lon) > 0.001  # the GCJ-02 offset in Zhengzhou is about 500 m


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"level": "grid"}, "bbox", "west,south,east,north"),
        ({"level": "grid", "bbox": "a,b,c,d"}, "bbox", "is not four numbers"),
        ({"level": "grid", "bbox": "113.6,34.7,113.7"}, "bbox", "is not four numbers"),
        ({"level": "grid", "bbox": "113.6,34.7,113.7,nan"}, "bbox", "is not four numbers"),
        ({"level": "grid", "bbox": "113.7,34.7,113.6,34.8"}, "bbox", "west (113.7) must be less than east (113.6)"),
        ({"level": "grid", "bbox": "113.6,34.8,113.7,34.7"}, "bbox", "south (34.8) than north (34.7)"),
        ({"level": "grid", "bbox": "100,30,120,40"}, "bbox", "at most 5° each way; this one spans 20° × 10°"),
        ({"level": "grid", "bbox": "113.6,34.7,190,34.8"}, "bbox", "longitudes must be from -180 to 180"),
        ({"level": "parish", "bbox": WHOLE_CITY}, "level", "use one of district, street, community, grid"),
        ({"level": "grid", "bbox": WHOLE_CITY, "zoom": "x"}, "zoom", "whole number from 0 to 22"),
        ({"level": "grid", "bbox": WHOLE_CITY, "zoom": "23"}, "zoom", "whole number from 0 to 22"),
        ({"level": "grid", "bbox": WHOLE_CITY, "crs": "mars"}, "crs", "Unknown coordinate system mars"),
    ],
)
def test_bad_parameters_get_a_json_error_naming_the_field(client, city, params, field, words):
    r = client.get("/map/areas.geojson", {"zoom": 16, **params}, headers={"accept-language": "en"})
    assert r.status_code == 400
    body = r.json()
    assert (body["code"], body["field"]) == (f"invalid_{field}", field)
    assert body["message"].startswith(f"{field}: ")
    assert words in body["message"]


def test_errors_are_in_chinese_by_default(client, city):
    body = client.get("/map/areas.geojson", {"level": "grid", "zoom": 16, "bbox": "113.7,34.7,113.6,34.8"}).json()
    assert body["message"] == "bbox：西边界（113.7）应小于东边界（113.6），南边界（34.7）应小于北边界（34.8）。"


def test_answers_are_gzipped_for_browsers_that_accept_it(client, city):
    query = {"level": "grid", "zoom": 16, "bbox": WHOLE_CITY}
    r = client.get("/map/areas.geojson", query, headers={"accept-encoding": "gzip"})
    assert r["Content-Encoding"] == "gzip"


def test_only_get_is_allowed(client, city):
    assert client.post("/map/areas.geojson", {"level": "grid"}).status_code == 405
