"""One small demo city per module, rolled back at its end; each test runs in a savepoint inside it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from urbangrid.components import nearest
from urbangrid.grid import locating
from urbangrid.timekeeping import calendars

# Django's default hasher spends ~0.5 s per password on purpose; the demo users do not need that here.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _forget_indexes() -> None:
    # Rolled-back databases reuse data versions, so a cached index could belong to another database state.
    locating.reset()
    nearest.clear_cache()
    calendars.clear_cache()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The output of `urbangrid demo --small`, seeded once for the module."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), translation.override("en"):
        _forget_indexes()
        # Marked as a test case's own block, so that the durable transactions of cases.actions may nest in it.
        atomic = transaction.atomic()
        atomic._from_testcase = True
        with atomic:
            output = run_demo()
            yield output
            transaction.set_rollback(True)
        _forget_indexes()


@pytest.fixture(autouse=True)
def fast_hashers():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run_demo() -> str:
    from io import StringIO

    out = StringIO()
    call_command("demo", "--small", stdout=out, stderr=StringIO())
    return out.getvalue()
