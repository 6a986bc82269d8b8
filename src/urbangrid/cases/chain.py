"""The audit chain of case events (等保 2.0: integrity of audit records).

Each event stores `chain` = HMAC-SHA256(AUDIT_KEY, previous link ‖ the event's content), the first event of
a case chaining from the empty string; the case row keeps the last link (`event_chain`). An edited event no
longer matches its link, a deleted one breaks the links after it, and deleting the newest events leaves the
case's head pointing at a link that is gone. The key lives outside the database (settings.AUDIT_KEY), so
someone who can write to the database cannot forge new links. `urbangrid audit verify` walks every case.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _

# The content of an event, in this order; the case is named by its number (known before the case row has an id).
FIELDS = ("seq", "action", "source", "target", "actor_id", "post", "organisation_id", "at", "reason", "data",
          "due_before", "due_after")


def link(previous: str, number: str, event) -> str:
    """The event's link, from the previous event's link (empty for the first) and the case number."""
    values = {name: _plain(getattr(event, name)) for name in FIELDS}
    content = json.dumps([number, values], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = previous.encode() + b"\n" + content.encode()
    return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    number: str
    seq: int | None  # the event; None: the case itself
    problem: str  # translated

    def __str__(self) -> str:
        where = _("case {number}").format(number=self.number)
        if self.seq is not None:
            where = _("case {number} event #{seq}").format(number=self.number, seq=self.seq)
        return f"{where}: {self.problem}"


def verify(number: str, version: int, head: str, events: list) -> list[Break]:
    """What is wrong with one case's events (in seq order), against its version and chain head."""
    found, previous, expected_seq = [], "", 1
    for event in events:
        if event.seq != expected_seq:
            missing = ", ".join(f"#{n}" for n in range(expected_seq, event.seq)) if event.seq > expected_seq else ""
            found.append(Break(number, event.seq, _("events are missing before it ({missing})").format(
                missing=missing) if missing else _("its number repeats or goes backwards")))
        if link(previous, number, event) != event.chain:
            found.append(Break(number, event.seq, _("its content or its place in the chain was changed")))
        previous, expected_seq = event.chain, event.seq + 1
    if events and events[-1].seq < version:
        found.append(Break(number, None, _("the case is at version {version} but its events end at #{seq}: the "
                                          "newest events were deleted").format(version=version, seq=events[-1].seq)))
    if not events:
        found.append(Break(number, None, _("the case has no events at all")))
    elif previous != head:
        found.append(Break(number, None, _("the chain head on the case does not match its last event")))
    return found


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value
