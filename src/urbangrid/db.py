"""The only module that knows which database vendor is in use (ARCHITECTURE.md §9.3 rule 5)."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# WAL lets readers continue while one writer commits; IMMEDIATE takes the write lock at BEGIN so two
# writers queue on busy_timeout instead of failing later with "database is locked" on lock upgrade.
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536"


def sqlite_settings(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": SQLITE_INIT},
        "TEST": {"NAME": str(path.with_name("test-" + path.name))},
    }


def settings_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        return sqlite_settings(Path(unquote(parts.path)))
    raise ImproperlyConfigured(f"DATABASE_URL={url!r}: use postgres://… or sqlite:///path")


def vendor() -> str:
    from django.db import connection

    return connection.vendor
