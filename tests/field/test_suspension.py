"""Only certified collectors submit (art. 16); the centre suspends a collector or a whole company (arts. 15, 34)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1, Api
from tests.field.images import plain
from urbangrid.accounts.models import CollectorProfile, Suspension
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db
REPORT = {"kind": "matter", "class_code": "06001", "lon": GRID1[0], "lat": GRID1[1], "description": "违章搭建"}


def send(phone, key: str):
    return phone.post("reports", {**REPORT, "key": key})


def test_a_suspended_collector_is_refused_at_once_and_keeps_their_history(phone, cast):
    earlier = make_case(cast, State.REPORTED)
    Suspension.objects.create(collector=cast.li, reason="多次虚报", by=cast.zhao)
    response = send(phone, "s-1")
    assert response.status_code == 403
    assert "暂停" in response.json()["error"] and "多次虚报" in response.json()["error"]
    assert list(Case.objects.all()) == [earlier]


def test_suspending_the_company_stops_its_collectors_and_lifting_it_lets_them_report_again(phone, cast):
    company = cast.li.appointments.get().organisation
    suspension = Suspension.objects.create(company=company, reason="合同到期", by=cast.zhao)
    refused = send(phone, "s-2")
    assert refused.status_code == 403 and "公司" in refused.json()["error"]
    suspension.lifted_at = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    suspension.save()
    assert send(phone, "s-3").status_code == 201
    assert Suspension.objects.count() == 1  # the record stays


def test_a_suspended_collector_can_no_longer_do_their_tasks(phone, cast):
    case = make_case(cast, State.CHECKING)
    Suspension.objects.create(collector=cast.li, reason="调查中")
    photo = SimpleUploadedFile("p.jpg", plain("JPEG"), "image/jpeg")
    response = phone.post(f"tasks/{case.pk}", {"key": "s-4", "action": "pass_check", "state": "checking"},
                          {"evidence": [photo]})
    assert response.status_code == 403  # Li still sees the case he reported; he may no longer act on it
    assert Case.objects.get(pk=case.pk).state == State.CHECKING


def test_an_expired_certificate_is_named_with_its_date(cast):
    CollectorProfile.objects.filter(user=cast.li).update(certificate_expires=dt.date(2026, 6, 30))
    response = Api(cast.li).report()
    assert response.status_code == 403
    assert "2026-06-30" in response.json()["message"] and "第十六条" in response.json()["message"]


def test_a_collector_without_a_certificate_is_told_to_register_one(cast):
    CollectorProfile.objects.filter(user=cast.li).update(certificate_no="")
    response = Api(cast.li).report()
    assert response.status_code == 403 and "登记" in response.json()["message"]


def test_the_phone_is_told_at_start_of_a_suspension_or_an_invalid_certificate(phone, cast):
    assert phone.get("bootstrap").json()["user"]["suspended"] is None
    Suspension.objects.create(collector=cast.li, reason="调查中")
    assert phone.get("bootstrap").json()["user"]["suspended"] == "调查中"
    CollectorProfile.objects.filter(user=cast.li).update(certificate_expires=dt.date(2020, 1, 1))
    assert phone.get("bootstrap").json()["user"]["certificate"] == {
        "number": "ZZ-2026-001", "expires": "2020-01-01", "valid": False}
