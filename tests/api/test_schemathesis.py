"""A property-based run of schemathesis over every /api/v1/ operation: whatever it sends, no server error.

The OpenAPI document is loaded (and so validated) by schemathesis; requests go through Django's WSGI
handler in the test's transaction, with a read-write token of the city-wide intake operator, so the
authenticated operations are exercised past the login check.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.cases.builders import make_case
from urbangrid.api import tokens
from urbangrid.core.workflow import State


@pytest.fixture
def keep_connection():
    """Django's WSGI handler closes the connection after each request; the test's transaction must live on."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def a_case_to_find(db, cast, settings, keep_connection):
    settings.API_RATE_LIMIT = 1_000_000
    make_case(cast, State.DISPATCHED)


# Loaded at collection: reading /api/v1/openapi.json needs no database. (schemathesis' fixture-based loader
# does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def wang_token(cast) -> str:
    return tokens.issue(cast.wang, "schemathesis", scope="write")[1]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_api_fail(case, wang_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {wang_token}"}, checks=[not_a_server_error])
