import importlib

import pytest
from django.core.cache import cache

from tests.factories import make_small_city
from urbangrid.components import nearest
from urbangrid.grid import locating, versions
from urbangrid.timekeeping import calendars


@pytest.fixture
def small_city(db):
    return make_small_city()


@pytest.fixture(autouse=True)
def fresh_indexes():
    """Rolled-back test databases reuse data-version numbers, so in-memory indexes must not outlive a test."""
    for clear in (locating.reset, nearest.clear_cache, calendars.clear_cache, versions.clear_all):
        clear()
    yield
    for clear in (locating.reset, nearest.clear_cache, calendars.clear_cache, versions.clear_all):
        clear()


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """The API's rate counters live in the cache and key on user ids, which rolled-back tests reuse."""
    cache.clear()



def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return "live_server" in names or "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def migrated_data(request):
    """A transactional test (live servers, real processes) empties every table after it, and a serialized
    rollback does not always bring the data migrations' rows back for the next one; load them again when they
    are missing: the catalogue, the default calendar and the step limits (committed: other threads see them)."""
    if _transactional(request):
        request.getfixturevalue("_django_db_helper")  # the database is set up for this test first
        from django.apps import apps

        from urbangrid.catalog.models import CatalogClass

        if not CatalogClass.objects.exists():
            catalogue = importlib.import_module("urbangrid.catalog.migrations.0002_load_gbt47678_5_2026")
            catalogue.load_shipped_catalogue(apps, None)
        seeding = importlib.import_module("urbangrid.timekeeping.migrations.0002_default_calendar_and_step_limits")
        seeding.seed(apps, None)
    yield
