"""Patrol tracks uploaded in batches and viewed by the centre; the one-tap safety alert."""

import datetime as dt

import pytest
from django.test import Client

from tests.cases.helpers import GRID1, OUTSIDE
from urbangrid.field.models import Alert, PoliceLiaison, TrackPoint
from urbangrid.notifications.models import Notification

pytestmark = pytest.mark.django_db


def millis(at: dt.datetime) -> int:
    return int(at.timestamp() * 1000)


def batch(start: dt.datetime, n: int) -> list:
    return [[millis(start + dt.timedelta(seconds=30 * i)), GRID1[0] + i * 1e-5, GRID1[1], 8.0] for i in range(n)]


@pytest.fixture
def recent():
    return dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)


def test_a_batch_is_stored_once_however_often_it_is_sent(phone, recent):
    points = batch(recent, 5)
    assert phone.post_json("track", {"points": points}).json() == {"added": 5}
    assert phone.post_json("track", {"points": points}).json() == {"added": 0}
    assert TrackPoint.objects.filter(user=phone.user).count() == 5


def test_a_bad_batch_is_refused(phone, recent):
    assert phone.post_json("track", {"points": [["soon", 1, 2]]}).status_code == 422
    assert phone.post_json("track", {"points": batch(recent, 501)}).status_code == 422


def test_the_centre_sees_a_collectors_track_of_a_day(phone, cast, recent):
    phone.post_json("track", {"points": batch(recent, 3)})
    watcher = Client()
    watcher.force_login(cast.zhao)
    assert watcher.get("/field/tracks/").status_code == 200
    day = dt.datetime.fromtimestamp(recent.timestamp()).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    points = watcher.get("/field/tracks/data", {"collector": cast.li.pk, "day": day.isoformat()}).json()["points"]
    assert len(points) == 3 and points[0]["lon"] == GRID1[0]


def test_a_department_handler_and_a_collector_do_not_see_tracks(phone, cast):
    for person in (cast.zhou, cast.li):
        client = Client()
        client.force_login(person)
        assert client.get("/field/tracks/").status_code == 403
        assert client.get("/field/tracks/data", {"collector": cast.li.pk, "day": "2026-11-30"}).status_code == 403


def test_an_alert_reaches_the_shift_leader_and_the_districts_police_liaison(phone, cast):
    police = type(cast.chen).objects.create(username="police", display_name="民警")
    PoliceLiaison.objects.create(district=cast.areas["district"], name="金水路派出所 张警官", phone="0371-110",
                                 user=police)
    response = phone.post_json("alert", {"key": "a-1", "kind": "threatened", "lon": GRID1[0], "lat": GRID1[1]})
    assert response.status_code == 201
    inboxes = set(Notification.objects.filter(kind="field_alert").values_list("user__username", flat=True))
    assert inboxes == {"zhao", "police"}
    note = Notification.objects.get(user=cast.zhao)
    assert "410105001001001" in note.body and "0371-110" in note.body
    again = phone.post_json("alert", {"key": "a-1", "kind": "threatened", "lon": GRID1[0], "lat": GRID1[1]})
    assert again.json()["id"] == response.json()["id"] and Notification.objects.count() == 2


def test_an_alert_without_a_position_still_goes_out(phone, cast):
    response = phone.post_json("alert", {"key": "a-2", "kind": "obstructed", "lon": OUTSIDE[0], "lat": OUTSIDE[1]})
    assert response.status_code == 201 and Alert.objects.get().place == ""
    assert Notification.objects.filter(user=cast.zhao).exists()


def test_an_unknown_alert_kind_is_refused(phone):
    assert phone.post_json("alert", {"key": "a-3", "kind": "bored"}).status_code == 422


def test_an_alert_with_a_garbled_position_still_goes_out_without_one(phone, cast):
    response = phone.post_json("alert", {"key": "a-4", "kind": "obstructed", "lon": "east", "lat": None})
    assert response.status_code == 201 and Alert.objects.get().lon is None
