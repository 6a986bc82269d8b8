"""GET /map/: the page, its settings as data- attributes, the basemap setting, and the checks on it."""

import re

import pytest

from urbangrid.core.coords import wgs84_to_gcj02
from urbangrid.maps.checks import check_basemap

pytestmark = pytest.mark.django_db


def data(page: str, name: str) -> str:
    return re.search(rf'data-{name}="([^"]*)"', page).group(1)


def test_the_page_is_chinese_and_lists_the_classes_with_counts(client, city):
    page = client.get("/map/").content.decode()
    assert "<title>城市地图 · UrbanGrid</title>" in page
    assert "部件类别" in page and "供水井盖" in page and "污水井盖" in page
    assert re.search(r'value="01001" checked>.*?<span class="n">4</span>', page, re.S)
    assert "登录后可查看案卷" in page  # an anonymous visitor sees no cases (tests/maps/test_case_layer.py)


def test_the_page_centres_on_the_city_and_has_no_basemap_by_default(client, city):
    page = client.get("/map/").content.decode()
    assert data(page, "basemap-url") == ""
    assert data(page, "crs") == "wgs84"
    assert data(page, "extent") == "113.660000,34.768000,113.662000,34.770000"
    assert data(page, "area-url") == "/map/areas/CODE.json"


def test_without_areas_it_falls_back_to_zhengzhou(client, db):
    page = client.get("/map/").content.decode()
    assert (data(page, "extent"), data(page, "centre")) == ("", "113.660000,34.760000")
    assert "部件清单中还没有部件" in page


def test_no_inline_script_so_that_a_csp_can_forbid_them(client, city):
    page = client.get("/map/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert [attributes for attributes, _body in scripts] == [
        ' src="/static/maps/vendor/leaflet/leaflet.js"', ' src="/static/maps/map.js"',
    ]
    assert not any(body.strip() for _attributes, body in scripts)
    assert not re.search(r"\son[a-z]+=", page)  # no onclick= etc.


def test_the_basemap_setting_reaches_the_page(client, city, settings):
    settings.MAP_BASEMAP_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    settings.MAP_BASEMAP_ATTRIBUTION = "© 某市测绘院"
    page = client.get("/map/").content.decode()
    assert data(page, "basemap-url") == "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    assert data(page, "basemap-attribution") == "© 某市测绘院"


def test_a_gaode_style_basemap_shifts_the_extent_to_gcj02(client, city, settings):
    settings.MAP_BASEMAP_CRS = "gcj02"
    page = client.get("/map/").content.decode()
    assert data(page, "crs") == "gcj02"
    west, south, _east, _north = map(float, data(page, "extent").split(","))
    assert (west, south) == pytest.approx(wgs84_to_gcj02(113.660, 34.768), abs=1e-5)


def test_the_home_page_links_to_the_map(client, city):
    assert 'href="/map/">城市地图</a>' in client.get("/").content.decode()


def test_the_checks_refuse_a_basemap_datum_the_map_cannot_show(settings):
    settings.MAP_BASEMAP_CRS = "bd09"
    settings.MAP_BASEMAP_URL = "https://tiles.example.gov.cn/tiles.png"
    assert [e.id for e in check_basemap()] == ["urbangrid.maps.E001", "urbangrid.maps.E002"]
    settings.MAP_BASEMAP_CRS, settings.MAP_BASEMAP_URL = "gcj02", "https://t{s}.example.cn/{z}/{x}/{y}.png"
    assert check_basemap() == []
