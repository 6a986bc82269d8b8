"""The workbench tests use the case tests' cast, clock and settings (tests/cases/conftest.py)."""

import pytest
from django.test import Client

from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401


@pytest.fixture
def browse():
    """browse(cast.wang) → a Django test client logged in as Wang; browse(None) → anonymous."""

    def client(user=None) -> Client:
        found = Client()
        if user is not None:
            found.force_login(user)
        return found

    return client
