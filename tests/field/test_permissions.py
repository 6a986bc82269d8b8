"""The field app's permission matrix: every page and call, for every person of the cast and no one.

Deny by default: only a collector gets a device token; every JSON call needs one; the track viewer is the
supervision centre's (受理员, 值班长) and a leader's.
"""

import pytest
from django.test import Client

from tests.factories import UserFactory, appoint

pytestmark = pytest.mark.django_db
PEOPLE = ("li", "wang", "zhao", "sun", "qian", "zhou", "feng", "chen", "leader", None)
COLLECTORS = {"li"}
WATCHERS = {"wang", "zhao", "leader"}


def client_of(cast, name):
    client = Client()
    if name == "leader":
        leader = UserFactory(username="leader")
        appoint(leader, "leader", cast.supervision)
        client.force_login(leader)
    elif name is not None:
        client.force_login(getattr(cast, name))
    return client


@pytest.mark.parametrize("name", PEOPLE)
def test_the_app_page_and_a_device_token_are_for_collectors_only(cast, name):
    client = client_of(cast, name)
    page, device = client.get("/field/"), client.post("/field/api/device")
    if name is None:
        assert (page.status_code, device.status_code) == (302, 302)
    elif name in COLLECTORS:
        assert (page.status_code, device.status_code) == (200, 201)
    else:
        assert (page.status_code, device.status_code) == (403, 403)


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("method, url", [
    ("get", "/field/api/bootstrap"), ("get", "/field/api/place?lon=113.66&lat=34.77"),
    ("post", "/field/api/reports"), ("post", "/field/api/tasks/1"), ("post", "/field/api/track"),
    ("post", "/field/api/alert"),
])
def test_every_call_needs_a_device_token(cast, name, method, url):
    response = getattr(client_of(cast, name), method)(url)
    assert response.status_code == 401


@pytest.mark.parametrize("name", PEOPLE)
def test_the_track_viewer_is_for_the_supervision_centre(cast, name):
    client = client_of(cast, name)
    page = client.get("/field/tracks/")
    data = client.get("/field/tracks/data", {"collector": cast.li.pk, "day": "2026-11-30"})
    if name is None:
        assert (page.status_code, data.status_code) == (302, 302)
    elif name in WATCHERS:
        assert (page.status_code, data.status_code) == (200, 200)
    else:
        assert (page.status_code, data.status_code) == (403, 403)


def test_the_shell_files_are_public_and_the_worker_scoped_to_the_app(client):
    worker = client.get("/field/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("application/javascript")
    assert b'"/field/"' in worker.content
    assert b"leaflet/images/marker-icon.png" in worker.content  # a pin placed offline is not a broken image
    assert client.get("/field/manifest.webmanifest").json()["scope"] == "/field/"
