"""The citizens tests use the case tests' cast, clock and settings (tests/cases/conftest.py); citizens have no login."""

import pytest
from django.test import Client

from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401


@pytest.fixture
def browse():
    def client(user=None) -> Client:
        found = Client()
        if user is not None:
            found.force_login(user)
        return found

    return client


@pytest.fixture(autouse=True)
def patient(settings):
    """The minimum fill time is tested on its own; elsewhere a form may be sent at once."""
    settings.CITIZENS_MIN_FILL_SECONDS = 0
