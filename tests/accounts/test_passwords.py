"""Password rules, the forced change of a password someone else chose, and the session's limits."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tests.factories import UserFactory
from urbangrid.accounts.middleware import LOGIN_AT
from urbangrid.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Right-horse-battery-9"


def login(username, password=PASSWORD, next_url="") -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    response = client.post(f"/accounts/login/?next={next_url}", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.mark.parametrize(("password", "message"), [
    ("Ab3$efgh", "密码太短：至少需要 10 个字符。"),
    ("password123", "这是最常用的密码之一，不能使用。"),
    ("4839201734", "密码不能全是数字。"),
    ("zhang2026ab", "密码与您的用户名太相似。"),
    ("Wang-Xiaoming", "密码与您的名称太相似。"),
])
def test_weak_passwords_are_refused_in_chinese(password, message):
    user = User(username="zhang2026", display_name="Wang Xiaoming")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password, user)
    assert message in refused.value.messages


def test_a_good_password_passes():
    password_validation.validate_password(PASSWORD, User(username="wangxiaoming"))


def test_a_forced_user_goes_to_the_password_page_until_the_password_is_changed():
    UserFactory(username="zhang", password=PASSWORD, must_change_password=True)
    client = login("zhang", next_url="/work/")
    page = client.get("/work/")
    assert page.status_code == 302 and page["Location"] == "/accounts/password/?next=%2Fwork%2F"
    assert client.get("/map/").status_code == 302
    api = client.get("/api/v1/cases")
    assert api.status_code == 403 and "修改密码" in api.json()["detail"]

    form = client.get("/accounts/password/?next=/work/")
    assert "您的密码由管理员设置" in form.content.decode()
    short = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "short",
                                                "new_password2": "short", "next": "/work/"})
    assert short.status_code == 200 and "密码太短" in short.content.decode()
    assert User.objects.get(username="zhang").must_change_password

    new = "Quiet-river-stone-42"
    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new,
                                               "new_password2": new, "next": "/work/"})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/done/?next=%2Fwork%2F"
    assert 'href="/work/"' in client.get(done["Location"]).content.decode()
    user = User.objects.get(username="zhang")
    assert not user.must_change_password and user.check_password(new)
    assert client.get("/work/").status_code == 200  # still signed in, and free to work


def test_a_forced_user_may_still_sign_out():
    UserFactory(username="zhang", password=PASSWORD, must_change_password=True)
    client = login("zhang")
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


NO_INLINES = {f"{prefix}-{field}": value for prefix in ("appointments", "collector")
              for field, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MAX_NUM_FORMS", 1000))}


def test_an_account_made_or_reset_in_the_admin_must_change_its_password():
    UserFactory(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    admin = login("root")
    response = admin.post("/admin/accounts/user/add/", {
        "username": "newcomer", "password1": "Fresh-apple-tree-77", "password2": "Fresh-apple-tree-77",
        "usable_password": "true", **NO_INLINES,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.must_change_password

    newcomer.must_change_password = False
    newcomer.save()
    reset = admin.post(f"/admin/accounts/user/{newcomer.pk}/password/", {
        "password1": "Other-apple-tree-78", "password2": "Other-apple-tree-78", "usable_password": "true",
    })
    assert reset.status_code == 302, reset.content.decode()[:3000]
    assert User.objects.get(username="newcomer").must_change_password


def test_an_ordinary_user_is_not_sent_to_the_password_page():
    UserFactory(username="zhang", password=PASSWORD)
    assert login("zhang").get("/work/").status_code == 200


def test_the_session_ends_after_idle_time_and_after_its_lifetime():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    UserFactory(username="zhang", password=PASSWORD)
    client = login("zhang")
    assert client.get("/work/").status_code == 200
    session = client.session
    assert time.time() - session[LOGIN_AT] < 60
    session[LOGIN_AT] = time.time() - settings.SESSION_MAX_SECONDS - 1
    session.save()
    expired = client.get("/work/")
    assert expired.status_code == 302 and expired["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_lifetime_ends_an_api_session_with_401():
    UserFactory(username="zhang", password=PASSWORD)
    client = login("zhang")
    session = client.session
    session[LOGIN_AT] = time.time() - settings.SESSION_MAX_SECONDS - 1
    session.save()
    assert client.get("/api/v1/cases").status_code == 401


def test_cookies_are_http_only_and_never_framed():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.X_FRAME_OPTIONS == "DENY"
    assert Permission.objects.exists()  # the database is there: the settings above are the ones in force
