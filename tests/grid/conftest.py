import pytest
from django.utils import translation

from urbangrid.grid import locating


@pytest.fixture(autouse=True)
def fresh_locator(monkeypatch):
    # Each test's database is rolled back, so data versions repeat across tests: never reuse a locator,
    # and read the version on every lookup so that a change within a test is seen at once.
    locating.reset()
    monkeypatch.setattr(locating, "CHECK_INTERVAL", 0.0)
    yield
    locating.reset()


@pytest.fixture(autouse=True)
def english():
    # Assertions are on the English msgids; the Chinese catalogue must not change what they see.
    with translation.override("en"):
        yield
