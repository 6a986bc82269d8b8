"""What /readyz asks: each check returns None when fine, or what is wrong (a short English text for operators)."""

import functools
import uuid

from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def database(db=connection) -> str | None:
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not ready", and the probe must answer anyway
        return f"{type(error).__name__}: {error}".strip()[:300]
    return None


@functools.cache
def _on_disk() -> dict[tuple[str, str], frozenset]:
    # Reading the migration files costs ~0.1 s, and they change only with a new release, which restarts us.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: frozenset(loader.replacements[key].replaces if key in loader.replacements else ())
            for key in loader.graph.nodes}


def migrations() -> str | None:
    """Migrations in the code that the database has not had (a release whose `urbangrid migrate` has not run)."""
    applied = MigrationRecorder(connection).applied_migrations()  # one small query
    missing = sorted(
        f"{app}.{name}" for (app, name), replaces in _on_disk().items()
        if (app, name) not in applied and not (replaces and replaces <= applied.keys())
    )
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        return f"{len(missing)} unapplied: {shown}"
    return None


def cache_roundtrip() -> str | None:
    key, value = "urbangrid:readyz", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        if cache.get(key) != value:
            return "a value written to the cache could not be read back"
    except Exception as error:
        return f"{type(error).__name__}: {error}".strip()[:300]
    return None


def run() -> dict[str, str | None]:
    found = {"database": database()}
    # Without a database there are no migrations to compare; say so instead of a second traceback.
    found["migrations"] = migrations() if found["database"] is None else "database unreachable"
    found["cache"] = cache_roundtrip()
    return found
