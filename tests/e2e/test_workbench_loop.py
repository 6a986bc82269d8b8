"""One case round the whole loop in a real browser, across six logins of the workbench, at 1366×768.

监督员 Li reports through the API (as the patrol app does), then each post signs in with our own sign-in page,
finds the case in its queue (the count in the navigation), opens the case file and takes its action there:
受理 → 立案 → 派遣 → 签收 → 处理反馈 with before/after photos → 派发核查 → 核查通过 → 结案. Screenshots of each
workbench and the case file go to test-artifacts/; the browser must log no error on the way.
"""

import pytest
from playwright.sync_api import expect

from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from tests.cases.helpers import GRID1
from tests.e2e.conftest import screenshot
from urbangrid.cases.models import Case
from urbangrid.demo.images import tiny_png
from urbangrid.dispatch.models import DispatchRule
from urbangrid.maps import cache

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "test-pass-123"


@pytest.fixture
def laptop(browser):
    """A 1366×768 laptop screen, in Chinese, that records every console error and uncaught exception."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录工作台")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")  # the keyboard is enough
    expect(page.locator("h1")).to_have_text("我的工作")


def sign_out(page) -> None:
    page.wait_for_load_state("networkidle")  # the case map's request would otherwise outlive the session
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()


def open_from_queue(page, queue_name: str, number: str, shot: str) -> None:
    """Follow the queue's link in the navigation, find the case, screenshot the queue, open the case file."""
    page.locator("nav a.queue-link", has_text=queue_name).click()
    row = page.locator("#queue-table tr", has_text=number)
    expect(row).to_have_count(1)
    screenshot(page, shot)
    row.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_have_text(f"案卷 {number}")


def take(page, label: str, done: str) -> None:
    page.locator(".case-actions").get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(done)


def test_one_case_goes_round_the_loop_through_the_workbench(live_server, laptop, cast, now):  # noqa: F811
    cache.clear_all()
    page, base = laptop, live_server.url
    DispatchRule.objects.create(name="违法建设归市政局", class_codes="06001", department=cast.shizheng)

    # 监督员 reports through the API with the browser's session, as the patrol app would.
    sign_in(page, base, "li")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    report = {"description": "人行道上正在搭建违章棚子", "lon": GRID1[0], "lat": GRID1[1], "kind": "matter",
              "address": "经八路12号门前", "class_code": "06001"}
    answer = page.request.post(base + "/api/v1/cases", data=report, headers={"X-CSRFToken": csrf})
    assert answer.status == 201, answer.text()
    case_id, number = answer.json()["id"], answer.json()["number"]
    sign_out(page)

    # 受理员: the navigation counts the new report; accept it from the case file, by keyboard.
    sign_in(page, base, "wang")
    expect(page.locator("nav a.queue-link", has_text="受理员")).to_contain_text("1")
    screenshot(page, "workbench-home")
    open_from_queue(page, "受理员", number, "workbench-intake-queue")
    page.locator("#action-accept button").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("已办理：受理")
    sign_out(page)

    # 值班长: open it, choosing the class (htmx fetches its 立案条件 with their limits) and condition 1.
    sign_in(page, base, "zhao")
    open_from_queue(page, "值班长", number, "workbench-shift-leader-queue")
    page.select_option("#open-class_code", "07001")
    expect(page.locator("#open-condition option").nth(1)).not_to_contain_text("正在搭建")
    page.select_option("#open-class_code", "06001")
    expect(page.locator("#open-condition")).to_contain_text("1. 正在搭建的违法建设 · 4 工作时")
    page.select_option("#open-condition", "1")
    screenshot(page, "case-file-open")
    take(page, "立案", "已办理：立案")
    sign_out(page)

    # 派遣员: the rule's department is chosen already, with the rule shown.
    sign_in(page, base, "sun")
    open_from_queue(page, "派遣员", number, "workbench-dispatcher-queue")
    expect(page.locator("#dispatch-department_id")).to_have_value(str(cast.shizheng.pk))
    expect(page.locator("#action-dispatch")).to_contain_text("违法建设归市政局")
    take(page, "派遣", "已办理：派遣")
    sign_out(page)

    # 专业部门: take it, then report back with photos from before and after.
    sign_in(page, base, "zhou")
    open_from_queue(page, "部门处置人员", number, "workbench-department-queue")
    take(page, "签收", "已办理：签收")
    page.fill("#feedback-note", "违章棚子已拆除，现场清理完毕")
    page.set_input_files("#feedback-photo_before", files=[{"name": "before.png", "mimeType": "image/png",
                                                          "buffer": tiny_png("before")}])
    page.set_input_files("#feedback-photo_after", files=[{"name": "after.png", "mimeType": "image/png",
                                                         "buffer": tiny_png("after")}])
    screenshot(page, "case-file-feedback")
    take(page, "处理反馈", "已办理：处理反馈")
    sign_out(page)

    # 受理员 sends the 核查 task; 监督员 checks on site with a photo; 值班长 closes.
    sign_in(page, base, "wang")
    open_from_queue(page, "受理员", number, "workbench-intake-check")
    take(page, "派发核查", "已办理：派发核查")
    sign_out(page)

    sign_in(page, base, "li")
    open_from_queue(page, "监督员", number, "workbench-collector-tasks")
    page.set_input_files("#pass_check-photo_evidence", files=[{"name": "check.png", "mimeType": "image/png",
                                                              "buffer": tiny_png("evidence")}])
    take(page, "核查通过", "已办理：核查通过")
    sign_out(page)

    sign_in(page, base, "zhao")
    open_from_queue(page, "值班长", number, "workbench-shift-leader-close")
    take(page, "结案", "已办理：结案")

    assert Case.objects.get(pk=case_id).state == "closed"
    expect(page.locator(".case-head .state")).to_have_text("结案")
    expect(page.locator(".timeline li")).to_have_count(9)
    expect(page.locator(".photos img")).to_have_count(3)  # before, after, and the check's on-site photo
    expect(page.locator("#case-map path.grid-outline")).to_have_count(1)  # the grid's outline
    page.wait_for_load_state("networkidle")
    screenshot(page, "case-file-closed")
    assert page.errors == []
