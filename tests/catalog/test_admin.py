"""The catalogue in the admin."""

import pytest
from django.urls import reverse

from urbangrid.catalog.models import CatalogClass

pytestmark = pytest.mark.django_db


def codes(client, url_name, **params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return response.context["cl"]


def test_the_class_list_searches_by_code_and_name_and_counts_conditions(admin_client):
    cl = codes(admin_client, "admin:catalog_catalogclass_changelist", q="私搭乱建")
    assert [(c.kind, c.code, c.condition_total) for c in cl.result_list] == [("matter", "06001", 3)]
    cl = codes(admin_client, "admin:catalog_catalogclass_changelist", q="0100", kind__exact="component")
    assert [c.code for c in cl.result_list][:3] == ["01001", "01002", "01003"]


def test_the_class_list_filters_by_large_class_and_local_extension(admin_client):
    cl = codes(admin_client, "admin:catalog_catalogclass_changelist", large_class="10:其他事项类")
    assert [c.code for c in cl.result_list] == ["10001", "10002"]
    cl = codes(admin_client, "admin:catalog_catalogclass_changelist", is_local_extension__exact="1")
    assert list(cl.result_list) == []


def test_a_matter_page_shows_its_conditions_and_legacy_codes(admin_client):
    matter = CatalogClass.objects.get(kind="matter", code="06001")
    response = admin_client.get(reverse("admin:catalog_catalogclass_change", args=[matter.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "正在搭建的违法建设" in html and "GB/T 30428.2-2013" in html


def test_a_component_page_has_no_condition_table(admin_client):
    component = CatalogClass.objects.get(kind="component", code="01001")
    response = admin_client.get(reverse("admin:catalog_catalogclass_change", args=[component.pk]))
    assert response.status_code == 200
    assert "conditions-TOTAL_FORMS" not in response.content.decode()
    assert "上水井盖" in response.content.decode()


def test_the_condition_list_filters_by_unit_urgency_and_party(admin_client):
    cl = codes(admin_client, "admin:catalog_filingcondition_changelist", limit_unit__exact="calendar_days",
               urgency__exact="normal", responsible_party__exact="maintainer")
    assert {c.matter.code for c in cl.result_list} == {"04002", "04003"}  # 行道树, 独立树: replanting


def test_the_legacy_list_searches_and_filters(admin_client):
    cl = codes(admin_client, "admin:catalog_legacycode_changelist", q="上水", scheme__exact="CJ/T 214-2007")
    assert [(c.code, c.maps_to.code) for c in cl.result_list] == [("0101", "01001")]
    cl = codes(admin_client, "admin:catalog_legacycode_changelist", scheme__exact="GB/T 30428.2-2013")
    assert len(cl.result_list) == 15


def test_legacy_codes_choose_their_class_by_autocomplete(admin_client):
    url = reverse("admin:autocomplete")
    params = {"term": "供水井盖", "app_label": "catalog", "model_name": "legacycode", "field_name": "maps_to"}
    response = admin_client.get(url, params)
    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} == {"01001 供水井盖", "01001 供水井盖异常"}
