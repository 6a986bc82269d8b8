"""Data versions: a cheap way for each process to notice that reference data changed in the database.

Every import, edit and generation of reference data bumps its version; a process keeps what it computed
from the data (a spatial index, the dispatch directory, calendars) until the version moves on, so processes
stay in step without messaging. Checking costs one small query, or none inside `pinned()`.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import F

from urbangrid import db
from urbangrid.grid.models import DataVersion

T = TypeVar("T")
_UNREAD: dict[str, int] = {}  # marks a pinned block whose snapshot is not read yet (compared by identity)
_pinned: ContextVar[dict[str, int] | None] = ContextVar("urbangrid_pinned_versions", default=None)
_all: list["Versioned"] = []
SNAPSHOT_SQL = "SELECT name, version FROM grid_dataversion"
SNAPSHOT_SECONDS = 1.0
_recent: tuple[float, dict[str, int]] | None = None  # (monotonic time, versions) of the last snapshot read


def bump(name: str) -> None:
    with transaction.atomic():
        updated = DataVersion.objects.filter(name=name).update(version=F("version") + 1)
        if not updated:
            DataVersion.objects.get_or_create(name=name, defaults={"version": 1})
    global _recent
    _recent = None  # this process sees its own change at once
    pinned_now = _pinned.get()
    if pinned_now is not None and pinned_now is not _UNREAD:  # a block that changes data sees its own change
        pinned_now[name] = current_in_database(name)


def current(name: str) -> int:
    pinned_now = _pinned.get()
    if pinned_now is None:
        return current_in_database(name)
    if pinned_now is _UNREAD:  # the first cache consulted in the block reads the snapshot
        pinned_now = _snapshot()
        _pinned.set(pinned_now)
    return pinned_now.get(name, 0)


def current_in_database(name: str) -> int:
    return DataVersion.objects.filter(name=name).values_list("version", flat=True).first() or 0


@contextmanager
def pinned() -> Iterator[None]:
    """Answer current() for the block from one snapshot of every data version.

    A report consults five caches (grids, calendars, people, the dispatch directory with the catalogue); one
    snapshot makes them agree with each other for the whole report and costs one query instead of five, or
    none: a snapshot younger than SNAPSHOT_SECONDS is reused, so another process's change to reference data
    reaches intake within that time (this process's own changes at once, see bump). Nested blocks share the
    outer snapshot.
    """
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set(_UNREAD)  # read when first needed: a block that consults no cache costs nothing
    try:
        yield
    finally:
        _pinned.reset(token)


def _snapshot() -> dict[str, int]:
    global _recent
    now, recent = time.monotonic(), _recent
    if recent is None or now - recent[0] > SNAPSHOT_SECONDS:
        recent = _recent = (now, dict(db.select(SNAPSHOT_SQL)))  # raw: composing it cost more than running it
    return dict(recent[1])


class Versioned(Generic[T]):
    """A value computed from reference data, rebuilt when any of its data versions moves on."""

    def __init__(self, data_versions: str | tuple[str, ...], build: Callable[[], T]):
        self.names = (data_versions,) if isinstance(data_versions, str) else tuple(data_versions)
        self.build = build
        self._cached: tuple[tuple[int, ...], T] | None = None
        self._lock = threading.Lock()
        _all.append(self)

    @property
    def data_version(self) -> str:
        return self.names[0]

    def get(self) -> T:
        # The versions are read before the data: a change committed in between only costs one more rebuild.
        key = tuple(current(name) for name in self.names)
        cached = self._cached
        if cached is not None and cached[0] == key:
            return cached[1]
        with self._lock:  # one thread builds, the others wait for its result
            if self._cached is None or self._cached[0] != key:
                self._cached = (key, self.build())
            return self._cached[1]

    def clear(self) -> None:
        with self._lock:
            self._cached = None


def clear_all() -> None:
    """Forget every cached value; tests need it, as rolled-back databases reuse version numbers."""
    global _recent
    _recent = None
    for cached in _all:
        cached.clear()
