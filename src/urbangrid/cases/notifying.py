"""Telling the people of a case what happened to it, after the transaction commits (ARCHITECTURE.md §9.3.6).

The case app does not know how messages leave (SMS, WeChat, the 12319 callback): it sends the signal
`case_changed` on commit, with the event and whoever reported the case or a report merged into it, and the
channels listen. A rolled-back transaction sends nothing.
"""

from django.db import transaction
from django.dispatch import Signal

from urbangrid.cases.models import Case, CaseEvent

case_changed = Signal()  # sender=Case, case=Case, event=CaseEvent, reporters=list[Reporter]
# Every appended event, twice. `event_recorded` is sent inside the case's transaction, so what its listeners
# write (evaluation counters) commits or rolls back with the event; they must do no other I/O.
# `event_committed` is sent after the commit (webhooks, live queues); a rolled-back move sends nothing.
event_recorded = Signal()  # sender=Case, case=Case, event=CaseEvent
event_committed = Signal()  # sender=Case, case=Case, event=CaseEvent
NOTIFIED_ACTIONS = frozenset({"accept", "reject", "mark_duplicate", "refute", "open", "void", "close"})


def reporters(case: Case) -> list[dict]:
    """Whoever reported the case, and the reporters of every report merged into it (links kept)."""
    cases = [case, *Case.objects.filter(duplicate_of=case).order_by("id")]
    return [
        {"case": c.number, "user_id": c.reporter_id, "name": c.reporter_name, "phone": c.reporter_phone}
        for c in cases
    ]


def appended(case: Case, event: CaseEvent) -> None:
    """Called by cases.actions for every event it appends, inside the transaction."""
    event_recorded.send(sender=Case, case=case, event=event)
    transaction.on_commit(lambda: event_committed.send(sender=Case, case=case, event=event))


def on_commit(case: Case, event: CaseEvent) -> None:
    from urbangrid.cases import alerts  # alerts reads queues, which import this module

    transaction.on_commit(lambda: alerts.work_arrived(case, event))
    if event.action not in NOTIFIED_ACTIONS:
        return
    # A merged report is news for everyone on the case it joined, its own reporter included.
    target = case.duplicate_of if event.action == "mark_duplicate" else case
    people = reporters(target)
    transaction.on_commit(
        lambda: case_changed.send(sender=Case, case=case, event=event, reporters=people, into=target)
    )
