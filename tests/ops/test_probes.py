"""/healthz, /readyz and /metrics on the real database (SQLite or PostgreSQL), the request id and the JSON log."""

import datetime as dt
import ipaddress
import json
import logging

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import ConnectionHandler
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.cases.builders import make_case
from urbangrid.cases import clock, queries
from urbangrid.core.workflow import State
from urbangrid.notifications.tasks import email_notification
from urbangrid.ops import checks, logs
from urbangrid.worker.models import JobLease

pytestmark = pytest.mark.django_db


def scrape(client=None, **extra) -> dict[str, list]:
    response = (client or Client()).get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {f.name: f.samples for f in text_string_to_metric_families(response.content.decode())}


def value(samples, name: str, **labels) -> float | None:
    found = [s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    return found[0] if found else None


def test_healthz_answers_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_on_a_migrated_database_without_login():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "failing": [], "checks": {"database": "ok", "migrations": "ok", "cache": "ok"}}


def test_readyz_fails_with_503_while_a_migration_is_unapplied():
    MigrationRecorder(connection).migration_qs.filter(
        app="worker", name="0001_initial").delete()  # as if a release's `urbangrid migrate` had not run
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["failing"]) == ("unavailable", ["migrations"])
    assert body["checks"]["migrations"] == "1 unapplied: worker.0001_initial"
    assert body["checks"]["database"] == "ok"


def test_an_unreachable_database_is_named_not_raised(tmp_path):
    broken = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3",
                                            "NAME": str(tmp_path / "no-such-dir" / "db.sqlite3")}})["default"]
    assert checks.database(broken).startswith("OperationalError: unable to open database file")
    assert checks.database() is None


def test_readyz_fails_when_the_cache_keeps_nothing(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = Client().get("/readyz")
    assert (response.status_code, response.json()["failing"]) == (503, ["cache"])


def test_a_request_id_is_passed_through_or_made():
    assert Client().get("/healthz", headers={"X-Request-ID": "nginx-7f3a"})["X-Request-ID"] == "nginx-7f3a"
    made = Client().get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})["X-Request-ID"]
    assert len(made) == 32 and made != Client().get("/healthz")["X-Request-ID"]
    assert Client().get("/no-such-page")["X-Request-ID"]  # on errors too


def test_metrics_only_for_allowed_addresses(settings):
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="::1").get("/metrics").status_code == 200
    # A forged X-Forwarded-For from anywhere is not believed …
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 403
    # … and behind our own proxy the client beyond it is the one judged, not the proxy.
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    settings.METRICS_ALLOWED_IPS = [ipaddress.ip_network("203.0.113.0/24")]
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200


def test_request_latency_is_counted_by_view_method_and_status_class():
    before = value(scrape()["urbangrid_http_request_duration_seconds"], "urbangrid_http_request_duration_seconds_count",
                   view="ops:readyz", method="GET", status="2xx") or 0
    for _ in range(3):
        Client().get("/readyz")
    Client().post("/readyz")  # 405
    samples = scrape()["urbangrid_http_request_duration_seconds"]
    count = "urbangrid_http_request_duration_seconds_count"
    assert value(samples, count, view="ops:readyz", method="GET", status="2xx") == before + 3
    assert value(samples, count, view="ops:readyz", method="POST", status="4xx") >= 1
    assert value(samples, "urbangrid_http_request_duration_seconds_bucket", view="ops:readyz", method="GET",
                 status="2xx", le="+Inf") == before + 3


def test_work_gauges_come_from_the_database(cast, now):
    make_case(cast, State.REPORTED)
    make_case(cast, State.REPORTED)
    late = make_case(cast, State.DISPATCHED)
    make_case(cast, State.CLOSED)
    email_notification.enqueue(notification_id=1)
    JobLease.objects.create(name="escalate", holder="w1", lease_until=now.at + dt.timedelta(minutes=1))
    JobLease.objects.create(name="retention", last_finished_at=now.at, last_error="boom")

    gauges = scrape()
    assert value(gauges["urbangrid_cases_open"], "urbangrid_cases_open", state="reported") == 2
    assert value(gauges["urbangrid_cases_open"], "urbangrid_cases_open", state="dispatched") == 1
    assert value(gauges["urbangrid_cases_open"], "urbangrid_cases_open", state="closed") is None
    assert value(gauges["urbangrid_cases_overdue"], "urbangrid_cases_overdue") == 0
    assert value(gauges["urbangrid_tasks_queued"], "urbangrid_tasks_queued", queue="default") == 1
    leases = gauges["urbangrid_worker_job_lease_held"]
    assert (value(leases, "urbangrid_worker_job_lease_held", job="escalate"),
            value(leases, "urbangrid_worker_job_lease_held", job="retention")) == (1, 0)
    assert value(gauges["urbangrid_worker_job_failing"], "urbangrid_worker_job_failing", job="retention") == 1

    now.move(days=30)  # far past the dispatched case's deadline: the very query of cases.queries says overdue
    assert queries.overdue(clock.now()).filter(pk=late.pk).exists()
    assert value(scrape()["urbangrid_cases_overdue"], "urbangrid_cases_overdue") == queries.overdue(clock.now()).count()
    assert queries.overdue(clock.now()).count() >= 1


def test_each_request_logs_one_json_line_with_its_id(caplog):
    with caplog.at_level(logging.INFO, logger="urbangrid.request"):
        Client().get("/no-such-page", headers={"X-Request-ID": "req-42"})
        Client().get("/healthz")  # probes are not logged while they succeed
    [record] = [r for r in caplog.records if r.name == "urbangrid.request"]
    line = json.loads(logs.JsonFormatter().format(record))
    assert {k: line[k] for k in ("level", "logger", "request_id", "method", "path", "status", "view")} == {
        "level": "WARNING", "logger": "urbangrid.request", "request_id": "req-42", "method": "GET",
        "path": "/no-such-page", "status": 404, "view": "<unmatched>"}
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
    assert line["message"].startswith("GET /no-such-page 404 ")


def test_log_format_is_json_or_text():
    assert logs.config("json")["handlers"]["console"]["formatter"] == "json"
    # A line per request in JSON (for the collector); in text, at a terminal or in benchmarks, failures only.
    assert logs.config("json")["loggers"]["urbangrid"]["level"] == "INFO"
    assert logs.config("text")["loggers"]["urbangrid"]["level"] == "WARNING"
    assert logs.config("text", "DEBUG")["loggers"]["urbangrid"]["level"] == "DEBUG"
    with pytest.raises(Exception, match="LOG_FORMAT"):
        logs.config("xml", "INFO")


def test_security_txt_names_the_installations_contacts(settings):
    settings.SECURITY_CONTACTS = ["mailto:security@city.example.gov.cn", "https://city.example.gov.cn/security"]
    response = Client().get("/.well-known/security.txt", HTTP_HOST="testserver")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert [v for k, v in fields if k == "Contact"] == settings.SECURITY_CONTACTS
    (expires,) = [dt.datetime.fromisoformat(v) for k, v in fields if k == "Expires"]
    assert dt.timedelta(days=1) < expires - dt.datetime.now(dt.UTC) < dt.timedelta(days=365)  # RFC 9116 §2.5.5
    assert [v for k, v in fields if k == "Canonical"] == ["http://testserver/.well-known/security.txt"]


def test_security_txt_is_absent_without_a_contact(settings):
    settings.SECURITY_CONTACTS = []
    assert Client().get("/.well-known/security.txt").status_code == 404
