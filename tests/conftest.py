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


def pytest_collection_modifyitems(items):
    """Transactional tests (live servers, real processes) empty the database after them, and the tests that
    follow need what the migrations put there (the catalogue, step limits, content types): serialized rollback
    restores it before each one, so no test depends on the order they run in."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = "live_server" in names or "transactional_db" in names or (
            marker is not None and marker.kwargs.get("transaction")
        )
        if transactional:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)
