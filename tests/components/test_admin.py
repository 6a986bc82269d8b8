import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.components.conftest import GRID_CENTRES, OUTSIDE, row
from tests.factories import UserFactory
from urbangrid.accounts.models import Organisation
from urbangrid.catalog.models import CatalogClass
from urbangrid.components.importing import import_components
from urbangrid.components.models import Component

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/components/component/add/"
LIST_URL = "/admin/components/component/"


@pytest.fixture
def admin_client(city):
    user = UserFactory(is_staff=True, is_superuser=True)
    user.save()  # the factory sets the password after saving; the session hash must match the stored one
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides) -> dict:
    lon, lat = GRID_CENTRES["410105001001003"]
    data = {
        "identifier": "41010501001000009",
        "name": "后台井盖",
        "klass": CatalogClass.objects.get(kind="component", code="01001").pk,
        "status": "intact",
        "competent_department": Organisation.objects.get(name="郑州市供水公司").pk,
        "owner_unit": "",
        "maintenance_unit": "",
        "lon": lon,
        "lat": lat,
        "initial_date": "2024-01-01",
        "change_date": "",
        "data_source": "实测",
        "remark": "",
    }
    data.update(overrides)
    return data


def test_adding_a_component_fills_the_grid_from_the_location(admin_client):
    assert admin_client.get(ADD_URL).status_code == 200
    response = admin_client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Component.objects.get().grid_code == "410105001001003"


def test_a_point_outside_the_grids_is_a_form_error_on_the_longitude(admin_client):
    response = admin_client.post(ADD_URL, form_data(lon=OUTSIDE[0], lat=OUTSIDE[1]))
    assert response.status_code == 200
    assert "lon" in response.context["adminform"].form.errors
    assert not Component.objects.exists()


def test_class_must_match_the_identifier(admin_client):
    other = CatalogClass.objects.get(kind="component", code="01002").pk
    response = admin_client.post(ADD_URL, form_data(klass=other))
    assert "klass" in response.context["adminform"].form.errors


def test_a_status_change_sets_the_change_date(admin_client):
    import_components([row(1)])
    component = Component.objects.get()
    url = f"{LIST_URL}{component.pk}/change/"
    data = form_data(identifier=component.identifier, name=component.name, lon=component.lon, lat=component.lat)
    response = admin_client.post(url, {**data, "status": "damaged"})
    assert response.status_code == 302
    component.refresh_from_db()
    assert (component.status, component.change_date) == ("damaged", timezone.localdate())


def test_list_search_filters_and_csv_export(admin_client):
    import_components([row(1), row(2, class_code="01002"), row(3, status="破损")])
    assert admin_client.get(LIST_URL).status_code == 200
    response = admin_client.get(LIST_URL, {"q": "41010501002"})
    assert [c.identifier for c in response.context["cl"].result_list] == ["41010501002000002"]
    response = admin_client.get(LIST_URL, {"status__exact": "damaged", "large_class": "01"})
    assert [c.identifier for c in response.context["cl"].result_list] == ["41010501001000003"]
    ids = list(Component.objects.filter(identifier__endswith="1").values_list("pk", flat=True))
    response = admin_client.post(LIST_URL, {"action": "export_csv", "_selected_action": ids})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("管理部件标识码,")
    assert len(text.splitlines()) == 2 and "41010501001000001" in text


def test_initial_date_is_kept(admin_client):
    admin_client.post(ADD_URL, form_data())
    assert Component.objects.get().initial_date == dt.date(2024, 1, 1)
