"""A person opens the site, locates a point, logs in to the Chinese admin and finds the grids."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import UserFactory, make_small_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_locates_a_point_on_the_home_page(live_server, page):
    make_small_city()
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "城市，切分为单元网格"
    page.fill("input[name=lon]", "113.6605")
    page.fill("input[name=lat]", "34.7695")
    page.click("button[type=submit]")
    result = page.locator("dl.result")
    expect(result).to_contain_text("第1网格")
    expect(result).to_contain_text("410105001001001")
    screenshot(page, "home-locate")


def test_an_administrator_finds_the_grids_in_the_chinese_admin(live_server, page):
    make_small_city()
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/admin/")
    assert "登录" in page.title()
    page.fill("#id_username", "boss")
    page.fill("#id_password", "test-pass-123")
    page.click("input[type=submit]")
    page.get_by_role("link", name="区域", exact=True).click()
    page.get_by_role("link", name="410105001001002").click()
    expect(page.locator("svg.area-map")).to_have_count(1)  # waits for the change page, unlike count()
    expect(page.locator("body")).to_contain_text("第2网格")
    screenshot(page, "admin-grid")
