"""The optional second factor: set up with a QR code, then asked for at every sign-in."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from urbangrid.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "Right-horse-battery-9"


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift) + offset:06d}"[-6:]


def login(username="sun", ip="10.0.0.5") -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    return client


def enrol(client) -> TOTPDevice:
    page = client.get("/accounts/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<script" not in html
    device = TOTPDevice.objects.get(confirmed=False)
    assert re.search(r'<code class="secret">[A-Z2-7]{32}</code>', html)
    wrong = client.post("/accounts/two-factor/", {"code": "12345"})
    assert "请输入应用显示的六位数字" in wrong.content.decode()
    done = client.post("/accounts/two-factor/", {"code": code(device)})
    assert done.status_code == 200 and "从现在起" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_without_a_device_nobody_is_asked_for_a_code():
    UserFactory(username="sun", password=PASSWORD)
    assert login().get("/work/").status_code == 200


def test_set_up_then_every_sign_in_asks_for_the_code():
    UserFactory(username="sun", password=PASSWORD)
    client = login()
    device = enrol(client)
    assert client.get("/work/").status_code == 200  # the session that set it up has shown a code

    again = login()
    page = again.get("/work/")
    assert page.status_code == 302 and page["Location"] == "/accounts/two-factor/verify/?next=%2Fwork%2F"
    assert again.get("/api/v1/cases").status_code == 403
    wrong = again.post("/accounts/two-factor/verify/", {"code": code(device, 1), "next": "/work/"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    failed = AuditEntry.objects.get(kind="login_failed")
    assert failed.actor == "sun" and failed.detail == {"username": "sun", "second_factor": True}
    device.refresh_from_db()
    # A code is good once (the one used to set up is spent), and a wrong one slows the device down: act as if
    # the next 30-second step had come and the pause were over.
    device.last_t -= 1
    device.throttling_failure_timestamp, device.throttling_failure_count = None, 0
    device.save()
    right = again.post("/accounts/two-factor/verify/", {"code": code(device), "next": "/work/"})
    assert right.status_code == 302 and right["Location"] == "/work/"
    assert again.get("/work/").status_code == 200


def test_setting_up_and_removing_a_device_is_audited_without_its_secret():
    UserFactory(username="sun", password=PASSWORD)
    client = login()
    device = enrol(client)
    logged = AuditEntry.objects.filter(object_type="otp_totp.totpdevice").order_by("id")
    assert [e.detail["op"] for e in logged] == ["created", "changed"]
    assert logged[1].detail["changes"] == {"confirmed": [False, True]}
    assert {(e.actor, e.ip) for e in logged} == {("sun", "127.0.0.1")}  # the test client's address
    assert all(device.key not in str(e.detail) for e in logged)
    device.delete()
    assert AuditEntry.objects.filter(object_type="otp_totp.totpdevice", detail__op="deleted").exists()
