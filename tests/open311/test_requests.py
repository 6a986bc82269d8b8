"""Open311 reads and the common extensions: paging, bbox, extensions=true, media URLs, tokens, discovery."""

import xml.etree.ElementTree as ET

import pytest

from tests.cases.builders import make_case, photo
from tests.cases.helpers import GRID1, GRID4
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


def test_extensions_give_the_detailed_state_and_the_update_history_without_names(client, cast):
    case = make_case(cast, State.DISPATCHED)
    [plain] = client.get(f"/open311/v2/requests/{case.number}.json").json()
    assert "notes" not in plain and plain["agency_responsible"] == "金水区市政局"
    [found] = client.get(f"/open311/v2/requests/{case.number}.json?extensions=true").json()
    assert found["extended_attributes"]["detailed_status"] == "dispatched"
    assert [n["type"] for n in found["notes"]] == [e.action for e in case.events.all()]
    assert found["notes"][-1]["agency"] == "指挥中心"
    assert found["status_notes"] == "按职责派遣"
    assert "李" not in str(found) and "孙" not in str(found)  # no staff or reporter names in public


def test_paging_and_the_list_of_ids(client, cast):
    cases = [make_case(cast, State.OPEN) for _ in range(3)]
    newest_first = [c.number for c in reversed(cases)]
    assert ids(client.get("/open311/v2/requests.json?page_size=2")) == newest_first[:2]
    assert ids(client.get("/open311/v2/requests.json?page_size=2&page=2")) == newest_first[2:]
    wanted = f"{cases[0].number},{cases[2].number}"
    assert sorted(ids(client.get(f"/open311/v2/requests.json?service_request_id={wanted}&status=closed"))) == sorted(
        [cases[0].number, cases[2].number])  # a list of ids overrides the other arguments


def test_bbox_and_service_code_filters(client, cast):
    north_west = make_case(cast, State.OPEN, lon=GRID1[0], lat=GRID1[1])
    south_east = make_case(cast, State.OPEN, lon=GRID4[0], lat=GRID4[1], class_code="06001")
    box = f"{GRID4[0] - 0.0002},{GRID4[1] - 0.0002},{GRID4[0] + 0.0002},{GRID4[1] + 0.0002}"
    assert ids(client.get(f"/open311/v2/requests.json?bbox={box}")) == [south_east.number]
    both = sorted([north_west.number, south_east.number])  # 立案 classified both as 06001
    assert sorted(ids(client.get("/open311/v2/requests.json?service_code=06001,06002"))) == both
    assert ids(client.get("/open311/v2/requests.json?service_code=06002")) == []
    assert north_west.number in ids(client.get("/open311/v2/requests.json"))


def test_dates_bound_the_list(client, cast, now):
    case = make_case(cast, State.OPEN)
    assert ids(client.get("/open311/v2/requests.json?start_date=2026-11-30T00:00:00%2B08:00")) == [case.number]
    assert ids(client.get("/open311/v2/requests.json?end_date=2026-11-29T23:59:59Z")) == []


def test_photos_are_media_urls(client, cast):
    case = make_case(cast, State.OPEN)
    picture = photo(case, cast.li)
    [found] = client.get(f"/open311/v2/requests/{case.number}.json?extensions=true").json()
    assert found["media_url"] == f"http://testserver/open311/v2/media/{picture.pk}"
    assert found["extended_attributes"]["media_urls"] == [found["media_url"]]
    image = client.get(found["media_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_retried_post_with_the_same_key_returns_the_same_request_and_the_token_finds_it(client, cast, api_key):
    form = {"api_key": api_key, "service_code": "06001", "lat": GRID1[1], "long": GRID1[0], "description": "棚子"}
    first = client.post("/open311/v2/requests.json", form, HTTP_IDEMPOTENCY_KEY="app-42")
    again = client.post("/open311/v2/requests.json", {**form, "idempotency_key": "app-42"})
    assert (first.status_code, again.status_code) == (201, 200)
    number = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == number
    [token] = client.get("/open311/v2/tokens/app-42.json").json()
    assert token == {"service_request_id": number, "token": "app-42"}
    assert client.get("/open311/v2/tokens/app-43.json").status_code == 404


def test_discovery_in_both_formats(client, cast):
    found = client.get("/open311/v2/discovery.json").json()
    [endpoint] = found["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "text/xml; charset=utf-8" in endpoint["formats"]
    root = ET.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None
    assert root.find("changeset").text == found["changeset"]


def test_the_service_list_in_xml_has_the_standard_shape(client, cast):
    root = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services"
    first = root.find("service")
    assert [child.tag for child in first] == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    assert first.find("metadata").text in ("true", "false")
