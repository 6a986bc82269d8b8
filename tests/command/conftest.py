import pytest
from django.core.cache import cache, caches

# The case tests' cast and stopped clock: the screen's numbers are checked on cases made by cases.actions.
from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_cache():
    # The screen keeps its slow figures in the shared store for minutes; each test starts without them.
    for store in (cache, caches["shared"]):
        store.clear()
    yield
    for store in (cache, caches["shared"]):
        store.clear()
