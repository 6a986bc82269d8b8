from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401

