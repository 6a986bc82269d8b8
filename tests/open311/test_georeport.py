"""The third-party `georeport` client (PyPI) against a live server, in JSON and in XML.

It lists the services, reads a definition and reads requests; a form-encoded POST creates a case that
the client then reads back. (georeport does not post, so the POST is a plain form-encoded request.)
"""

import pytest
import requests
from georeport import GeoReport

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

# The catalogue comes from a data migration: a live server's test flushes the database, so keep it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FORMATS = ["json", "xml"]


def as_list(found):
    return found if isinstance(found, list) else [found]  # xmltodict gives a dict for one element


@pytest.mark.parametrize("fmt", FORMATS)
def test_georeport_lists_services_and_reads_a_definition(live_server, cast, fmt):
    client = GeoReport(live_server.url + "/open311/v2", output_format=fmt)
    services = {s["service_code"]: s for s in as_list(client.get_service_list())}
    assert services["06001"]["service_name"] == "私搭乱建"
    assert str(services["06001"]["metadata"]).lower() == "true"
    assert services["01001"]["type"] == "realtime"
    definition = client.get_service_definition("01001")
    attributes = {a["code"]: a for a in as_list(definition["attributes"]["attribute"] if fmt == "xml"
                                                 else definition["attributes"])}
    assert str(attributes["component"]["variable"]).lower() == "true"
    assert str(attributes["condition_1"]["variable"]).lower() == "false"
    assert "供水井盖缺失" in attributes["condition_1"]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_georeport_reads_requests_and_one_request(live_server, cast, fmt):
    open_case = make_case(cast, State.OPEN, class_code="06001")
    closed = make_case(cast, State.CLOSED)
    client = GeoReport(live_server.url + "/open311/v2", output_format=fmt)
    found = {r["service_request_id"]: r for r in as_list(client.get_service_requests())}
    assert found[open_case.number]["status"] == "open"
    assert found[closed.number]["status"] == "closed"
    assert found[open_case.number]["service_code"] == "06001"
    assert found[open_case.number]["requested_datetime"].endswith("+08:00")
    only_closed = as_list(client.get_service_requests(status="closed"))
    assert [r["service_request_id"] for r in only_closed] == [closed.number]
    one = client.get_service_request(open_case.number)
    assert one["service_request_id"] == open_case.number
    assert float(one["lat"]) == pytest.approx(GRID1[1])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_form_encoded_post_creates_a_case_the_client_reads_back(live_server, cast, api_key, fmt):
    form = {
        "api_key": api_key, "service_code": "06001", "lat": str(GRID1[1]), "long": str(GRID1[0]),
        "description": "人行道上正在搭建违章棚子", "address_string": "经八路 1 号", "first_name": "小明",
        "last_name": "张", "phone": "13800000000",
    }
    response = requests.post(f"{live_server.url}/open311/v2/requests.{fmt}", data=form, timeout=30)
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
    case = Case.objects.get()
    assert (case.source, case.klass.code, case.reporter.username) == ("public", "06001", "open311-citizen-app")
    assert (case.reporter_name, case.reporter_phone, case.address) == ("张小明", "13800000000", "经八路 1 号")
    assert case.events.get().action == "report"
    assert case.number in response.text
    # Not yet reviewed: unpublished, but the client that sent it reads it with its key (georeport sends none).
    with pytest.raises(Exception):  # noqa: B017 (georeport raises requests' HTTPError or its own)
        GeoReport(live_server.url + "/open311/v2", output_format=fmt).get_service_request(case.number)
    mine = requests.get(f"{live_server.url}/open311/v2/requests/{case.number}.json", {"api_key": api_key}, timeout=30)
    [read] = mine.json()
    assert read["description"] == "人行道上正在搭建违章棚子"
    assert "13800000000" not in str(read) and "小明" not in str(read)  # no reporter's data even to its client
