import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.components.conftest import row
from urbangrid.components import nearest
from urbangrid.components.importing import import_components
from urbangrid.components.models import Component
from urbangrid.core.coords import from_wgs84

pytestmark = pytest.mark.django_db

SUPPLY = (113.6605, 34.7695)  # 供水井盖 41010501001000001
SEWER = (113.6606, 34.7695)  # 污水井盖 41010501002000002, about 9 m east
QUERY = (113.66051, 34.7695)  # about 1 m east of the supply cover


@pytest.fixture
def covers(city):
    data = [
        row(1, lon=SUPPLY[0], lat=SUPPLY[1]),
        row(2, class_code="01002", lon=SEWER[0], lat=SEWER[1]),
        row(3, lon=QUERY[0], lat=QUERY[1], status="移除"),  # removed: no longer in the street
    ]
    assert import_components(data).errors == []


def test_nearest_of_any_class_and_of_one_class(covers):
    hit = nearest.nearest(*QUERY)
    assert (hit.identifier, hit.class_code, hit.status) == ("41010501001000001", "01001", "intact")
    assert hit.distance_m == pytest.approx(0.91, abs=0.05)
    hit = nearest.nearest(*QUERY, class_code="01002")
    assert hit.identifier == "41010501002000002"
    assert hit.distance_m == pytest.approx(8.2, abs=0.2)


def test_nothing_within_the_radius(covers):
    assert nearest.nearest(*QUERY, within=5, class_code="01002") is None
    assert nearest.nearest(113.6615, 34.7685) is None
    answer = nearest.answer(113.6615, 34.7685, 30)
    assert answer["found"] is False and "30" in answer["message"]


def test_gcj02_query_point_is_converted(covers):
    hit = nearest.nearest(*from_wgs84(*QUERY, "gcj02"), crs="gcj02")
    assert hit.identifier == "41010501001000001"


def test_index_follows_imports_and_saves(covers):
    far = (113.6615, 34.7685)
    assert nearest.nearest(*far) is None
    import_components([row(4, grid="410105001001004", lon=far[0], lat=far[1])])
    assert nearest.nearest(*far).identifier == "41010501001000004"
    component = Component.objects.get(identifier="41010501001000004")
    component.status = "removed"
    component.save()
    assert nearest.nearest(*far) is None


def test_nearest_on_the_command_line(covers):
    out = StringIO()
    call_command("components", "nearest", str(QUERY[0]), str(QUERY[1]), "--class", "01002", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["found"] is True
    assert answer["component"]["identifier"] == "41010501002000002"
    out = StringIO()
    call_command("components", "nearest", "113.6615", "34.7685", "--within", "10", stdout=out)
    assert json.loads(out.getvalue())["found"] is False
    with pytest.raises(CommandError, match="class_code"):
        call_command("components", "nearest", "113.6615", "34.7685", "--class", "1", stdout=StringIO())


def test_nearest_over_the_api(covers):
    client = Client()
    response = client.get("/api/v1/components/nearest", {"lon": QUERY[0], "lat": QUERY[1], "within": 30})
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["component"]["identifier"] == "41010501001000001"
    response = client.get("/api/v1/components/nearest", {"lon": 113.6615, "lat": 34.7685})
    assert response.json()["found"] is False
    assert response.json()["component"] is None


@pytest.mark.parametrize(
    ("params", "status", "field", "code"),
    [
        ({"lon": 113.66, "lat": 34.77, "within": 5000}, 400, "within", "invalid_within"),
        ({"lon": 113.66, "lat": 34.77, "within": 0}, 400, "within", "invalid_within"),
        ({"lon": 200, "lat": 34.77}, 400, "lon", "invalid_lon"),
        ({"lon": "east", "lat": 34.77}, 422, "lon", "invalid_input"),
        ({"lat": 34.77}, 422, "lon", "invalid_input"),
        ({"lon": 113.66, "lat": 34.77, "class_code": "1"}, 400, "class_code", "invalid_code"),
        ({"lon": 113.66, "lat": 34.77, "crs": "mars"}, 400, "crs", "invalid_crs"),
    ],
)
def test_api_validation_errors_name_the_field(covers, params, status, field, code):
    response = Client(headers={"accept-language": "en"}).get("/api/v1/components/nearest", params)
    assert response.status_code == status
    body = response.json()
    assert (body["field"], body["code"]) == (field, code)
    assert body["message"]


def test_api_messages_are_translated(covers):
    response = Client(headers={"accept-language": "zh-hans"}).get("/api/v1/components/nearest", {"lat": "x"})
    assert "lon" in response.json()["message"]


def test_one_component_over_the_api(covers):
    client = Client()
    response = client.get("/api/v1/components/41010501001000001")
    assert response.status_code == 200
    body = response.json()
    assert body["identifier"] == "41010501001000001"
    assert body["status"] == "完好"
    assert body["initial_date"] == "20240101"
    assert body["street_name"] == "经八路街道"
    assert (body["lon"], body["lat"]) == SUPPLY
    assert client.get("/api/v1/components/41010501001999999").status_code == 404
    bad = client.get("/api/v1/components/4101")
    assert (bad.status_code, bad.json()["field"]) == (400, "identifier")


def test_openapi_describes_the_component_routes(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/components/nearest" in schema["paths"]
    assert "ComponentOut" in schema["components"]["schemas"]
