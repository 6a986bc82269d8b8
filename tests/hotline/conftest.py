"""The hotline tests use the case tests' cast, clock and settings (tests/cases/conftest.py): 受理员 Wang answers."""

from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
from tests.workbench.conftest import browse  # noqa: F401
