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
