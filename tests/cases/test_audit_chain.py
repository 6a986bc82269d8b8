"""The audit chain of case events: `urbangrid audit verify` finds every edited or deleted event and names it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from tests.cases.builders import make_case
from urbangrid.cases import chain
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def verify(*numbers: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        with translation.override("en"):
            call_command("audit", "verify", *numbers, stdout=out)
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


def raw(sql: str, *params) -> None:
    """What someone with write access to the database does, past the ORM's refusal to change events."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_event_links_to_the_one_before_and_the_case_holds_the_last(cast):
    case = make_case(cast, State.CLOSED)
    events = list(case.events.order_by("seq"))
    assert len(events) >= 8 and all(len(e.chain) == 64 for e in events)
    previous = ""
    for event in events:
        assert event.chain == chain.link(previous, case.number, event)
        previous = event.chain
    assert case.event_chain == previous
    assert verify() == (True, "1 case checked: every event is intact.\n")


def test_an_edited_reason_is_found_and_named(cast):
    case = make_case(cast, State.HANDLING)
    other = make_case(cast, State.OPEN)
    seq = case.events.get(action="dispatch").seq
    raw("UPDATE cases_caseevent SET reason = %s WHERE case_id = %s AND seq = %s", "改过了", case.pk, seq)
    ok, out = verify()
    assert not ok
    assert f"case {case.number} event #{seq}: its content or its place in the chain was changed" in out
    assert other.number not in out
    assert "1 break in the audit chain." in out


def test_a_deleted_event_in_the_middle_is_found(cast):
    case = make_case(cast, State.HANDLING)
    raw("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = 2", case.pk)
    ok, out = verify(case.number)
    assert not ok
    assert f"case {case.number} event #3: events are missing before it (#2)" in out
    assert f"case {case.number} event #3: its content or its place in the chain was changed" in out


def test_deleting_the_newest_events_is_found(cast):
    case = make_case(cast, State.HANDLING)
    raw("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = %s", case.pk, case.version)
    ok, out = verify()
    assert not ok
    assert f"the case is at version {case.version} but its events end at #{case.version - 1}" in out
    assert "the chain head on the case does not match its last event" in out


def test_re_linking_without_the_key_is_found(cast, settings):
    case = make_case(cast, State.ACCEPTED)
    event = case.events.get(seq=1)
    event.reason = "伪造"
    installation_key = settings.AUDIT_KEY
    settings.AUDIT_KEY = "a key someone guessed"
    forged = chain.link("", case.number, event)
    settings.AUDIT_KEY = installation_key
    raw("UPDATE cases_caseevent SET reason = %s, chain = %s WHERE case_id = %s AND seq = 1", "伪造", forged, case.pk)
    ok, out = verify()
    assert not ok and f"case {case.number} event #1: its content" in out
    assert f"case {case.number} event #2: its content" in out  # its link no longer follows


def test_an_unknown_number_is_an_error(cast):
    make_case(cast, State.ACCEPTED)
    ok, out = verify("20990101000001")
    assert not ok and "No case has some of these numbers" in out
    assert Case.objects.count() == 1
