import pytest

# The case tests' cast, clock and media folder, for the permission matrix (test_matrix.py).
from tests.cases.conftest import cast, fresh_calendars, media, now  # noqa: F401


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
