"""Values computed from the whole table once, kept in the process until the table's data version moves on.

The scheme lives in grid.versions (the dispatch directory and the intake caches use it too); the map's
modules import it from here.
"""

from urbangrid.grid.versions import Versioned, clear_all

__all__ = ["Versioned", "clear_all"]
