"""A lost or stolen phone: the centre revokes it; its session ends and its outbox's token is refused."""

import pytest
from django.test import Client

from tests.cases.helpers import GRID1
from tests.field.conftest import Phone
from urbangrid.accounts import devices
from urbangrid.accounts.models import Device
from urbangrid.cases.models import Case

pytestmark = pytest.mark.django_db
REPORT = {"kind": "matter", "class_code": "06001", "lon": GRID1[0], "lat": GRID1[1], "description": "违章搭建"}


def test_only_a_hash_of_the_token_is_kept(phone):
    device = Device.objects.get()
    assert phone.token not in device.token_hash and device.token_hash == devices.token_hash(phone.token)


def test_the_token_alone_sends_the_outbox_after_the_session_ended(phone):
    phone.client.logout()
    response = phone.post("reports", {**REPORT, "key": "d-1"})
    assert response.status_code == 201 and Case.objects.get().reporter == phone.user


def test_a_revoked_phone_loses_its_session_and_its_outbox_token(phone, cast):
    devices.revoke(Device.objects.get(), cast.zhao)
    assert phone.client.get("/field/").status_code == 302  # signed out: to the sign-in page
    response = phone.post("reports", {**REPORT, "key": "d-2"})
    assert response.status_code == 401 and response.json()["revoked"] is True
    assert not Case.objects.exists()
    assert Device.objects.get().revoked_by == cast.zhao


def test_revoking_one_phone_leaves_the_others_working(cast):
    lost, kept = Phone(cast.li), Phone(cast.li)
    devices.revoke(Device.objects.get(token_hash=devices.token_hash(lost.token)), cast.zhao)
    assert kept.post("reports", {**REPORT, "key": "d-3"}).status_code == 201
    assert lost.post("reports", {**REPORT, "key": "d-4"}).status_code == 401


def test_a_token_is_refused_with_someone_elses_session(phone, cast):
    other = Client()
    other.force_login(cast.wang)
    response = other.post("/field/api/reports", {**REPORT, "key": "d-5"}, headers=phone.headers())
    assert response.status_code == 401


def test_the_admin_action_revokes_the_selected_phones(phone, cast, admin_client):
    device = Device.objects.get()
    response = admin_client.post("/admin/accounts/device/", {"action": "revoke", "_selected_action": [device.pk]})
    assert response.status_code == 302
    assert Device.objects.get().revoked_at is not None
    assert phone.get("bootstrap").status_code == 401
