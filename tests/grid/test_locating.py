import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box

from tests.factories import CELL, ORIGIN
from tests.grid.files import write_geojson
from urbangrid.core.coords import from_wgs84
from urbangrid.grid import locating

pytestmark = pytest.mark.django_db
WEST, NORTH = ORIGIN
CENTRES = {  # the middle of each grid of small_city
    "410105001001001": (WEST + CELL / 2, NORTH - CELL / 2),
    "410105001001002": (WEST + 3 * CELL / 2, NORTH - CELL / 2),
    "410105001001003": (WEST + CELL / 2, NORTH - 3 * CELL / 2),
    "410105001001004": (WEST + 3 * CELL / 2, NORTH - 3 * CELL / 2),
}
EDGE_1_2 = (WEST + CELL, NORTH - CELL / 2)
CORNER_OF_ALL = (WEST + CELL, NORTH - CELL)
OUTSIDE = (WEST - CELL, NORTH + CELL)


def cli(*args) -> dict:
    out = StringIO()
    call_command("locate", *[str(a) for a in args], stdout=out)
    return json.loads(out.getvalue())


def api(client, **params):
    return client.get("/api/v1/locate", params, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("code", sorted(CENTRES))
def test_a_point_inside_each_grid_locates_to_it_with_the_whole_hierarchy(small_city, code):
    answer = locating.locate(*CENTRES[code])
    assert answer["outside"] is False
    assert answer["grid"] == {"code": code, "name": f"第{int(code[-3:])}网格"}
    assert answer["community"] == {"code": "410105001001", "name": "省委社区"}
    assert answer["street"] == {"code": "410105001", "name": "经八路街道"}
    assert answer["district"] == {"code": "410105", "name": "金水区"}


def test_a_point_on_the_edge_between_grids_1_and_2_goes_to_the_smaller_code(small_city):
    assert locating.locate(*EDGE_1_2)["grid"]["code"] == "410105001001001"


def test_the_vertex_shared_by_all_four_grids_goes_to_the_smallest_code(small_city):
    assert locating.locate(*CORNER_OF_ALL)["grid"]["code"] == "410105001001001"


def test_a_point_outside_every_grid_is_outside(small_city):
    answer = locating.locate(*OUTSIDE)
    assert answer == {"outside": True, "message": "The point is outside the city's unit grids.",
                      "wgs84": {"lon": pytest.approx(OUTSIDE[0]), "lat": pytest.approx(OUTSIDE[1])}}


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_a_gcj02_or_bd09_point_is_converted_before_it_is_located(small_city, crs):
    lon, lat = CENTRES["410105001001003"]
    shifted = from_wgs84(lon, lat, crs)
    answer = locating.locate(*shifted, crs=crs)
    assert answer["grid"]["code"] == "410105001001003"
    assert answer["wgs84"] == {"lon": pytest.approx(lon, abs=1e-7), "lat": pytest.approx(lat, abs=1e-7)}
    assert locating.locate(*shifted)["outside"] is True  # taken as WGS84 it lies hundreds of metres off


def test_the_locator_notices_a_newly_imported_grid_without_a_restart(small_city, tmp_path):
    east = box(WEST + 2 * CELL, NORTH - CELL, WEST + 3 * CELL, NORTH)
    point = (WEST + 2.5 * CELL, NORTH - CELL / 2)
    assert locating.locate(*point)["outside"] is True
    rows = [{"code": "410106", "name": "上街区", "geometry": east},
            {"code": "410106001", "name": "济源路街道", "geometry": east},
            {"code": "410106001001", "name": "新社区", "geometry": east},
            {"code": "410106001001001", "name": "新网格", "geometry": east}]
    call_command("grids", "import", str(write_geojson(tmp_path / "new.geojson", rows)), stdout=StringIO())
    assert locating.locate(*point)["grid"] == {"code": "410106001001001", "name": "新网格"}


def test_the_locator_is_reused_while_the_version_stands(small_city):
    first = locating.get_locator(refresh=True)
    assert locating.get_locator(refresh=True) is first
    assert len(first) == 4


def test_the_cli_prints_the_location_as_json(small_city):
    assert cli(*CENTRES["410105001001004"])["grid"]["code"] == "410105001001004"
    assert cli(*OUTSIDE)["outside"] is True


def test_the_cli_prints_chinese_names_readably(small_city):
    out = StringIO()
    call_command("locate", *[str(v) for v in CENTRES["410105001001001"]], stdout=out)
    assert "金水区" in out.getvalue()


def test_the_cli_converts_gcj02(small_city):
    lon, lat = from_wgs84(*CENTRES["410105001001002"], "gcj02")
    assert cli(lon, lat, "--crs", "gcj02")["grid"]["code"] == "410105001001002"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("abc", "34.7"), "The longitude must be a number in degrees, got abc."),
        (("113.6", "north"), "The latitude must be a number in degrees, got north."),
        (("181", "34.7"), "The longitude must be a number from -180 to 180"),
        (("113.6", "91"), "The latitude must be a number from -90 to 90"),
        (("113.6", "34.7", "--crs", "mars"), "Unknown coordinate system mars"),
    ],
)
def test_the_cli_explains_bad_input(small_city, args, message):
    with pytest.raises(CommandError, match=message):
        cli(*args)


def test_the_api_locates_a_point(client, small_city):
    response = api(client, lon=CENTRES["410105001001002"][0], lat=CENTRES["410105001001002"][1])
    assert response.status_code == 200
    body = response.json()
    assert body["grid"] == {"code": "410105001001002", "name": "第2网格"}
    assert body["outside"] is False and "message" not in body


def test_the_api_answers_outside_with_200(client, small_city):
    response = api(client, lon=OUTSIDE[0], lat=OUTSIDE[1])
    assert response.status_code == 200
    assert response.json()["outside"] is True and "grid" not in response.json()


def test_the_api_converts_gcj02_and_returns_the_wgs84_point(client, small_city):
    lon, lat = CENTRES["410105001001004"]
    gcj_lon, gcj_lat = from_wgs84(lon, lat, "gcj02")
    body = api(client, lon=gcj_lon, lat=gcj_lat, crs="gcj02").json()
    assert body["grid"]["code"] == "410105001001004"
    assert body["wgs84"] == {"lon": pytest.approx(lon, abs=1e-7), "lat": pytest.approx(lat, abs=1e-7)}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"lon": 200, "lat": 34.7}, "lon"), ({"lon": 113.6, "lat": -95}, "lat"),
     ({"lon": 113.6, "lat": 34.7, "crs": "mars"}, "crs")],
)
def test_the_api_rejects_out_of_range_input_naming_the_field(client, small_city, params, field):
    response = api(client, **params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["code"] == f"invalid_{field}"
    assert response.json()["message"]


def test_the_api_rejects_a_missing_or_non_numeric_coordinate(client, small_city):
    response = api(client, lon="east", lat=34.7)
    assert response.status_code == 422
    assert response.json()["field"] == "lon"
    assert api(client, lat=34.7).status_code == 422


def test_the_openapi_schema_documents_the_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/locate"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"lon", "lat", "crs"}
    answer = schema["components"]["schemas"]["LocationOut"]["properties"]
    assert {"outside", "message", "district", "street", "community", "grid", "wgs84"} <= set(answer)
    assert "400" in operation["responses"]
