"""核实 and 核查 done on the phone: the case moves through cases.actions, once, whatever the queue resends."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.builders import make_case
from tests.field.images import plain
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State
from urbangrid.field.models import TaskReceipt

pytestmark = pytest.mark.django_db


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.jpg", plain("JPEG"), "image/jpeg")


def test_my_tasks_list_the_checks_and_verifications_of_my_grids_with_deadline_and_light(phone, cast):
    checking, verifying = make_case(cast, State.CHECKING), make_case(cast, State.VERIFYING)
    make_case(cast, State.HANDLING)  # not a collector's task
    tasks = {t["id"]: t for t in phone.get("bootstrap").json()["tasks"]}
    assert set(tasks) == {checking.pk, verifying.pk}
    assert tasks[checking.pk]["light"] in ("green", "yellow", "red") and tasks[checking.pk]["due"]


def test_a_check_done_on_the_phone_advances_the_case(phone, cast):
    case = make_case(cast, State.CHECKING)
    response = phone.post(f"tasks/{case.pk}", {"key": "t-1", "action": "pass_check", "state": "checking"},
                          {"evidence": [photo()]})
    assert response.json() == {"case": case.pk, "state": "checked", "repeated": False}
    case.refresh_from_db()
    assert case.state == State.CHECKED and case.events.last().attachments.count() == 1


def test_the_same_result_sent_again_is_answered_without_acting_again(phone, cast):
    case = make_case(cast, State.CHECKING)
    fields = {"key": "t-2", "action": "rework", "state": "checking", "reason": "井盖仍未盖好"}
    phone.post(f"tasks/{case.pk}", fields, {"evidence": [photo()]})
    events = Case.objects.get(pk=case.pk).events.count()
    again = phone.post(f"tasks/{case.pk}", fields, {"evidence": [photo()]})
    assert again.json()["repeated"] is True
    assert Case.objects.get(pk=case.pk).events.count() == events
    assert TaskReceipt.objects.count() == 1


def test_an_action_that_is_no_task_result_is_refused(phone, cast):
    case = make_case(cast, State.CHECKING)
    response = phone.post(f"tasks/{case.pk}", {"key": "t-3", "action": "close", "state": "checking"})
    assert (response.status_code, response.json()["field"]) == (422, "action")
    assert Case.objects.get(pk=case.pk).state == State.CHECKING


def test_a_verification_needs_a_photo(phone, cast):
    case = make_case(cast, State.VERIFYING)
    response = phone.post(f"tasks/{case.pk}", {"key": "t-6", "action": "verify", "state": "verifying"})
    assert (response.status_code, response.json()["field"]) == (422, "attachments")


def test_a_result_for_a_case_that_moved_on_is_refused_and_changes_nothing(phone, cast):
    case = make_case(cast, State.VERIFYING)
    response = phone.post(f"tasks/{case.pk}", {"key": "t-7", "action": "pass_check", "state": "checking"},
                          {"evidence": [photo()]})
    assert (response.status_code, response.json()["code"]) == (409, "not_possible")
    assert Case.objects.get(pk=case.pk).state == State.VERIFYING and not case.attachments.exists()
