"""In a real browser: a guessed password locks the sign-in; an administrator-set password must be replaced."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from urbangrid.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Right-horse-battery-9"


def watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def sign_in(page, url, username, password):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("section.login button[type=submit]")


def test_five_wrong_passwords_lock_the_sign_in(live_server, page):
    UserFactory(username="zhang", password=PASSWORD)
    errors = watch_console(page)
    login = live_server.url + "/accounts/login/"
    for _ in range(4):
        sign_in(page, login, "zhang", "wrong-guess")
        expect(page.locator("p.error")).to_be_visible()
    sign_in(page, login, "zhang", "wrong-guess")
    expect(page.locator("h1")).to_have_text("登录已锁定")
    expect(page.locator("section.locked")).to_contain_text("30 分钟")
    screenshot(page, "security-locked")
    sign_in(page, login, "zhang", PASSWORD)  # the right password does not help now
    expect(page.locator("h1")).to_have_text("登录已锁定")
    assert [e for e in errors if "429" not in e] == []


def test_a_password_set_by_the_administrator_is_replaced_at_first_sign_in(live_server, page):
    UserFactory(username="wang", password=PASSWORD, must_change_password=True)
    errors = watch_console(page)
    sign_in(page, live_server.url + "/accounts/login/", "wang", PASSWORD)
    expect(page.locator("h1")).to_have_text("修改密码")
    expect(page.locator("p.notice")).to_contain_text("您的密码由管理员设置")
    page.goto(live_server.url + "/work/")  # nothing else opens first
    expect(page.locator("h1")).to_have_text("修改密码")

    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "12345")
    page.fill("#id_new_password2", "12345")
    page.click("section.account-box button[type=submit]")
    expect(page.locator("#new_password2-error")).to_contain_text("密码太短：至少需要 10 个字符。")
    screenshot(page, "security-password-rules")

    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Quiet-river-stone-42")
    page.fill("#id_new_password2", "Quiet-river-stone-42")
    page.click("section.account-box button[type=submit]")
    expect(page.locator("h1")).to_have_text("密码已修改")
    page.get_by_role("link", name="继续").click()
    expect(page).to_have_url(live_server.url + "/work/")
    assert not User.objects.get(username="wang").must_change_password
    assert errors == []


def test_a_dispatcher_turns_on_the_second_factor_with_the_qr_code(live_server, page):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    UserFactory(username="sun", password=PASSWORD)
    errors = watch_console(page)
    sign_in(page, live_server.url + "/accounts/login/", "sun", PASSWORD)
    page.goto(live_server.url + "/accounts/two-factor/")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert page.locator("figure.qr svg").bounding_box()["width"] == 200
    screenshot(page, "security-two-factor-setup")
    device = TOTPDevice.objects.get(user__username="sun")
    page.fill("#id_code", f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
    page.click("section.account-box button[type=submit]")
    expect(page.locator("section.account-box")).to_contain_text("已开启")
    assert errors == []
