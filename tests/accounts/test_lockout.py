"""Five wrong passwords lock a user name at an address for 30 minutes, on the workbench and the admin sign-in."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import UserFactory
from urbangrid.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "Right-horse-battery-9"
WORKBENCH, ADMIN = "/accounts/login/", "/admin/login/"


def attempt(client, url, username, password, ip="10.1.1.1", **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip,
                       headers={"accept-language": "zh-hans", **headers})


@pytest.mark.parametrize("url", [WORKBENCH, ADMIN])
def test_five_failures_lock_the_name_at_the_address_even_for_the_right_password(url):
    UserFactory(username="zhang", password=PASSWORD, is_staff=True)
    client = Client()
    for _ in range(4):
        response = attempt(client, url, "zhang", "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = attempt(client, url, "zhang", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已锁定" in page and "30 分钟" in page and "zhang" in page
    assert "locked" not in page.lower().replace("class=\"account-box locked\"", "")  # no English left over

    again = attempt(client, url, "zhang", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another address may still sign in as zhang, and the address may still sign in as someone else.
    assert attempt(Client(), url, "zhang", PASSWORD, ip="10.2.2.2").status_code == 302
    UserFactory(username="li", password=PASSWORD, is_staff=True)
    assert attempt(Client(), url, "li", PASSWORD).status_code == 302


def test_the_lock_lifts_after_thirty_minutes():
    UserFactory(username="zhang", password=PASSWORD)
    client = Client()
    for _ in range(5):
        attempt(client, WORKBENCH, "zhang", "wrong")
    assert attempt(client, WORKBENCH, "zhang", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29))
    assert attempt(client, WORKBENCH, "zhang", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    assert attempt(client, WORKBENCH, "zhang", PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures():
    UserFactory(username="zhang", password=PASSWORD)
    client = Client()
    for _ in range(4):
        attempt(client, WORKBENCH, "zhang", "wrong")
    assert attempt(client, WORKBENCH, "zhang", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert attempt(client, WORKBENCH, "zhang", "wrong").status_code == 200


def test_the_lockout_page_speaks_english_to_an_english_browser():
    UserFactory(username="zhang", password=PASSWORD)
    client = Client()
    for _ in range(5):
        response = attempt(client, WORKBENCH, "zhang", "wrong", **{"accept-language": "en"})
    client.cookies.load({"django_language": "en"})
    response = attempt(client, WORKBENCH, "zhang", "wrong", **{"accept-language": "en"})
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "30 minutes" in response.content.decode()


def test_failures_and_the_lockout_are_in_the_audit_log():
    UserFactory(username="zhang", password=PASSWORD)
    client = Client()
    for _ in range(5):
        attempt(client, WORKBENCH, "zhang", "wrong", ip="10.9.9.9")
    failed = AuditEntry.objects.filter(kind="login_failed")
    assert failed.count() == 5
    assert {(e.ip, e.detail["username"]) for e in failed} == {("10.9.9.9", "zhang")}
    locked = AuditEntry.objects.get(kind="locked_out")
    assert (locked.ip, locked.detail) == ("10.9.9.9", {"username": "zhang"})
