"""The component inventory over /api/v1/components: pages, filters, and add / change / retire with the admin's
permissions (denied by default), each change checked like an imported row and written to the audit log."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.components.conftest import GRID_CENTRES, WATER_USCC, row
from tests.factories import UserFactory
from urbangrid.audit.models import AuditEntry
from urbangrid.components import importing
from urbangrid.components.models import Component

pytestmark = pytest.mark.django_db
NEW = "41010501001000042"


@pytest.fixture
def inventory(city):
    importing.import_components([row(n, grid=grid) for n, grid in enumerate(GRID_CENTRES, start=1)])


def client_with(*permissions: str) -> Client:
    user = UserFactory(username="editor" + "-".join(p.split("_")[0] for p in permissions))
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="components", codename__in=permissions))
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body: dict):
    return getattr(client, method)(path, json.dumps(body), "application/json")


def new_component(**overrides) -> dict:
    lon, lat = GRID_CENTRES["410105001001004"]
    return {"identifier": NEW, "name": "新井盖", "competent_department_code": WATER_USCC, "initial_date": "20250102",
            "lon": lon, "lat": lat, **overrides}


def test_pages_and_filters(inventory):
    first = Client().get("/api/v1/components", {"limit": 3}).json()
    assert [c["identifier"][-1] for c in first["items"]] == ["1", "2", "3"] and first["next"]
    rest = Client().get("/api/v1/components", {"limit": 3, "after": first["next"]}).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    [in_grid] = Client().get("/api/v1/components", {"area": "410105001001002"}).json()["items"]
    assert in_grid["grid_code"] == "410105001001002" and in_grid["community_name"] == "省委社区"
    boxed = Client().get("/api/v1/components", {"bbox": "113.6600,34.7680,113.6610,34.7700"}).json()["items"]
    assert {c["grid_code"] for c in boxed} == {"410105001001001", "410105001001003"}
    assert Client().get("/api/v1/components", {"class_code": "01002"}).json()["items"] == []
    assert Client().get("/api/v1/components", {"status": "broken"}).json()["field"] == "status"
    assert Client().get("/api/v1/components", {"area": "4101"}).json()["field"] == "area"


def test_nobody_changes_the_inventory_without_the_permission(inventory):
    anonymous = send(Client(), "post", "/api/v1/components", new_component())
    assert anonymous.status_code == 401
    plain = client_with()
    assert send(plain, "post", "/api/v1/components", new_component()).status_code == 403
    identifier = Component.objects.first().identifier
    assert send(plain, "patch", f"/api/v1/components/{identifier}", {"name": "x"}).status_code == 403
    assert send(plain, "post", f"/api/v1/components/{identifier}/retire", {}).status_code == 403
    only_change = client_with("change_component")
    assert send(only_change, "post", "/api/v1/components", new_component()).status_code == 403
    assert not Component.objects.filter(identifier=NEW).exists()


def test_add_change_and_retire(inventory):
    editor = client_with("add_component", "change_component")
    created = send(editor, "post", "/api/v1/components", new_component())
    assert created.status_code == 201, created.content
    assert created.json()["grid_code"] == "410105001001004" and created.json()["status"] == "完好"
    assert send(editor, "post", "/api/v1/components", new_component()).status_code == 409
    changed = send(editor, "patch", f"/api/v1/components/{NEW}", {"name": "改名井盖", "status": "damaged"}).json()
    assert (changed["name"], changed["status"], changed["initial_date"]) == ("改名井盖", "破损", "20250102")
    assert changed["change_date"]  # today
    retired = send(editor, "post", f"/api/v1/components/{NEW}/retire", {"on": "2026-01-05", "remark": "道路改造"})
    assert retired.json()["status"] == "移除" and retired.json()["change_date"] == "20260105"
    component = Component.objects.get(identifier=NEW)
    assert (component.status, component.remark) == ("removed", "道路改造")
    entries = AuditEntry.objects.filter(detail__what="components").order_by("id")
    assert [e.detail["source"] for e in entries] == ["api:created", "api:changed", "api:retired"]
    assert entries[0].actor.startswith("editor") and entries[0].object_id == str(component.pk)


def test_a_bad_component_is_refused_field_by_field(inventory):
    editor = client_with("add_component", "change_component")
    outside = send(editor, "post", "/api/v1/components", new_component(lon=113.70, lat=34.80))
    assert outside.status_code == 422 and outside.json()["field"] == "lon"
    no_name = send(editor, "post", "/api/v1/components", new_component(name=None)).json()
    assert no_name["field"] == "name" and no_name["errors"][0]["field"] == "name"
    unknown = send(editor, "post", "/api/v1/components", new_component(competent_department_code="9" * 18))
    assert unknown.status_code in (400, 422)
    assert send(editor, "post", "/api/v1/components", new_component(identifier="123")).json()["field"] == "identifier"
    assert send(editor, "patch", "/api/v1/components/41010501001999999", {"name": "x"}).status_code == 404
    assert not Component.objects.filter(identifier=NEW).exists()


def test_export_over_http_in_every_format_reads_back(inventory, tmp_path):
    assert Client().get("/api/v1/components/export").status_code == 401
    client = client_with()  # reading needs no permission, only a signed-in user
    csv_text = b"".join(client.get("/api/v1/components/export", {"headers": "abbr"}).streaming_content).decode()
    assert csv_text.startswith("\ufeffGLBJBSM,GLBJMC,ZGBMDM") and csv_text.count("\n") == 5
    for fmt, suffix in (("csv", "csv"), ("geojson", "geojson"), ("xlsx", "xlsx"), ("shapefile", "zip")):
        response = client.get("/api/v1/components/export", {"format": fmt, "area": "410105001001", "encoding": "gbk"})
        assert response.status_code == 200, response.content
        assert f".{suffix}" in response["Content-Disposition"]
        path = tmp_path / f"back.{suffix}"
        path.write_bytes(b"".join(response.streaming_content))
        report = importing.import_file(path)
        assert (report.errors, report.unchanged) == ([], 4)
    assert client.get("/api/v1/components/export", {"format": "pdf"}).json()["field"] == "format"


def test_a_gcj02_move_is_converted_and_a_kept_point_is_not(inventory):
    from urbangrid.core.coords import from_wgs84

    editor = client_with("change_component")
    identifier = Component.objects.order_by("identifier").first().identifier
    lon, lat = Component.objects.get(identifier=identifier).lon, Component.objects.get(identifier=identifier).lat
    renamed = send(editor, "patch", f"/api/v1/components/{identifier}", {"name": "改名", "crs": "gcj02"}).json()
    assert (renamed["lon"], renamed["lat"]) == (lon, lat)
    target = GRID_CENTRES["410105001001004"]
    gcj = from_wgs84(*target, "gcj02")
    moved = send(editor, "patch", f"/api/v1/components/{identifier}", {"lon": gcj[0], "lat": gcj[1], "crs": "gcj02"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["grid_code"] == "410105001001004"
    assert abs(moved.json()["lon"] - target[0]) < 1e-6 and abs(moved.json()["lat"] - target[1]) < 1e-6
