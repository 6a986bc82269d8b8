"""Events are appended and never changed; only cases.actions writes cases and events."""

import itertools
import re
from pathlib import Path

import pytest

from tests.cases.builders import make_case
from urbangrid.cases.models import CaseEvent, ImmutableEvent
from urbangrid.core.workflow import State

SRC = Path(__file__).resolve().parents[2] / "src" / "urbangrid"
WRITES = re.compile(
    r"\b(Case|CaseEvent|Attachment|CaseSequence)\.objects\."
    r"(create|bulk_create|bulk_update|get_or_create|update_or_create)\b"
    r"|\b(Case|CaseEvent|Attachment|CaseSequence)\.objects\b.*\.(update|delete)\("
    r"|INSERT INTO cases_|UPDATE cases_|DELETE FROM cases_"
)
# A model instance's save() takes no positional argument; a file's or an image's save(name, …) does.
SAVES = re.compile(r"\.save\((\)|update_fields|force_insert|force_update|using)")
CASE_MODELS = re.compile(r"from urbangrid\.cases\.models import|from urbangrid\.cases import .*\bmodels\b")
# The benchmark city's history (urbangrid generate) is written in bulk into an empty database, with the events
# and counters a recount would give; it never touches a live case.
BULK_HISTORY = {"demo/history.py"}


@pytest.mark.django_db
def test_an_event_cannot_be_changed_or_deleted(cast):
    case = make_case(cast, State.ACCEPTED)
    event = case.events.last()
    event.reason = "rewritten"
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        event.delete()
    with pytest.raises(ImmutableEvent):
        CaseEvent.objects.filter(case=case).update(reason="rewritten")
    with pytest.raises(ImmutableEvent):
        CaseEvent.objects.filter(case=case).delete()
    assert case.events.get(seq=event.seq).reason == ""


@pytest.mark.django_db
def test_the_state_is_the_target_of_the_last_event(cast):
    case = make_case(cast, State.CHECKED)
    events = list(case.events.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, case.version + 1))
    assert events[-1].target == case.state
    assert all(a.target == b.source for a, b in itertools.pairwise(events))


def test_only_cases_actions_writes_cases_and_events():
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative in {"cases/actions.py", *BULK_HISTORY} or "/migrations/" in relative:
            continue
        text = path.read_text()
        if WRITES.search(text):
            offenders.append(relative)
        touches_cases = CASE_MODELS.search(text) is not None
        if touches_cases and relative != "cases/models.py" and SAVES.search(text):
            offenders.append(relative)
    assert offenders == []


# Transactional tests flush the database after; serialized_rollback restores the migrated data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_event_is_announced_inside_its_transaction_and_after_the_commit(cast):
    from urbangrid.cases import notifying

    inside, after = [], []

    def recorded(sender, case, event, **kwargs):
        inside.append((event.seq, CaseEvent.objects.filter(pk=event.pk).exists()))

    def committed(sender, case, event, **kwargs):
        after.append(event.seq)

    notifying.event_recorded.connect(recorded)
    notifying.event_committed.connect(committed)
    try:
        case = make_case(cast, State.ACCEPTED)
    finally:
        notifying.event_recorded.disconnect(recorded)
        notifying.event_committed.disconnect(committed)
    seqs = list(case.events.order_by("seq").values_list("seq", flat=True))
    assert inside == [(seq, True) for seq in seqs]  # the event row is visible: same transaction
    assert after == seqs
