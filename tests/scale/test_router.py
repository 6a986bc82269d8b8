"""The replica router without a replica: everything reads from and writes to the primary."""

import pytest
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from urbangrid import dbrouter
from urbangrid.accounts.models import User
from urbangrid.evaluation.models import Tally

pytestmark = pytest.mark.django_db


def test_without_a_replica_reads_stay_on_the_primary():
    assert not dbrouter.configured()
    router = dbrouter.ReplicaRouter()
    with dbrouter.replica_reads() as on_replica:
        assert on_replica is False
        assert router.db_for_read(Tally) is None
        with CaptureQueriesContext(connections["default"]) as queries:
            Tally.objects.count()
        assert len(queries) == 1
    assert router.db_for_write(Tally) == "default"
    assert router.allow_migrate("replica", "cases") is False and router.allow_migrate("default", "cases") is True


def test_inside_replica_reads_only_the_read_heavy_apps_are_routed(monkeypatch):
    router = dbrouter.ReplicaRouter()
    monkeypatch.setattr(dbrouter, "_usable", lambda: True)  # as if a replica answered
    with dbrouter.replica_reads():
        assert router.db_for_read(Tally) == dbrouter.REPLICA
        assert router.db_for_read(User) is None  # who is signed in: always the primary
        assert router.db_for_write(Tally) == "default"
    assert router.db_for_read(Tally) is None


def test_the_middleware_passes_requests_through_without_a_replica():
    handler = dbrouter.middleware(lambda request: ("served", dbrouter._reading.get()))
    assert handler(RequestFactory().get("/evaluation/")) == ("served", False)
