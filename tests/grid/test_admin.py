import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_area, square
from urbangrid.grid.admin import area_svg, area_text
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db


def changelist(client, **params):
    response = client.get(reverse("admin:grid_area_changelist"), params)
    assert response.status_code == 200
    return [row.code for row in response.context["cl"].result_list]


def test_the_list_shows_areas_with_their_size(admin_client, small_city):
    response = admin_client.get(reverse("admin:grid_area_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "410105001001002" in html and "第2网格" in html
    assert area_text(small_city["grid1"].area_m2) in html


def test_the_list_searches_by_code_prefix_and_by_name(admin_client, small_city):
    assert changelist(admin_client, q="410105001001") == [
        "410105001001", "410105001001001", "410105001001002", "410105001001003", "410105001001004"
    ]
    assert changelist(admin_client, q="第3网格") == ["410105001001003"]
    assert changelist(admin_client, q="001001") == []  # a code is searched from its start only


def test_the_list_filters_by_level_district_and_validity(admin_client, small_city):
    make_area("410106", "上街区", square(5, 5))
    assert len(changelist(admin_client, level="grid")) == 4
    assert changelist(admin_client, district="410106") == ["410106"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Area.objects.filter(code="410105001001004").update(valid_from=yesterday - datetime.timedelta(days=9),
                                                       valid_to=yesterday)
    assert changelist(admin_client, validity="retired") == ["410105001001004"]
    assert "410105001001004" not in changelist(admin_client, validity="current")


def test_the_change_page_shows_a_map_and_the_geojson_but_no_geometry_field(admin_client, small_city):
    response = admin_client.get(reverse("admin:grid_area_change", args=[small_city["grid2"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="area-map"' in html and 'class="parent"' in html
    assert "<details>" in html and "&quot;Polygon&quot;" in html
    form = response.context["adminform"].form
    assert set(form.fields) == {"name", "valid_from", "valid_to"}


def test_areas_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:grid_area_add")).status_code == 403


def test_data_versions_are_read_only(admin_client, small_city):
    response = admin_client.get(reverse("admin:grid_dataversion_changelist"))
    assert response.status_code == 200
    assert "areas" in response.content.decode()
    assert admin_client.get(reverse("admin:grid_dataversion_add")).status_code == 403


def test_the_map_is_north_up_and_escapes_nothing_it_should_not(small_city):
    svg = str(area_svg(small_city["grid1"].shape, small_city["community"].shape))
    assert svg.startswith('<svg class="area-map"')
    area_path = svg.split('class="area" d="')[1].split('"')[0]
    # Grid 1 is the north-west quarter: its points lie in the upper-left of the view box.
    xs = [float(v) for v in area_path.replace("M", "").replace("Z", "").replace("L", "").split()[0::2]]
    ys = [float(v) for v in area_path.replace("M", "").replace("Z", "").replace("L", "").split()[1::2]]
    width, height = (float(v) for v in svg.split('viewBox="')[1].split('"')[0].split()[2:])
    assert max(xs) == pytest.approx(width / 2, abs=1) and max(ys) == pytest.approx(height / 2, abs=1)


def test_area_text_switches_to_km2_for_large_areas():
    assert area_text(10_156.4) == "10,156 m²"
    assert area_text(240_780_000) == "240.78 km²"
