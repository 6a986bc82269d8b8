"""Reporters' names and phones are erased a set time after their case ends, as an event of the case."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.cases.builders import make_case
from tests.cases.helpers import Api, ok
from urbangrid.cases import retention
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import Action, State, WorkflowError, available, step

pytestmark = pytest.mark.django_db
HOTLINE = {"source": "hotline", "reporter_name": "张先生", "reporter_phone": "13812345678"}


def test_a_finished_case_loses_its_reporter_after_the_retention_time(cast, now, settings):
    settings.CASES_REPORTER_RETENTION_DAYS = 30
    closed = make_case(cast, State.CLOSED, **HOTLINE)
    rejected = make_case(cast, State.REJECTED, **HOTLINE)
    still_open = make_case(cast, State.HANDLING, **HOTLINE)
    assert retention.erase_due(now.move(days=29)).cases == 0
    result = retention.erase_due(now.move(days=2))  # 31 days after they ended
    assert result.cases == 2
    for case in (closed, rejected):
        case.refresh_from_db()
        assert (case.reporter_name, case.reporter_phone, case.state) == ("", "", case.events.last().target)
        last = case.events.last()
        assert (last.action, last.actor_id, last.data) == ("erase_personal_data", None, {
            "erased": ["reporter_name", "reporter_phone"]})
    still_open.refresh_from_db()
    assert still_open.reporter_phone == "13812345678"
    assert retention.erase_due(now.move(days=1)).cases == 0  # nothing left to erase
    call_command("audit", "verify", stdout=io.StringIO())  # the erasure is chained like any other event


def test_the_statistics_keep_the_case(cast, now, settings):
    settings.CASES_REPORTER_RETENTION_DAYS = 1
    case = make_case(cast, State.CLOSED, **HOTLINE)
    before = Case.objects.filter(source="hotline", state="closed", klass=case.klass, grid_code=case.grid_code).count()
    retention.erase_due(now.move(days=2))
    after = Case.objects.filter(source="hotline", state="closed", klass=case.klass, grid_code=case.grid_code).count()
    assert before == after == 1


def test_zero_days_keeps_everything(cast, now, settings):
    settings.CASES_REPORTER_RETENTION_DAYS = 0
    make_case(cast, State.CLOSED, **HOTLINE)
    assert retention.erase_due(now.move(days=3650)).cases == 0
    assert Case.objects.get().reporter_phone == "13812345678"


def test_no_post_may_erase_by_hand(cast):
    for post in Post:
        assert Action.ERASE_PERSONAL_DATA not in available(State.CLOSED, {post})
        with pytest.raises(WorkflowError):
            step(State.CLOSED, Action.ERASE_PERSONAL_DATA, {post})
    case = make_case(cast, State.CLOSED, **HOTLINE)
    refused = Api(cast.zhao).act(case, "erase_personal_data")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_possible"
    assert ok(Api(cast.zhao).get(f"/cases/{case.pk}"))["state"] == "closed"
    assert Case.objects.get().reporter_phone == "13812345678"


def test_the_worker_runs_it_hourly():
    from urbangrid.worker.schedule import JOBS

    assert JOBS[retention.NAME].every == dt.timedelta(hours=1)
