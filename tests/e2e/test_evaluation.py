"""A leader opens the evaluation report of a week in Chinese, reads the ranking and drills down to cases."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.cases.conftest import fresh_calendars, media  # noqa: F401  (autouse fixtures of the case tests)
from tests.cases.helpers import MONDAY_9AM, Clock, make_cast
from tests.e2e.conftest import screenshot
from tests.evaluation.history import WEEK1, play
from tests.factories import appoint, make_small_city
from urbangrid.accounts import gridhistory
from urbangrid.cases import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    """The case app's clock, moved by the scripted history (the live server thread reads it too)."""
    stopped = Clock(MONDAY_9AM)
    monkeypatch.setattr(clock, "now", stopped)
    monkeypatch.setattr(gridhistory, "now", stopped)
    return stopped


def logged_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def test_a_leader_reads_the_week_and_drills_down_to_the_cases(live_server, page, frozen):
    cast = make_cast(make_small_city())
    cases = play(cast, frozen)
    appoint(cast.chen, "leader", cast.supervision)
    logged_in(page, live_server, cast.chen)

    page.goto(f"{live_server.url}/evaluation/?kind=week&day={WEEK1.isoformat()}&by=district")
    expect(page.locator("h1")).to_contain_text("综合评价")
    table = page.locator("table.report")
    expect(table).to_contain_text("金水区")
    expect(table).to_contain_text("41.57")
    expect(page.locator("svg.trend polyline")).to_have_count(2)
    screenshot(page, "evaluation-week")

    page.get_by_role("link", name="处置部门", exact=True).click()
    expect(page.locator("table.report")).to_contain_text("金水区市政局")
    screenshot(page, "evaluation-departments")

    page.get_by_role("link", name="区县", exact=True).click()
    row = page.locator("table.report tbody tr", has_text="金水区")
    headings = page.locator("table.report thead th").all_inner_texts()
    row.locator("td").nth(headings.index("结案") - 1).get_by_role("link").click()  # the row's label is a th
    expect(page.locator("h1")).to_have_text("结案: 2")
    listing = page.locator("table.cases")
    expect(listing).to_contain_text(cases["A"].number)
    expect(listing).to_contain_text(cases["B"].number)
    screenshot(page, "evaluation-drilldown")

    page.get_by_role("link", name="← 返回报表").click()
    page.get_by_role("link", name="岗位", exact=True).click()
    expect(page.locator("h2", has_text="监督员")).to_have_count(1)
    expect(page.locator("body")).to_contain_text("监督员李")
    screenshot(page, "evaluation-posts")
    page.goto(f"{live_server.url}/evaluation/accountability/?kind=week&day={WEEK1.isoformat()}")
    expect(page.locator("h1")).to_contain_text("责任追究")
    expect(page.locator("#overdue")).to_contain_text("2")
    screenshot(page, "evaluation-accountability")


def test_staff_make_a_bulletin_a_leader_approves_it_and_the_public_reads_it(live_server, page, frozen):
    cast = make_cast(make_small_city())
    play(cast, frozen)
    appoint(cast.chen, "leader", cast.supervision)

    logged_in(page, live_server, cast.zhao)
    page.goto(f"{live_server.url}/evaluation/bulletins/")
    page.select_option("#id_kind", "week")
    page.fill("#id_day", WEEK1.isoformat())
    page.get_by_role("button", name="生成通报草稿").click()
    expect(page.locator(".bulletin-status")).to_contain_text("待领导审核")
    expect(page.locator("table.decisions")).to_contain_text("值班长赵")
    expect(page.locator("form.approve")).to_have_count(0)  # not a leader
    review = page.url
    page.goto(f"{live_server.url}/evaluation/public/")
    expect(page.locator("ul.bulletins")).to_contain_text("尚未发布通报")

    page.context.clear_cookies()
    logged_in(page, live_server, cast.chen)
    page.goto(review)
    expect(page.locator("table.report").first).to_contain_text("41.57")
    page.locator("form.approve textarea").fill("数据已核对")
    screenshot(page, "evaluation-review")
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.locator(".bulletin-status")).to_contain_text("经审核于")
    expect(page.locator("table.decisions")).to_contain_text("数据已核对")
    screenshot(page, "evaluation-reviewed")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/evaluation/public/")
    page.locator("ul.bulletins a").first.click()
    expect(page.locator("table.report").first).to_contain_text("金水区")
    expect(page.locator("body")).not_to_contain_text("值班长赵")  # aggregates only, no names
