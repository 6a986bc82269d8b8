"""Open311 errors: the standard's `errors › error {code, description}` with 403, 404 and 400, in both formats."""

import xml.etree.ElementTree as ET

import pytest

from tests.cases.helpers import GRID1, OUTSIDE
from urbangrid.cases.models import Case

pytestmark = pytest.mark.django_db


def post(client, fmt="json", **form):
    return client.post(f"/open311/v2/requests.{fmt}", form)


def report_form(api_key, **overrides):
    return {"api_key": api_key, "service_code": "06001", "lat": GRID1[1], "long": GRID1[0],
            "description": "违章搭建", **overrides}


def json_error(response, status):
    assert response.status_code == status, response.content
    [error] = response.json()
    assert error["code"] == status
    return error["description"]


def test_a_post_without_or_with_a_wrong_api_key_is_403(client, cast):
    description = json_error(post(client, service_code="06001", lat=GRID1[1], long=GRID1[0]), 403)
    assert "api_key" in description
    json_error(post(client, **report_form("o311_wrong")), 403)
    assert not Case.objects.exists()


def test_the_error_document_in_xml(client, cast):
    response = post(client, "xml", service_code="06001")
    assert response.status_code == 403
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "403"
    assert root.find("error/description").text


def test_an_unknown_service_code_is_404(client, cast, api_key):
    assert json_error(client.get("/open311/v2/services/99999.json"), 404)
    assert json_error(post(client, **report_form(api_key, service_code="99999")), 404)
    assert json_error(client.get("/open311/v2/requests/2026-1130-999999.json"), 404)


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"service_code": ""}, "service_code"),
        ({"lat": "", "long": ""}, "lat"),
        ({"lat": "", "long": "", "address_string": "经八路 1 号"}, "address"),
        ({"long": ""}, "long"),
        ({"lat": "north"}, "lat"),
        ({"lat": OUTSIDE[1], "long": OUTSIDE[0]}, "long"),
        ({"description": "长" * 4001}, "4000"),
        ({"description": "长" * 2001}, "description"),
        ({"attribute[component]": "123"}, "attribute[component]"),
    ],
)
def test_bad_fields_are_400_with_a_description(client, cast, api_key, overrides, words):
    description = json_error(post(client, **report_form(api_key, **overrides)), 400)
    assert words in description
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["status=pending", "start_date=yesterday", "bbox=1,2,3", "page=0", "page_size=5000",
     "start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z"],
)
def test_bad_query_arguments_are_400(client, cast, query):
    assert json_error(client.get(f"/open311/v2/requests.json?{query}"), 400)


def test_another_jurisdiction_is_404(client, cast, settings):
    settings.OPEN311_JURISDICTION = "zhengzhou.gov.cn"
    assert client.get("/open311/v2/services.json?jurisdiction_id=zhengzhou.gov.cn").status_code == 200
    assert client.get("/open311/v2/services.json").status_code == 200  # one jurisdiction: may be left out
    assert json_error(client.get("/open311/v2/services.json?jurisdiction_id=beijing.gov.cn"), 404)


def test_errors_speak_the_clients_language(client, cast):
    response = client.post("/open311/v2/requests.json", {"service_code": "06001"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    description = response.json()[0]["description"]
    assert "api_key" in description and any("\u4e00" <= ch <= "\u9fff" for ch in description)


def test_a_client_over_the_rate_limit_gets_429_with_retry_after(client, cast, api_key, settings):
    settings.API_RATE_LIMIT = 2
    statuses = [post(client, **report_form(api_key, description=f"棚子 {n}")).status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    refused = post(client, **report_form(api_key))
    assert json_error(refused, 429) and 1 <= int(refused["Retry-After"]) <= 60


def test_a_wrong_method_or_an_unknown_url_is_the_standards_error_too(client, cast):
    response = client.put("/open311/v2/requests.json")
    assert json_error(response, 405) and response["Allow"] == "GET, POST"
    assert json_error(client.post("/open311/v2/discovery.json"), 405)  # no CSRF page: no cookie is involved
    assert json_error(client.get("/open311/v2/discovery.yaml"), 404)
    root = ET.fromstring(client.get("/open311/v2/no/such/thing.xml").content)
    assert root.findtext("error/code") == "404"


def test_control_characters_echoed_back_keep_the_xml_well_formed(client, cast):
    response = client.get("/open311/v2/services/%05%1F.xml")
    assert response.status_code == 404
    assert ET.fromstring(response.content).findtext("error/code") == "404"  # U+FFFD in place of each control
