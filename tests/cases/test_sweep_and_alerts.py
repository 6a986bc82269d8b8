"""Work arriving, outcomes for reporters, and the overdue sweep with its 督办 escalation — all as inbox messages."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tests.cases.builders import make_case
from urbangrid.cases import sweep
from urbangrid.core.workflow import State
from urbangrid.notifications.models import Notification
from urbangrid.worker.models import JobLease

pytestmark = pytest.mark.django_db


def inbox(user, kind=None) -> list[str]:
    messages = Notification.objects.filter(user=user).order_by("id")
    return [m.title for m in (messages.filter(kind=kind) if kind else messages)]


def test_each_post_hears_when_the_case_waits_for_it(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cast, State.DISPATCHED)
    assert inbox(cast.zhou, "task") == [f"案卷 {case.number}：已派遣"]
    assert inbox(cast.wu) == []  # another department
    assert inbox(cast.sun, "task") == [f"案卷 {case.number}：立案"]  # his turn after 立案, not after his own 派遣


def test_the_reporter_learns_the_outcome_when_the_case_is_closed(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cast, State.CLOSED)
    assert f"你上报的问题 {case.number}：结案" in inbox(cast.li, "outcome")


def test_the_sweep_reports_each_passed_deadline_once_then_escalates(cast, now):
    case = make_case(cast, State.HANDLING)
    assert case.due_at is not None
    assert sweep.sweep(now()).overdue == 0
    first = sweep.sweep(case.due_at + dt.timedelta(minutes=1))
    assert (first.overdue, first.escalated) == (1, 0)
    assert inbox(cast.zhou, "overdue") == [f"超期：案卷 {case.number}（处置中）"]
    assert sweep.sweep(case.due_at + dt.timedelta(minutes=2)).overdue == 0  # told once, not every minute
    late = sweep.sweep(case.due_at + dt.timedelta(hours=24, minutes=1))
    assert (late.overdue, late.escalated) == (0, 1)
    assert len(inbox(cast.zhao, "escalation")) == 1
    assert inbox(cast.wu) == []


def test_a_closed_case_is_never_reported_overdue(cast, now):
    case = make_case(cast, State.CLOSED)
    sweep.sweep(now())
    result = sweep.sweep(now() + dt.timedelta(days=30))
    assert result.overdue == 0 and not Notification.objects.filter(case_id=case.pk, kind="overdue").exists()


def test_the_worker_runs_the_sweep(cast):
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "overdue: ok" in out.getvalue()
    assert JobLease.objects.get(name="overdue").last_error == ""
