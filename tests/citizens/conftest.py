"""The citizens tests use the case tests' cast, clock and settings (tests/cases/conftest.py); citizens have no login."""

import pytest

from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from tests.workbench.conftest import browse  # noqa: F401


@pytest.fixture(autouse=True)
def patient(settings):
    """The minimum fill time is tested on its own; elsewhere a form may be sent at once."""
    settings.CITIZENS_MIN_FILL_SECONDS = 0
