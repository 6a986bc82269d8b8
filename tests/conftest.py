import pytest

from tests.factories import make_small_city


@pytest.fixture
def small_city(db):
    return make_small_city()
