import pytest

from tests.cases.helpers import MONDAY_9AM, Api, Cast, Clock, make_cast
from urbangrid.accounts import gridhistory
from urbangrid.cases import clock
from urbangrid.timekeeping import calendars


@pytest.fixture(autouse=True)
def now(monkeypatch) -> Clock:
    """The case app's clock, stopped at a working Monday 09:00; tests move it."""
    frozen = Clock(MONDAY_9AM)
    monkeypatch.setattr(clock, "now", frozen)
    monkeypatch.setattr(gridhistory, "now", frozen)  # grid changes count from the next day of the same clock
    return frozen


@pytest.fixture(autouse=True)
def fresh_calendars():
    """Calendars are cached by data version, which a rolled-back test transaction reuses."""
    calendars.clear_cache()
    yield
    calendars.clear_cache()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The cast logs in with force_login; PBKDF2 would spend a quarter of a second on each of nine users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(small_city) -> Cast:
    return make_cast(small_city)


@pytest.fixture
def as_user():
    """as_user(cast.li) → an Api client logged in as Li."""
    return Api
