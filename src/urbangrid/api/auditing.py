"""One audit entry per bulk import (grid.bulk.imported): who, when, which file, and the counts (issue 7)."""

from urbangrid.audit import recording
from urbangrid.audit.models import Kind
from urbangrid.grid.bulk import imported


def record_import(sender, what: str, source: str, fmt: str, counts: dict, actor=None, object=None, by: str = "",
                  **kwargs):
    """`by`: the operating-system user of a command (a request's user is found by recording.write itself)."""
    detail = {"op": "imported", "what": what, "source": source[:200], "format": fmt, "counts": counts,
              **({"by": by} if by else {})}
    recording.write(Kind.REFERENCE, object, detail=detail, actor=actor)


def connect() -> None:
    imported.connect(record_import, dispatch_uid="api.audit.imported")
