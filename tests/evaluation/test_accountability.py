"""The accountability report (art. 32) on the scripted history and on cases returned and reworked twice."""

import datetime as dt

import pytest

from tests.cases.builders import make_case, walk
from tests.evaluation.history import WEEK1, play
from tests.evaluation.test_pages import client
from urbangrid.core import evaluation as core
from urbangrid.core.workflow import State
from urbangrid.evaluation import accountability, report

pytestmark = pytest.mark.django_db
W1 = core.period("week", WEEK1)


def letters(flags, history) -> set[str]:
    by_id = {case.pk: letter for letter, case in history.items()}
    return {by_id[f.case.pk] for f in flags}


def test_overdue_without_action_and_idle_cases_of_the_scripted_week(cast, now):
    history = play(cast, now)
    found = accountability.flagged(W1)
    assert letters(found["overdue"], history) == {"F", "I"}  # nothing done since their deadlines passed
    assert letters(found["idle"], history) == {"D", "F", "I"}  # no event since Wed 12-02 00:00
    overdue = {letters([f], history).pop(): f for f in found["overdue"]}
    assert overdue["F"].department == cast.shizheng and overdue["F"].people == ["市政局周"]
    assert overdue["F"].times == 5  # Tue 10:45 → Mon 00:00
    assert found["returns"] == [] and found["reworks"] == []


def test_repeated_returns_and_rework_loops_name_departments_and_people(cast, now):
    disputed = make_case(cast, State.DISTRICT_COORDINATION)  # returned by 市政局, then by 园林局
    case = make_case(cast, State.CHECKING)
    rework = [("li", "rework", {"reason": "未修好", "photos": ["evidence"]}), ("zhou", "take", {}),
              ("zhou", "feedback", {"note": "已处理", "photos": ["before", "after"]}), ("wang", "send_check", {})]
    looped = walk(cast, case, rework + rework)
    period = core.period("day", now.at.date())
    found = accountability.flagged(period)
    (returns,) = found["returns"]
    assert returns.case == disputed and returns.times == 2 and set(returns.people) == {"市政局周", "园林局吴"}
    (reworks,) = found["reworks"]
    assert reworks.case == looped and reworks.times == 2 and reworks.department == cast.shizheng
    assert reworks.people == ["市政局周"]
    rows = accountability.by_department(found)
    assert {r["department"]: (r["returns"], r["reworks"]) for r in rows}["金水区市政局"] == (0, 1)
    page = client(cast.zhao).get(f"/evaluation/accountability/?kind=day&day={period.first.isoformat()}")
    assert page.status_code == 200 and looped.number in page.content.decode()
    assert client(cast.zhou).get("/evaluation/accountability/").status_code == 403


def test_a_past_period_at_its_end_and_the_same_days_still_going(cast, now):
    """Week 1 (Mon 11-30 … Sun 12-06) seen from Wed 12-09, worked out by hand. All made Mon 11-30 09:00:
    R returned by 市政局 and then by 园林局 (district coordination since); K opened, voided Wed 12-09 (after the
    week: still open at its end); V voided at once; L handling, an extension asked Fri 12-04 10:00; C closed."""
    start = now.at
    returned = make_case(cast, State.DISTRICT_COORDINATION)
    kept = make_case(cast, State.OPEN)
    make_case(cast, State.VOIDED)
    make_case(cast, State.CLOSED)
    handling = make_case(cast, State.HANDLING)
    now.at = start + dt.timedelta(days=4, hours=1)
    walk(cast, handling, [("zhou", "request_extension",
                           {"reason": "需要更换管线", "duration": 1, "duration_unit": "work_days"})])
    now.at = start + dt.timedelta(days=9)
    walk(cast, kept, [("zhao", "void", {"reason": "误立案"})])
    week1 = core.period("week", start.date())
    found = accountability.flagged(week1)
    (returns,) = found["returns"]
    assert returns.case == returned and returns.times == 2 and set(returns.people) == {"市政局周", "园林局吴"}
    assert found["reworks"] == []
    # L is overdue at the end of the week (dispatched Mon, 4 working hours), but asked for more time after
    # its deadline: something was done.
    assert {c["id"] for c in report.overdue(week1)} == {handling.pk} and found["overdue"] == []
    # No event from Wed 12-02 00:00 to Mon 12-07 00:00, not finished at the end: R, and K voided only later.
    idle = {f.case.pk: f.times for f in found["idle"]}
    assert idle == {returned.pk: 6, kept.pk: 6}  # Mon 09:00 → Mon 00:00: 6 days and 15 hours
    week2 = accountability.flagged(core.period("week", (start + dt.timedelta(days=7)).date()))
    # Not over: seen now (Wed 12-09 09:00): K is voided, L's request (Fri 10:00) is within 5 days of now.
    assert [f.case.pk for f in week2["idle"]] == [returned.pk] and week2["returns"] == []
    assert [f.case.pk for f in week2["overdue"]] == []


def test_the_finished_but_closed_states_are_those_of_the_partial_index():
    """accountability reads past periods' rejected and voided cases through the partial index case_ended_unopened,
    whose condition must name the same states (a new end state would otherwise be missed, or scanned)."""
    from urbangrid.cases.models import Case
    from urbangrid.evaluation import accountability

    assert set(accountability.UNOPENED_ENDS) == set(accountability.TERMINAL) - {accountability.CLOSED}
    (index,) = [i for i in Case._meta.indexes if i.name == "case_ended_unopened"]
    assert dict(index.condition.children)["state__in"] == accountability.UNOPENED_ENDS
