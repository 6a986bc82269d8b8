import pytest

from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from urbangrid.open311 import keys


@pytest.fixture
def api_key(cast) -> str:  # noqa: F811 (the fixture imported above)
    """The key of a citizen app posting public reports (it reports as open311-citizen-app)."""
    return keys.create("citizen-app")[1]
