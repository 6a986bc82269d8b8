"""Values computed from the whole table once, kept in the process until the table's data version moves on.

The same scheme as grid.locating and components.nearest: every import, edit and generation bumps a data
version, so each process notices with one small query and rebuilds; no messaging between processes.
"""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from urbangrid.grid import versions

T = TypeVar("T")
_all: list["Versioned"] = []


class Versioned(Generic[T]):
    def __init__(self, data_version: str, build: Callable[[], T]):
        self.data_version, self.build = data_version, build
        self._cached: tuple[int, T] | None = None
        self._lock = threading.Lock()
        _all.append(self)

    def get(self) -> T:
        # The version is read before the data: a change committed in between only costs one more rebuild.
        version = versions.current(self.data_version)
        cached = self._cached
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._lock:  # one thread builds, the others wait for its result
            if self._cached is None or self._cached[0] != version:
                self._cached = (version, self.build())
            return self._cached[1]

    def clear(self) -> None:
        with self._lock:
            self._cached = None


def clear_all() -> None:
    """Forget every cached value; tests need it, as rolled-back databases reuse version numbers."""
    for cached in _all:
        cached.clear()
