"""The accountability report (art. 32) on the scripted history and on cases returned and reworked twice."""

import pytest

from tests.cases.builders import make_case, walk
from tests.evaluation.history import WEEK1, play
from tests.evaluation.test_pages import client
from urbangrid.core import evaluation as core
from urbangrid.core.workflow import State
from urbangrid.evaluation import accountability

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
