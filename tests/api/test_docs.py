"""The API describes itself, and its docs page works on a closed government network (no CDN)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_locate_and_component_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/locate" in schema["paths"]
    assert any(path.startswith("/api/v1/components") for path in schema["paths"])


def test_the_docs_page_loads_its_scripts_from_our_own_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in source for source in sources)
    assert all(source.startswith("/") for source in sources), sources
