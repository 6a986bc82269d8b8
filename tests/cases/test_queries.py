"""GET /cases and /queues: lists filtered and paged by keyset, queues per post, personal data kept back."""

import datetime as dt

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import MONDAY_9AM, Api, ok
from urbangrid.cases import queries
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def ids(body: dict) -> list[int]:
    return [item["id"] for item in body["items"]]


def test_the_list_pages_newest_first_by_keyset(cast):
    cases = [make_case(cast, State.REPORTED).pk for _ in range(5)]
    wang = Api(cast.wang)
    first = ok(wang.get("/cases", limit=2))
    assert ids(first) == cases[:-3:-1] and first["next"] == str(cases[3])
    second = ok(wang.get("/cases", limit=2, after=first["next"]))
    third = ok(wang.get("/cases", limit=2, after=second["next"]))
    assert ids(second) + ids(third) == [cases[2], cases[1], cases[0]]
    assert third["next"] is None


def test_the_list_filters_by_area_state_source_and_class(cast):
    reported = make_case(cast, State.REPORTED)
    opened = make_case(cast, State.OPEN)
    hotline = make_case(cast, State.REPORTED, source="hotline")
    wang = Api(cast.wang)
    assert ids(ok(wang.get("/cases", state="open"))) == [opened.pk]
    assert ids(ok(wang.get("/cases", state=["open", "reported"]))) == [hotline.pk, opened.pk, reported.pk]
    assert ids(ok(wang.get("/cases", source="hotline"))) == [hotline.pk]
    assert ids(ok(wang.get("/cases", class_code="06001"))) == [opened.pk]
    assert len(ids(ok(wang.get("/cases", area="410105001")))) == 3
    assert ids(ok(wang.get("/cases", area="410102"))) == []
    assert wang.get("/cases", state="lost").status_code == 422


def test_the_list_filters_by_light(cast, now):
    late = make_case(cast, State.HANDLING)
    now.move(hours=3)
    fresh = make_case(cast, State.HANDLING)
    now.at = MONDAY_9AM.replace(hour=15, minute=30)  # the first is overdue, the second has used 1.5 h of 4
    zhao = Api(cast.zhao)
    assert ids(ok(zhao.get("/cases", light="red"))) == [late.pk]
    assert ids(ok(zhao.get("/cases", light="green", state="handling"))) == [fresh.pk]
    assert list(queries.overdue(now.at).values_list("pk", flat=True)) == [late.pk]


def test_people_see_only_the_cases_within_their_scope(cast):
    reported = make_case(cast, State.REPORTED)
    dispatched = make_case(cast, State.DISPATCHED)
    assert ids(ok(Api(cast.zhou).get("/cases"))) == [dispatched.pk]
    assert ids(ok(Api(cast.wu).get("/cases"))) == []
    assert ids(ok(Api(cast.chen).get("/cases"))) == []
    assert ids(ok(Api(cast.qian).get("/cases"))) == [dispatched.pk, reported.pk]
    assert ids(ok(Api(cast.li).get("/cases"))) == [dispatched.pk, reported.pk]


def test_a_case_out_of_scope_is_the_same_404_as_no_case(cast):
    case = make_case(cast, State.REPORTED)
    hidden, missing = Api(cast.chen).get(f"/cases/{case.pk}"), Api(cast.chen).get("/cases/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_the_reporters_phone_is_shown_to_the_centres_only(cast):
    case = make_case(cast, State.DISPATCHED, source="hotline", reporter_name="市民张", reporter_phone="13800000000")
    assert ok(Api(cast.sun).get(f"/cases/{case.pk}"))["reporter_phone"] == "13800000000"
    handler_view = ok(Api(cast.zhou).get(f"/cases/{case.pk}"))
    assert (handler_view["reporter_name"], handler_view["reporter_phone"]) == ("", "")


def test_queues_count_open_due_today_and_overdue_per_post(cast, now):
    make_case(cast, State.REPORTED)
    make_case(cast, State.REPORTED)
    make_case(cast, State.HANDLING)
    now.move(minutes=1)
    [wang] = ok(Api(cast.wang).get("/queues"))
    assert (wang["post"], wang["open"], wang["due_today"]) == ("intake_operator", 2, 2)
    [zhou] = ok(Api(cast.zhou).get("/queues"))
    assert (zhou["post"], zhou["open"], zhou["due_today"], zhou["overdue"]) == ("department_handler", 1, 1, 0)
    now.at += dt.timedelta(days=1)
    [zhou] = ok(Api(cast.zhou).get("/queues"))
    assert (zhou["open"], zhou["due_today"], zhou["overdue"]) == (1, 0, 1)
    assert ok(Api(cast.wu).get("/queues"))[0]["open"] == 0
    assert ok(Api(cast.chen).get("/queues")) == []
