"""schemathesis over Open311 (/open311/v2/, described in open311_openapi.py): whatever a client sends, no server
error, and every refusal is the standard's error document (errors › error {code, description}) with the HTTP
status as its code, in the format asked for."""

import json
import xml.etree.ElementTree as ET

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.api.test_schemathesis import keep_connection  # noqa: F401 (a fixture)
from tests.cases.builders import make_case
from tests.fuzz.open311_openapi import document
from urbangrid.core.workflow import State
from urbangrid.open311 import keys
from urbangrid.open311.models import Client

KEY = "o311_fuzz_" + "k" * 32
schema = schemathesis.openapi.from_dict(document(KEY))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def a_city_with_cases_and_a_client(db, cast, settings, keep_connection):  # noqa: F811
    settings.API_RATE_LIMIT = 1_000_000
    make_case(cast, State.REPORTED)
    make_case(cast, State.DISPATCHED)
    client, _ = keys.create("fuzz")
    Client.objects.filter(pk=client.pk).update(digest=keys.digest(KEY))


@schemathesis.check
def standard_errors(ctx, response, case):
    """A refusal is errors › error with code and description, in the format of the URL's suffix."""
    if response.status_code < 400:
        return
    seen = f"{case.method} {case.formatted_path} {case.query} → {response.status_code} {response.text[:300]!r}"
    try:
        if case.path_parameters.get("format") == "xml":
            root = ET.fromstring(response.content)
            assert root.tag == "errors"
            codes = [int(error.findtext("code")) for error in root.iter("error")]
            descriptions = [error.findtext("description") for error in root.iter("error")]
        else:
            errors = json.loads(response.content)
            codes = [error["code"] for error in errors]
            descriptions = [error["description"] for error in errors]
    except (ValueError, TypeError, KeyError, AssertionError, ET.ParseError) as error:
        raise AssertionError(f"not the standard's error document: {seen}") from error
    assert codes == [response.status_code] and all(descriptions), seen


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_open311_fail_and_every_refusal_is_a_standard_error(case):
    case.call_and_validate(checks=[not_a_server_error, standard_errors])
