"""The command screen: who may open it, and its numbers on a hand-made set of cases."""

import datetime as dt

import pytest
from django.test import Client

from tests.cases.builders import make_case, path, walk
from urbangrid.cases import clock
from urbangrid.cases.models import Case
from urbangrid.command import figures
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db
S = State


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def close(cast, case: Case) -> Case:
    steps = [step for state in (S.FED_BACK, S.CHECKING, S.CHECKED, S.CLOSED) for step in path(cast)[state][1]]
    return walk(cast, case, steps)


def test_only_the_centres_leaders_and_district_centres_may_open_it(client, cast):
    assert client.get("/command/").status_code == 302  # to sign in
    for person in (cast.chen, cast.zhou, cast.li):  # no post, a department, a collector
        assert signed_in(person).get("/command/").status_code == 403
        assert signed_in(person).get("/command/panels/").status_code == 403
    for person in (cast.sun, cast.wang, cast.zhao):
        assert signed_in(person).get("/command/").status_code == 200
    district = signed_in(cast.qian).get("/command/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert district.status_code == 200 and "金水区" in district.content.decode()


def test_a_district_screen_counts_only_its_district(cast):
    make_case(cast, S.OPEN)
    at = clock.now()
    jinshui = figures.live(figures.Scope("金水区", ("410105",)), at)
    other = figures.live(figures.Scope("中原区", ("410102",)), at)
    assert (jinshui["open_total"], other["open_total"]) == (1, 0)
    assert (jinshui["intake_total"], other["intake_total"]) == (1, 0)


def test_the_numbers_of_a_hand_made_day(cast, now):
    reported = make_case(cast, S.REPORTED)  # collector
    opened = make_case(cast, S.OPEN, source="hotline")
    handling = make_case(cast, S.HANDLING)
    on_time = close(cast, make_case(cast, S.HANDLING))
    late = make_case(cast, S.HANDLING)
    now.at = late.due_at + dt.timedelta(hours=1)
    late = close(cast, late)
    assert on_time.closed_at <= on_time.due_at and late.closed_at > late.due_at
    now.at = handling.due_at + dt.timedelta(hours=2, minutes=30)

    screen = figures.screen(figures.Scope("全市"), now.at)
    assert screen["intake_total"] == 5
    assert {b["key"]: b["count"] for b in screen["intake"]} == {
        "collector": 4, "hotline": 1, "public": 0, "system": 0, "other": 0,
    }
    assert screen["open_total"] == 3
    assert {b["key"]: b["count"] for b in screen["open_by_state"]} == {"reported": 1, "open": 1, "handling": 1}
    open_cases = Case.objects.filter(pk__in=[reported.pk, opened.pk, handling.pk])
    overdue = sorted(c.pk for c in open_cases if clock.is_overdue(c, now.at))  # the case app's own rule
    assert handling.pk in overdue
    assert screen["overdue_total"] == len(overdue)
    assert sorted(r["id"] for r in screen["overdue"]) == overdue
    row = next(r for r in screen["overdue"] if r["id"] == handling.pk)
    assert (row["department"], row["late_whole_hours"]) == ("金水区市政局", 2)

    assert screen["recent_total"] == 5
    assert [(b["key"], b["label"], b["count"]) for b in screen["top_classes"]] == [("06001", "私搭乱建", 4)]
    assert [(b["key"], b["label"], b["count"]) for b in screen["top_districts"]] == [("410105", "金水区", 5)]
    assert [(b["key"], b["count"]) for b in screen["top_streets"]] == [("410105001", 5)]
    rates = screen["rates"]
    assert rates["districts"] == [
        {"code": "410105", "name": "金水区", "closed": 2, "on_time": 1, "pct": 50.0},
    ]
    assert (rates["closed"], rates["on_time"], rates["pct"]) == (2, 1, 50.0)


def test_cases_reported_yesterday_are_not_today_and_the_page_shows_the_figures(cast, now):
    make_case(cast, S.OPEN)
    now.move(days=1)
    make_case(cast, S.REPORTED, source="hotline")
    live = figures.live(figures.Scope("全市"), now.at)
    assert (live["intake_total"], live["open_total"]) == (1, 2)
    page = signed_in(cast.sun).get("/command/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "今日上报" in page and "本月结案且有处置时限的案卷中" in page  # in Chinese, with the rate defined
    assert 'hx-get="/command/panels/"' in page and 'data-cases-url="/map/cases.geojson"' in page
    fragment = signed_in(cast.sun).get("/command/panels/").content.decode()
    assert "<html" not in fragment and 'class="tile kpis"' in fragment


def test_the_screen_costs_the_same_queries_however_many_cases(cast, now):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(cast.sun)

    def counted() -> int:
        caches["shared"].clear()  # the cold screen: every figure computed
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/command/").status_code == 200
        return len(captured)

    make_case(cast, S.HANDLING)
    make_case(cast, S.REPORTED)
    now.move(days=3)  # overdue, both: the overdue list is read
    few = counted()
    for state in (S.HANDLING, S.OPEN, S.REPORTED, S.DISPATCHED):
        make_case(cast, state)
        make_case(cast, state, source="hotline")
    now.move(days=3)  # all of them overdue: the overdue list holds them all
    assert counted() == few
