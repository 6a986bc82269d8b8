"""The authenticator-app (django-otp TOTP) admin pages in Chinese: fieldset titles, field names, help texts, the
QR-code link and page, none left in the package's English; in English they read as the package wrote them."""

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from urbangrid.audit.twofactor_admin import HELP, TITLES

pytestmark = pytest.mark.django_db
with translation.override("en"):
    ENGLISH = [*map(str, HELP.values()), *TITLES, "QR Code", "Install", "or use the URL below", "Key:", "Drift:"]


def pages(language: str) -> str:
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="手机", confirmed=False)  # confirmed: asks for a code
    client = Client(headers={"accept-language": language})
    client.force_login(admin)
    urls = ["/admin/", "/admin/otp_totp/totpdevice/", "/admin/otp_totp/totpdevice/add/",
            f"/admin/otp_totp/totpdevice/{device.pk}/change/", f"/admin/otp_totp/totpdevice/{device.pk}/config/"]
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found.append(response.content.decode())
    return "\n".join(found)


def test_the_totp_admin_speaks_chinese():
    html = pages("zh-hans")
    left = [text for text in ENGLISH if text.replace("'", "&#x27;") in html]
    assert left == []
    for chinese in ("基本信息", "二维码", "该设备所属的用户。", "失败次数", "模型名称"):
        assert chinese in html


def test_in_english_the_package_wording_stays():
    html = pages("en")
    assert "The user that this device belongs to." in html and "Throttling" in html and "QR code" in html
