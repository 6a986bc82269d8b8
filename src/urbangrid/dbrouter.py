"""Read replicas (docs/production.md §Read replicas): the read-heavy evaluation and map pages read their
figures from a PostgreSQL streaming replica named by DATABASE_REPLICA_URL; everything else, and every write,
goes to the primary.

Only GET and HEAD requests under READ_PATHS read from the replica, and only the models of REPLICA_APPS (cases,
counters, areas, components, the catalogue): who is signed in, their posts, sessions and lockouts are always
read from the primary, so a user who has just signed in is not signed out by the replica's lag. When no replica
is configured, or it does not answer, the same reads go to the primary; a replica that failed is not asked
again for DOWN_SECONDS, and a request whose replica connection failed part-way is served again from the primary
(it only reads). Part of db.py's knowledge of the databases: no other module names an alias.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
READ_PATHS = ("/evaluation/", "/map/", "/province/", "/api/v1/evaluation/", "/api/v1/map/")
REPLICA_APPS = frozenset({"evaluation", "cases", "grid", "components", "catalog"})
DOWN_SECONDS = 30.0

_reading: ContextVar[bool] = ContextVar("urbangrid_replica_reads", default=False)
_down_until = 0.0
log = logging.getLogger(__name__)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[bool]:
    """Inside, the reads of REPLICA_APPS' models go to the replica if one is configured and answers; yields
    whether they do."""
    token = _reading.set(_usable())
    try:
        yield _reading.get()
    finally:
        _reading.reset(token)


def mark_down(error: Exception | None = None) -> None:
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    log.warning("read replica unavailable, reading from the primary for %.0f s: %s", DOWN_SECONDS, error)
    with suppress(DatabaseError):
        connections[REPLICA].close()


def _usable() -> bool:
    if not configured() or time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    try:
        if connection.connection is not None and connection.is_usable():
            return True
        connection.close()
        connection.ensure_connection()
    except DatabaseError as error:
        mark_down(error)
        return False
    return True


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside replica_reads() to the replica, all else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return None  # Django's choice: the primary, or the database of a related instance

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica follows the primary's schema; it is never migrated itself


def middleware(get_response):
    """GET and HEAD of the read-heavy pages read from the replica; served again from the primary if the
    replica fails while they run."""

    def replica_reads_middleware(request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(READ_PATHS) or not configured():
            return get_response(request)
        with replica_reads() as on_replica:
            if not on_replica:
                return get_response(request)
            try:
                return get_response(request)
            except DatabaseError as error:
                if not _failed(error):
                    raise
                mark_down(error)
        return get_response(request)

    return replica_reads_middleware


def _failed(error: DatabaseError) -> bool:
    """Whether the replica connection is the one that broke."""
    connection = connections[REPLICA]
    return connection.connection is None or not connection.is_usable()
