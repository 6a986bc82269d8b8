import pytest

# The case tests' cast and stopped clock, for the case layers (test_case_layer.py).
from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from tests.factories import make_small_city
from tests.maps.helpers import make_components
from urbangrid.maps import cache, caselayer


@pytest.fixture(autouse=True)
def fresh_map_caches():
    # Rolled-back test databases reuse data-version numbers, so cached counts must not outlive a test.
    cache.clear_all()
    caselayer.forget_tallies()
    yield
    cache.clear_all()
    caselayer.forget_tallies()


@pytest.fixture
def city(db):
    """The small city of tests.factories with the components of tests.maps.helpers."""
    areas = make_small_city()
    make_components()
    return areas
