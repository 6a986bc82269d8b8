"""Every page carries a Content-Security-Policy without inline code, and refuses to be framed."""

import pytest

from urbangrid.settings import tile_origins

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/map/", "/api/v1/docs", "/accounts/login/"])
def test_pages_allow_only_our_own_scripts_and_styles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_basemap_tile_servers_may_serve_images():
    assert tile_origins("https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}", "01") == [
        "https://t0.tianditu.gov.cn", "https://t1.tianditu.gov.cn"]
    assert tile_origins("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png", "") == ["http://10.1.2.3:8080"]
    assert tile_origins("", "abc") == []
