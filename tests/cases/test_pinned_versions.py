"""A page reads the data versions once (web.middleware.pinned_versions), however many caches it consults."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.builders import make_case
from tests.cases.helpers import Api
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_a_list_of_cases_with_lights_reads_the_versions_once(cast):
    for _ in range(4):
        make_case(cast, State.HANDLING)  # each row's light asks the department's calendar
    api = Api(cast.sun)
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/cases", state="handling").json()
    assert len(body["items"]) == 4
    reads = [q["sql"] for q in queries.captured_queries if "grid_dataversion" in q["sql"]]
    assert len(reads) <= 1, reads
