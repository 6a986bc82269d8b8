"""The command screen's slow figures: computed by the worker into the store every process shares, only read by
the requests (computed once by a request when the worker has not filled the store yet)."""

import datetime as dt

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.builders import make_case
from urbangrid.command import figures
from urbangrid.command.models import TABLE, SharedCacheEntry
from urbangrid.core.workflow import State
from urbangrid.settings import cache_settings, shared_cache_settings
from urbangrid.worker import schedule

pytestmark = pytest.mark.django_db
S = State
CITY = figures.Scope("全市")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def another_process():
    """The shared store as another process opens it: a new backend built from the same settings, none of this
    process's objects (a database cache is shared by construction; the locmem default cache is not)."""
    return caches.create_connection(figures.STORE)


def panels_sql(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/command/panels/").status_code == 200
    return [q["sql"] for q in captured]


def slow_sql(statements: list[str]) -> list[str]:
    """The statements of the 30-day and monthly figures: grouped by street or district (SUBSTR of the grid
    code), or reading the class names of the top classes."""
    return [sql for sql in statements if "SUBSTR" in sql.upper() or "catalog_catalogclass" in sql]


def test_the_store_is_the_database_table_without_cache_url_and_redis_with_one():
    assert shared_cache_settings("") == {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE}
    redis = "redis://127.0.0.1:6379/1"
    assert shared_cache_settings(redis) == cache_settings(redis)


def test_the_worker_job_fills_the_shared_store_for_the_city_and_each_district_centre(cast, now):
    make_case(cast, S.OPEN)
    job = schedule.JOBS[figures.JOB]
    assert job.run == figures.precompute and job.every < dt.timedelta(seconds=figures.SLOW_TTL)
    job.run()
    today = now.at.date()
    store = another_process()
    city = store.get(figures.slow_key(CITY, today))
    jinshui = store.get(figures.slow_key(figures.Scope("金水区", ("410105",)), today))
    assert city is not None and jinshui is not None  # 金水区's centre has an operator (cast.qian)
    assert city["recent_total"] == jinshui["recent_total"] == 1 and city["slow_at"] == now.at
    assert city == figures.slow(CITY, today, now.at)
    # In the database's table (CACHE_URL is unset in the tests), not in this process's memory.
    assert SharedCacheEntry.objects.filter(cache_key__endswith=figures.slow_key(CITY, today)).exists()
    assert cache.get(figures.slow_key(CITY, today)) is None


def test_with_the_store_filled_a_request_runs_no_slow_query(cast, now):
    make_case(cast, S.HANDLING)
    client = signed_in(cast.sun)
    cold = panels_sql(client)  # the worker has not run: this request computes the figures and stores them
    assert slow_sql(cold)
    figures.precompute()
    warm = panels_sql(client)
    assert slow_sql(warm) == [] and len(warm) <= len(cold) - len(slow_sql(cold))
    assert any(TABLE in sql for sql in warm)  # read from the shared store


def test_a_request_that_finds_no_figures_stores_them_for_every_process(cast, now):
    make_case(cast, S.OPEN)
    client = signed_in(cast.sun)
    client.get("/command/panels/")
    stored = another_process().get(figures.slow_key(CITY, now.at.date()))
    assert stored is not None and stored["recent_total"] == 1
    assert slow_sql(panels_sql(signed_in(cast.wang))) == []  # another user, the same figures: not computed again


def test_the_figures_are_as_fresh_as_the_last_run_and_say_when_that_was(cast, now):
    make_case(cast, S.OPEN)
    figures.precompute()
    computed = now.at
    now.move(minutes=1)
    make_case(cast, S.OPEN)
    page = signed_in(cast.sun).get("/command/panels/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    screen = figures.screen(CITY, now.at)
    assert screen["recent_total"] == 1 and screen["intake_total"] == 2  # the 30 days as stored, today live
    assert f"as of {timezone.localtime(computed):%H:%M}" in page
    now.move(minutes=2)
    figures.precompute()  # the worker's next run
    assert figures.screen(CITY, now.at)["recent_total"] == 2


def test_the_as_of_time_is_in_chinese(cast, now):
    figures.precompute()
    page = signed_in(cast.sun).get("/command/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"截至 {timezone.localtime(now.at):%H:%M}" in page
