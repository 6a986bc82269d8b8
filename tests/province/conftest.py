from tests.cases.conftest import cast, fast_passwords, media, now  # noqa: F401  the case tests' cast and clock
