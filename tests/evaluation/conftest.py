"""The case tests' cast and stopped clock, reused: evaluation counts what the case loop records."""

from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
