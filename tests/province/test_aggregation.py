"""The provincial platform aggregates two demo cities, each a live server on a database of its own."""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from urbangrid.province import pulling
from urbangrid.province.models import CityAggregate, MemberCity

URBANGRID = str(Path(sys.executable).with_name("urbangrid"))
TERMINAL = ("closed", "rejected", "voided")
CITIES = {  # code: (name, cases, open, seed)
    "410100": ("郑州市", 1500, 40, 1),
    "410300": ("洛阳市", 900, 25, 2),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(work: Path, code: str) -> dict:
    name = CITIES[code][0]
    return {**os.environ, "DATABASE_URL": f"sqlite:///{work / code / 'db.sqlite3'}",
            "URBANGRID_VAR_DIR": str(work / code / "var"), "DJANGO_SETTINGS_MODULE": "urbangrid.settings",
            "CITY_CODE": code, "CITY_NAME": name, "PROVINCE_PUBLISH_TOKEN": f"token-{code}"}


@pytest.fixture(scope="module")
def cities(tmp_path_factory):
    """Two cities: migrated once and copied, each generated with its own size and seed, each served."""
    work = tmp_path_factory.mktemp("cities")
    first, second = CITIES
    (work / first).mkdir()
    subprocess.run([URBANGRID, "migrate", "-v", "0"], env=_env(work, first), check=True, timeout=600)
    (work / second).mkdir()
    shutil.copy(work / first / "db.sqlite3", work / second / "db.sqlite3")
    making = [subprocess.Popen([URBANGRID, "generate", "--scale", "ci", "--cases", str(cases), "--open", str(n_open),
                                "--seed", str(seed), "-v", "0"], env=_env(work, code))
              for code, (_name, cases, n_open, seed) in CITIES.items()]
    assert all(p.wait(timeout=900) == 0 for p in making)
    servers, ports = [], {}
    try:
        for code in CITIES:
            ports[code] = _free_port()
            servers.append(subprocess.Popen([URBANGRID, "runserver", "--noreload", f"127.0.0.1:{ports[code]}"],
                                            env=_env(work, code), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports.values():
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"the city on port {port} did not start"
                    time.sleep(0.3)
        yield work, ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _expected(work: Path, code: str, month: date) -> tuple[int, int]:
    """(cases reported in the month, cases open now), counted in the city's own database."""
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(month.year, month.month, 1, tzinfo=zone).astimezone(UTC)
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    end = datetime(nxt.year, nxt.month, 1, tzinfo=zone).astimezone(UTC)
    with sqlite3.connect(work / code / "db.sqlite3") as connection:
        reported = connection.execute(
            "SELECT count(*) FROM cases_case WHERE reported_at >= ? AND reported_at < ?",
            (start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"))).fetchone()[0]
        still_open = connection.execute(
            f"SELECT count(*) FROM cases_case WHERE state NOT IN {TERMINAL!r}").fetchone()[0]
    return reported, still_open


@pytest.mark.django_db
def test_the_province_pulls_and_shows_both_cities(cities, settings):
    work, ports = cities
    month = timezone.localdate().replace(day=1)
    first, second = CITIES
    MemberCity.objects.create(code=first, name=CITIES[first][0], token=f"token-{first}",
                              url=f"http://127.0.0.1:{ports[first]}/province/published.json")
    # The second city hands in its export file instead.
    export = work / "luoyang.json"
    subprocess.run([URBANGRID, "province", "publish", "--out", str(export)], env=_env(work, second), check=True,
                   timeout=300)
    MemberCity.objects.create(code=second, name=CITIES[second][0], export_path=str(export))

    pulled, problems = pulling.pull_all(month)
    assert problems == [] and len(pulled) == 2
    for code in CITIES:
        data = CityAggregate.objects.get(city__code=code, month=month).data
        reported, still_open = _expected(work, code, month)
        assert reported > 0
        assert data["totals"]["counts"]["reported"] == reported
        assert sum(r["count"] for r in data["open_by_state"]) == still_open == CITIES[code][2]
        assert {d["key"] for d in data["districts"]} == {"410105"}  # the demo's small scope: 金水区
        text = json.dumps(data, ensure_ascii=False)
        assert "li.jiandu" not in text and "reporter" not in text and "phone" not in text  # no personal data

    # Pulling again replaces the month's aggregates; the page shows both cities.
    pulling.pull_all(month)
    assert CityAggregate.objects.count() == 2
    viewer = UserFactory(username="province.viewer")
    client = Client()
    client.force_login(viewer)
    assert client.get("/province/").status_code in (302, 403)  # deny by default
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_cityaggregate"))
    page = client.get("/province/", {"month": f"{month:%Y-%m}"})
    assert page.status_code == 200
    html = page.content.decode()
    for code, (name, *_rest) in CITIES.items():
        assert name in html
        reported, _open = _expected(work, code, month)
        assert f'<td class="num">{reported}</td>' in html
    assert client.get("/province/", {"month": "2026-13"}).status_code == 200  # a bad month: said, not a crash


@pytest.mark.django_db
def test_a_wrong_token_is_refused(cities):
    _work, ports = cities
    code = next(iter(CITIES))
    city = MemberCity.objects.create(code=code, name="x", token="wrong",
                                     url=f"http://127.0.0.1:{ports[code]}/province/published.json")
    with pytest.raises(pulling.PullError, match="401"):
        pulling.pull(city, timezone.localdate().replace(day=1))
    assert not CityAggregate.objects.exists()


def test_publish_without_a_token_publishes_nothing(settings, client, db):
    settings.PROVINCE_PUBLISH_TOKEN = ""
    assert client.get("/province/published.json").status_code == 404
    settings.PROVINCE_PUBLISH_TOKEN = "secret"
    assert client.get("/province/published.json", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    response = client.get("/province/published.json", HTTP_AUTHORIZATION="Bearer secret")
    assert response.status_code == 200 and response.json()["city"]["code"] == settings.CITY_CODE
    call_command("province", "publish", "--month", "2026-11")
