"""The 12319 console and the citizens' pages in headless Chromium.

受理员 Wang takes a complaint call at the console (the place found by search, then moved by a click on the map)
and a case is made; a citizen reports from a phone (position from the phone, a photo), the case is in Wang's
受理 queue, and the public status page moves from 已受理 to 处理中 to 已办结 as the case is accepted, dispatched and
closed (through cases.actions); a 回访 with an unsatisfied caller reopens a closed case. No page may log a
browser error (the CSP forbids inline script and style).
"""

import pytest
from playwright.sync_api import expect

from tests.cases.builders import make_case, walk
from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from tests.cases.helpers import GRID1
from tests.e2e.conftest import screenshot
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State
from urbangrid.demo.images import tiny_png
from urbangrid.maps import cache

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "test-pass-123"
PHONE = "13612345678"


def watched(context):
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


@pytest.fixture
def laptop(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    yield watched(context)
    context.close()


@pytest.fixture
def phone(browser):
    """A phone in Chinese whose position is the middle of grid 1 of the small city."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True, geolocation={"longitude": GRID1[0], "latitude": GRID1[1]}, permissions=["geolocation"],
    )
    yield watched(context)
    context.close()


def unexpected(errors: list[str]) -> list[str]:
    """A form sent back with its errors is answered 400, which Chromium logs as an error; nothing else may be."""
    return [e for e in errors if "status of 400 (Bad Request)" not in e or "/hotline/" not in e]


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    expect(page.locator("h1")).to_have_text("我的工作")


def test_the_hotline_console_turns_a_call_into_a_case(live_server, laptop, cast):  # noqa: F811
    cache.clear_all()
    page, base = laptop, live_server.url
    sign_in(page, base, "wang")
    page.get_by_role("link", name="12319 热线").click()
    expect(page.locator("h1")).to_have_text("12319 热线受理台")
    page.get_by_label("投诉举报：需处置的问题").check()
    page.fill("#id_phone", PHONE)
    page.fill("#id_caller_name", "刘女士")
    page.fill("#id_said", "省委社区东门井盖破了一个洞")
    page.select_option("#id_kind", "component")
    page.select_option("#id_class_code", "component:01001")
    page.fill("#place-q", "省委")
    hit = page.locator("#place-results button.place", has_text="省委社区")
    expect(hit).to_be_visible()
    hit.click()
    expect(page.locator("#point")).to_contain_text("省委社区")
    page.locator("#call-map").click()  # the map is centred on the hit: a click inside the community
    expect(page.locator("#point")).to_contain_text("410105001001")
    screenshot(page, "hotline-console")
    page.get_by_role("button", name="登记来电").click()
    expect(page.locator("#created")).to_contain_text("请告知来电人此编号")
    case = Case.objects.get()
    assert (case.source, case.reporter_phone, case.klass.code, case.state) == ("hotline", PHONE, "01001", "reported")
    assert case.grid_code.startswith("410105001001")
    expect(page.locator("#created")).to_contain_text(case.number)
    expect(page.locator("table.recent")).to_contain_text(case.number)
    screenshot(page, "hotline-console-created")
    assert page.errors == []


def test_a_field_error_is_shown_next_to_the_field_on_the_console(live_server, laptop, cast):  # noqa: F811
    page, base = laptop, live_server.url
    sign_in(page, base, "wang")
    page.goto(base + "/hotline/")
    page.get_by_label("咨询：当场答复").check()
    expect(page.locator("#field-answer")).to_be_visible()
    expect(page.locator("#id_class_code")).to_be_hidden()
    page.fill("#id_phone", "12")
    page.fill("#id_said", "请问垃圾几点清运")
    page.get_by_role("button", name="登记来电").click()
    expect(page.locator("#field-phone .error")).to_contain_text("不是有效的电话号码")
    expect(page.locator("#field-answer .error")).to_contain_text("请记录您的答复内容")
    expect(page.locator("#id_said")).to_have_value("请问垃圾几点清运")
    assert unexpected(page.errors) == []


def test_a_citizen_reports_from_a_phone_and_follows_the_case(live_server, phone, browser, cast, settings):  # noqa: F811
    settings.CITIZENS_MIN_FILL_SECONDS = 0
    cache.clear_all()
    page, base = phone, live_server.url
    page.goto(base + "/public/")
    expect(page.locator("h1")).to_have_text("举报城市管理问题")
    page.get_by_label("井盖破损或丢失").check()
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("#pin")).to_contain_text("省委社区")
    page.fill("#id_description", "单元门口的井盖碎了，孩子差点掉下去")
    page.set_input_files("#id_photos", files=[{"name": "well.png", "mimeType": "image/png",
                                               "buffer": tiny_png("evidence")}])
    page.fill("#id_phone", PHONE)
    screenshot(page, "public-report-phone")
    page.get_by_role("button", name="提交举报").click()
    expect(page.locator("h1")).to_have_text("感谢您的举报，我们已收到")
    case = Case.objects.get()
    number = page.locator("#case-code").inner_text()
    assert number == case.number and case.source == "public" and case.attachments.count() == 1
    screenshot(page, "public-report-received")

    # The case is in the 受理员's queue.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    wang = watched(desk)
    sign_in(wang, base, "wang")
    wang.goto(base + "/work/queue/intake_operator/")
    expect(wang.locator("#queue-table")).to_contain_text(number)
    desk.close()

    # The status page follows the case as it moves.
    page.get_by_role("link", name="查询办理进度").click()
    expect(page.locator(".stage.current")).to_have_text("已受理")
    case = walk(cast, case, [("wang", "accept", {}), ("wang", "send_verification", {}),
                             ("li", "verify", {"photos": ["evidence"]})])
    page.reload()
    expect(page.locator(".stage.current")).to_have_text("已受理")
    case = walk(cast, case, [("zhao", "open", {"class_code": "01023", "condition": 1}),
                             ("sun", "dispatch", {"department_id": cast.shizheng.pk, "reason": "按职责派遣"})])
    page.reload()
    expect(page.locator(".stage.current")).to_have_text("处理中")
    screenshot(page, "public-status-handling")
    walk(cast, case, [
        ("zhou", "take", {}), ("zhou", "feedback", {"note": "已更换井盖", "photos": ["before", "after"]}),
        ("wang", "send_check", {}), ("li", "pass_check", {"photos": ["evidence"]}), ("zhao", "close", {}),
    ])
    page.reload()
    expect(page.locator(".stage.current")).to_have_text("已办结")
    expect(page.locator("#status")).to_contain_text("问题已处理完毕")
    expect(page.locator("body")).not_to_contain_text(PHONE)
    expect(page.locator("body")).not_to_contain_text("市政局周")
    screenshot(page, "public-status-done")
    assert page.errors == []


def test_an_unsatisfied_follow_up_reopens_the_case(live_server, laptop, cast):  # noqa: F811
    case = make_case(cast, State.CLOSED, source="hotline", reporter_phone=PHONE)
    page, base = laptop, live_server.url
    sign_in(page, base, "wang")
    page.goto(base + "/hotline/")
    expect(page.locator("#waiting")).to_have_text("1")
    page.get_by_role("link", name="回访").first.click()
    section = page.locator(f"#case-{case.pk}")
    expect(section.locator(".phone")).to_have_text(PHONE)
    section.get_by_label("不满意：案卷重新受理").check()
    section.get_by_role("button", name="登记回访结果").click()
    expect(page.locator(f"#case-{case.pk} .error")).to_contain_text("请记录来电人反映仍未解决的问题")
    section = page.locator(f"#case-{case.pk}")
    section.get_by_label("不满意：案卷重新受理").check()
    section.get_by_label("来电内容").fill("井盖换了但还是松动")
    screenshot(page, "hotline-follow-up")
    section.get_by_role("button", name="登记回访结果").click()
    expect(page.locator(".messages")).to_contain_text("已重新受理")
    expect(page.locator(".empty")).to_have_text("暂无待回访的案卷。")
    case.refresh_from_db()
    assert (case.state, case.closed_at) == (State.ACCEPTED, None)
    assert case.events.order_by("-seq").first().reason == "井盖换了但还是松动"
    assert unexpected(page.errors) == []
