"""Optimistic concurrency: an action on a version the case has moved past is refused and writes nothing."""

import threading

import pytest
from django.db import connection

from tests.cases.builders import DISPATCH_REASON, make_case
from tests.cases.helpers import Api
from urbangrid import db
from urbangrid.cases import actions
from urbangrid.cases.errors import StaleCase
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core.workflow import State


@pytest.mark.django_db
def test_a_stale_version_gets_409_and_nothing_is_written(cast):
    case = make_case(cast, State.OPEN)
    events = case.events.count()
    response = Api(cast.sun).act(case, "dispatch", version=case.version - 1,
                                 department_id=cast.shizheng.pk, reason=DISPATCH_REASON)
    assert response.status_code == 409
    assert response.json()["code"] == "stale_case"
    assert str(case.version) in response.json()["message"]
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version, fresh.events.count()) == ("open", case.version, events)


@pytest.mark.django_db
def test_the_second_of_two_operators_with_the_same_version_is_told_to_reload(cast):
    case = make_case(cast, State.REPORTED)
    seen = case.version
    assert Api(cast.wang).act(case, "accept", version=seen).status_code == 200
    second = Api(cast.wang).act(case, "reject", version=seen, reason="重复")
    assert (second.status_code, second.json()["code"]) == (409, "stale_case")
    assert Case.objects.get(pk=case.pk).state == "accepted"


# Real threads need real commits: a transactional test, whose flush restores the migrated catalogue after.
@pytest.mark.skipif(db.vendor() != "postgresql", reason="SQLite serialises writers with its database lock")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_exactly_one_of_two_simultaneous_dispatches_wins(cast):
    case = make_case(cast, State.OPEN)
    barrier, results = threading.Barrier(2), []

    def dispatch(department):
        try:
            barrier.wait()
            actions.act(case.pk, cast.sun, "dispatch", case.version, department_id=department.pk,
                        reason=DISPATCH_REASON)
            results.append("ok")
        except StaleCase:
            results.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch, args=(d,)) for d in (cast.shizheng, cast.yuanlin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "stale"]
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    assert Case.objects.get(pk=case.pk).version == case.version + 1
