"""The hotline tests use the case tests' cast, clock and settings (tests/cases/conftest.py): 受理员 Wang answers."""

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
