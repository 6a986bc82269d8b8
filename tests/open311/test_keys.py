"""`urbangrid open311 create-key NAME` prints a key that works once; only its digest is stored."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.cases.helpers import GRID1
from urbangrid.open311 import keys
from urbangrid.open311.models import Client

pytestmark = pytest.mark.django_db


def create_key(*args) -> str:
    out = io.StringIO()
    call_command("open311", "create-key", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_create_key_prints_a_key_stored_only_as_its_digest(client, cast):
    key = create_key("wechat", "--source", "other")
    record = Client.objects.get(name="wechat")
    assert record.digest == hashlib.sha256(key.encode()).hexdigest() and key not in str(list(Client.objects.values()))
    assert record.user.posts() == {"reporting_system"} and not record.user.has_usable_password()
    form = {"api_key": key, "service_code": "06001", "lat": GRID1[1], "long": GRID1[0], "description": "棚子"}
    response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 201
    assert record.user.reported_cases.get().source == "other"


def test_a_revoked_key_is_refused(client, cast):
    key = create_key("kiosk")
    call_command("open311", "revoke", "kiosk", stdout=io.StringIO())
    form = {"api_key": key, "service_code": "06001", "lat": GRID1[1], "long": GRID1[0]}
    assert client.post("/open311/v2/requests.json", form).status_code == 403


def test_names_are_checked(cast):
    create_key("kiosk")
    for bad in ("kiosk", "两个字", "-x"):
        with pytest.raises(CommandError):
            create_key(bad)


def test_the_demo_key_is_new_on_every_run_and_works(cast):
    first, second = keys.demo_key(), keys.demo_key()
    assert first != second
    assert keys.check(first, timezone.now()) is None and keys.check(second, timezone.now()).name == "demo"
