from tests.cases.conftest import cast, fast_passwords, fresh_calendars, media, now  # noqa: F401
