"""An operator opens the city map in a real browser, sees the unit grids and clicks one to see its components.

It lives with the other browser tests, whose session-wide Chromium it shares (a second Playwright in the same
session cannot start); its data builders are the map tests' (tests/maps/helpers.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import make_small_city
from tests.maps.helpers import make_components
from urbangrid.maps import cache

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_operator_clicks_a_grid_and_sees_its_place_and_components(live_server, page):
    cache.clear_all()  # counts cached by another test's data version
    make_small_city()
    make_components()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/map/")
    assert page.title() == "城市地图 · UrbanGrid"
    # The view fits the city's four grids: they are drawn as SVG paths, clickable, under their community.
    grids = page.locator("#city-map path.leaflet-interactive")
    expect(grids).to_have_count(4)
    expect(page.locator("#map-status")).to_contain_text("4 个单元网格")
    expect(page.locator("#map-status")).to_contain_text("6 个部件")  # one by one: the removed one is left out

    grids.first.click()
    panel = page.locator("#area-detail")
    expect(panel).to_be_visible()
    code = page.locator("#detail-code").inner_text()
    assert re.fullmatch(r"410105001001\d{3}", code)
    expect(page.locator("#detail-name")).to_have_text(f"第{int(code[-3:])}网格")
    expect(page.locator("#detail-hierarchy")).to_contain_text("金水区")
    expect(page.locator("#detail-hierarchy")).to_contain_text("省委社区")
    expect(page.locator("#detail-cases-signin")).to_contain_text("登录")  # cases only for signed-in users

    page.locator("#detail-close").click()
    page.locator("#city-map path.leaflet-interactive").nth(0).wait_for()
    # Open grid 001 for sure (three 供水井盖): click the north-west grid through its own path.
    first = page.locator("#city-map path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getBoundingClientRect()).map(r => [r.left, r.top])"
    )
    left, top = min(first, key=lambda xy: (xy[0] + xy[1]))
    page.mouse.click(left + 8, top + 8)
    expect(page.locator("#detail-code")).to_have_text("410105001001001")
    expect(page.locator("#detail-total")).to_have_text("3")
    expect(page.locator("#detail-nearest li")).to_have_count(3)
    expect(page.locator("#detail-nearest")).to_contain_text("破损")
    screenshot(page, "city-map-grid")
    assert errors == []
