"""The public home page: what the city holds, and the "where is this point?" form."""

import pytest

from tests.factories import CELL, ORIGIN

pytestmark = pytest.mark.django_db
INSIDE_GRID_2 = (ORIGIN[0] + 1.5 * CELL, ORIGIN[1] - 0.5 * CELL)


def test_the_home_page_counts_the_city_in_chinese_by_default(client, small_city):
    page = client.get("/").content.decode()
    assert "城市，切分为单元网格" in page
    assert "单元网格" in page


def test_the_form_answers_with_the_grid_and_its_hierarchy(client, small_city):
    page = client.get("/locate/", {"lon": INSIDE_GRID_2[0], "lat": INSIDE_GRID_2[1], "crs": "wgs84"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "410105001001002" in text and "第2网格" in text and "省委社区" in text and "金水区" in text


def test_a_point_outside_the_grids_says_so(client, small_city):
    text = client.get("/locate/", {"lon": "116.4", "lat": "39.9"}).content.decode()
    assert "class=\"outside\"" in text
    assert "410105001001" not in text.split("class=\"outside\"")[1]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"lon": "东经113", "lat": "34.7"}, ["Longitude", "东经113"]),
        ({"lon": "113.6", "lat": "95"}, ["latitude", "95"]),
        ({"lon": "113.6", "lat": "34.7", "crs": "mercator"}, ["mercator", "gcj02"]),
    ],
)
def test_bad_input_names_the_field_and_the_value(client, small_city, params, words):
    page = client.get("/locate/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    error = page.content.decode().split('role="alert">')[1].split("</p>")[0]
    for word in words:
        assert word in error
    assert f'value="{params["lon"]}"' in page.content.decode()  # what the user typed is kept


def test_the_language_switch_turns_the_page_english(client, small_city):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "The city, cut into unit grids" in client.get("/").content.decode()
