"""The collectors' field app (城管通) on a phone-sized screen (390×844) in headless Chromium.

监督员 Li signs in, reports a problem with a camera photo that carries EXIF GPS, loses the network, reports a
second one (kept in the outbox and shown there), gets the network back: the outbox empties and exactly two
cases exist, the first with the photo's position kept as evidence. Then Li does a 核查 task on the phone and
the case moves on. Screenshots go to test-artifacts/; the browser must log no error on the way.
"""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.cases.builders import make_case
from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from tests.cases.helpers import GRID1
from tests.e2e.conftest import screenshot
from tests.field.images import camera_photo
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "test-pass-123"


@pytest.fixture
def phone(browser):
    """A 390×844 phone in Chinese, standing in grid 1, that records every console error and uncaught exception."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        geolocation={"longitude": GRID1[0], "latitude": GRID1[1]}, permissions=["geolocation"],
    )
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and "net::ERR_INTERNET_DISCONNECTED" not in m.text
            and page.errors.append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(camera_photo(GRID1[0], GRID1[1], datetime(2026, 11, 30, 8, 55), size=(800, 600)))
    return path


def report(page, description: str, photo) -> None:
    page.get_by_role("tab", name="上报").click()
    page.fill("#class-search", "sdlj")  # pinyin initials of 私搭乱建
    page.locator("#class-results button[data-code='06001']").click()
    expect(page.locator("#class-chosen")).to_contain_text("06001")
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("#lon")).not_to_have_value("")
    page.set_input_files("#photo-evidence", str(photo))
    expect(page.locator("#previews img")).to_have_count(1)
    page.fill("#description", description)
    page.get_by_role("button", name="发送上报").click()


def test_a_collector_reports_online_and_offline_and_does_a_check(live_server, phone, cast, photo_file):  # noqa: F811
    page, base = phone, live_server.url
    checking = make_case(cast, State.CHECKING)
    before = set(Case.objects.values_list("pk", flat=True))

    page.goto(base + "/field/")
    page.fill("#id_username", "li")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.locator(".bar h1")).to_have_text("城管通")
    expect(page.locator("#tasks li")).to_have_count(1)
    expect(page.locator("#grid-legend")).to_contain_text("410105001001001")
    for _ in range(50):  # until the service worker has cached the shell and controls the page
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(200)
    screenshot(page, "field-tasks")

    report(page, "人行道上正在搭建违章棚子", photo_file)
    expect(page.locator("#report-result")).to_contain_text("已发送：案卷")
    expect(page.locator("#place")).to_have_text("")  # the form is cleared for the next report
    screenshot(page, "field-report-sent")

    page.context.set_offline(True)
    expect(page.locator("#net")).to_contain_text("离线")
    report(page, "绿地里堆放建筑垃圾并搭棚", photo_file)
    expect(page.locator("#report-result")).to_contain_text("无网络")
    expect(page.locator("#queue-count")).to_have_text("1")
    page.get_by_role("tab", name="待发送").click()
    expect(page.locator("#queue li")).to_have_count(1)
    expect(page.locator("#queue li")).to_contain_text("绿地里堆放建筑垃圾")
    screenshot(page, "field-outbox-offline")
    page.reload()  # no network: the service worker serves the cached app shell, the outbox is still there
    expect(page.locator(".bar h1")).to_have_text("城管通")
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("#tasks li")).to_have_count(1)  # from the copy kept for offline use
    cached = page.evaluate("caches.keys().then((keys) => Promise.all(keys.map((k) => caches.open(k)"
                           ".then((c) => c.keys())))).then((lists) => lists.flat().map((r) => r.url))")
    assert any("leaflet/images/marker-icon" in url for url in cached), cached  # the report map's pin, offline
    page.get_by_role("tab", name="待发送").click()
    assert len(set(Case.objects.values_list("pk", flat=True)) - before) == 1

    page.context.set_offline(False)
    expect(page.locator("#queue-count")).to_have_text("0", timeout=15000)
    expect(page.locator("#queue-empty")).to_be_visible()
    new = Case.objects.exclude(pk__in=before).order_by("pk")
    assert [c.description for c in new] == ["人行道上正在搭建违章棚子", "绿地里堆放建筑垃圾并搭棚"]
    evidence = new[0].attachments.get()
    assert (round(evidence.photo_lon, 4), round(evidence.photo_lat, 4)) == (round(GRID1[0], 4), round(GRID1[1], 4))
    assert evidence.taken_at is not None and evidence.width == 800

    page.get_by_role("tab", name="我的任务").click()
    task = page.locator(f"#tasks li[data-case='{checking.pk}']")
    task.get_by_label("核查通过").check()
    task.locator("input[type=file]").set_input_files(str(photo_file))
    task.get_by_role("button", name="发送结果").click()
    expect(page.locator("#banner")).to_contain_text(f"结果已发送：案卷 {checking.number}")
    screenshot(page, "field-check-done")
    checking.refresh_from_db()
    assert checking.state == State.CHECKED
    assert Case.objects.exclude(pk__in=before).count() == 2  # nothing was created twice
    assert page.errors == []


def test_patrol_track_safety_alert_and_a_point_outside_the_city(live_server, phone, cast):  # noqa: F811
    from tests.cases.helpers import OUTSIDE
    from urbangrid.field.models import TrackPoint
    from urbangrid.notifications.models import Notification

    page, base = phone, live_server.url
    page.goto(base + "/field/")
    page.fill("#id_username", "li")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.locator("#grid-legend")).to_contain_text("410105001001001")

    page.get_by_role("button", name="开始巡查").click()
    expect(page.locator("#duty")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#duty")).to_have_attribute("data-positions", "1")  # the phone's first fix
    page.get_by_role("button", name="结束巡查").click()
    for _ in range(50):  # the batch goes into the outbox, then out of it
        if TrackPoint.objects.filter(user=cast.li).exists():
            break
        page.wait_for_timeout(200)
    assert list(TrackPoint.objects.filter(user=cast.li).values_list("lon", "lat")) == [GRID1]
    expect(page.locator("#queue-count")).to_have_text("0")

    page.get_by_role("button", name="受阻 / 受威胁").click()
    page.get_by_role("button", name="我受到威胁").click()
    expect(page.locator("#banner")).to_contain_text("已呼救")
    alert = Notification.objects.get(user=cast.zhao, kind="field_alert")
    assert "410105001001001" in alert.body

    page.context.set_geolocation({"longitude": OUTSIDE[0], "latitude": OUTSIDE[1]})
    page.get_by_role("tab", name="上报").click()
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("#place")).to_contain_text("不在本市单元网格内")
    page.fill("#description", "井盖缺失")
    page.get_by_role("button", name="发送上报").click()
    expect(page.locator(".error[data-for='lon lat']")).to_contain_text("不在本市单元网格内")
    expect(page.locator("#queue-count")).to_have_text("0")
    assert page.locator("#description").input_value() == "井盖缺失"  # nothing typed is lost
    screenshot(page, "field-outside")
    assert page.errors == []


def test_a_suspended_collector_is_told_why_next_to_the_form_and_keeps_what_was_typed(live_server, phone, cast,  # noqa: F811
                                                                                     photo_file):
    from urbangrid.accounts.models import Suspension

    page, base = phone, live_server.url
    page.goto(base + "/field/")
    page.fill("#id_username", "li")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.locator("#grid-legend")).to_contain_text("410105001001001")
    Suspension.objects.create(collector=cast.li, reason="虚报问题待查", by=cast.zhao)
    report(page, "路灯不亮", photo_file)
    expect(page.locator(".error[data-for='']")).to_contain_text("监督中心已暂停您的采集上报（虚报问题待查）")
    assert page.locator("#description").input_value() == "路灯不亮"
    expect(page.locator("#queue-count")).to_have_text("0")
    assert not Case.objects.exists()
    screenshot(page, "field-suspended")
    assert [e for e in page.errors if "status of 403" not in e] == []  # the refusal itself is logged


def test_a_phone_reported_lost_sends_nothing_of_its_outbox(live_server, phone, cast, photo_file):  # noqa: F811
    from urbangrid.accounts import devices
    from urbangrid.accounts.models import Device

    page, base = phone, live_server.url
    page.goto(base + "/field/")
    page.fill("#id_username", "li")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.locator("#grid-legend")).to_contain_text("410105001001001")
    page.context.set_offline(True)
    report(page, "井盖缺失", photo_file)
    expect(page.locator("#queue-count")).to_have_text("1")

    devices.revoke(Device.objects.get(user=cast.li), cast.zhao)  # the centre, told the phone was stolen
    page.context.set_offline(False)
    expect(page.locator("#banner")).to_contain_text("已被中心注销", timeout=15000)
    expect(page.locator("#queue-count")).to_have_text("0")
    assert not Case.objects.exists()
    page.reload()
    expect(page.locator("#id_username")).to_be_visible()  # the session ended with the device
    screenshot(page, "field-revoked")
    assert [e for e in page.errors if "status of 401" not in e] == []
