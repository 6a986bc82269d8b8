"""POST /api/v1/cases: intake of a report (信息收集)."""

import datetime as dt

import pytest

from tests.cases.helpers import GRID1, OUTSIDE, Api, ok
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db


def test_a_collector_reports_a_case_in_a_grid(cast):
    body = ok(Api(cast.li).report(description="人行道上正在搭建违章棚子", class_code="06001"), 201)
    case = Case.objects.get(pk=body["id"])
    assert (case.state, case.source, case.kind) == ("reported", "collector", "matter")
    assert case.grid_code == "410105001001001"
    assert case.klass.code == "06001"
    assert case.number == "2026-1130-000001"
    assert (body["version"], body["state_label"]) == (1, "上报")
    [event] = body["timeline"]
    assert (event["action"], event["source"], event["target"], event["post"]) == ("report", "", "reported", "collector")
    assert event["actor"] == "监督员李"


def test_numbers_count_up_within_the_day(cast):
    first = ok(Api(cast.li).report(), 201)["number"]
    second = ok(Api(cast.li).report(), 201)["number"]
    assert (first, second) == ("2026-1130-000001", "2026-1130-000002")


def test_the_step_deadline_of_acceptance_starts_at_intake(cast, now):
    body = ok(Api(cast.li).report(), 201)
    assert body["step_due_at"] is not None
    assert dt.datetime.fromisoformat(body["step_due_at"]) > now.at
    assert body["light"] == "green"


def test_the_same_idempotency_key_twice_makes_one_case(cast):
    li = Api(cast.li)
    first = li.report(headers={"Idempotency-Key": "c0ffee-1"})
    second = li.report(headers={"Idempotency-Key": "c0ffee-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_the_key_may_come_in_the_body(cast):
    li = Api(cast.li)
    ok(li.report(idempotency_key="k-1"), 201)
    ok(li.report(idempotency_key="k-1"), 200)
    ok(li.report(idempotency_key="k-2"), 201)
    assert Case.objects.count() == 2


def test_keys_of_different_users_do_not_collide(cast):
    ok(Api(cast.li).report(idempotency_key="same"), 201)
    ok(Api(cast.wang).report(idempotency_key="same", source="hotline", reporter_name="市民张"), 201)
    assert Case.objects.count() == 2


def test_an_uncertified_collector_is_refused_with_the_reason(cast):
    cast.li.collector.certificate_expires = dt.date(2020, 1, 1)
    cast.li.collector.save()
    response = Api(cast.li).report()
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "art. 16" in body["message"] or "第十六条" in body["message"]
    assert not Case.objects.exists()


def test_a_point_outside_the_grids_is_refused_with_field_and_message(cast):
    response = Api(cast.li).report(lon=OUTSIDE[0], lat=OUTSIDE[1])
    assert response.status_code == 422
    assert response.json()["field"] == "lon"
    assert response.json()["message"]
    assert not Case.objects.exists()


def test_a_gcj02_point_is_stored_in_wgs84(cast):
    lon, lat = wgs84_to_gcj02(*GRID1)
    body = ok(Api(cast.li).report(lon=lon, lat=lat, crs="gcj02"), 201)
    assert abs(body["lon"] - GRID1[0]) < 1e-6 and abs(body["lat"] - GRID1[1]) < 1e-6


def test_the_intake_operator_enters_a_hotline_report_with_the_citizens_details(cast):
    body = ok(Api(cast.wang).report(source="hotline", reporter_name="市民张", reporter_phone="13800000000"), 201)
    assert (body["source"], body["reporter_phone"]) == ("hotline", "13800000000")
    assert body["timeline"][0]["post"] == "intake_operator"


def test_a_department_handler_cannot_report(cast):
    response = Api(cast.zhou).report(source="hotline")
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_person_without_posts_cannot_report(cast):
    assert Api(cast.chen).report().status_code == 403


def test_only_a_collector_reports_a_self_handled_case(cast):
    response = Api(cast.wang).report(source="hotline", self_handled=True)
    assert (response.status_code, response.json()["field"]) == (422, "self_handled")


def test_an_unknown_class_is_refused(cast):
    response = Api(cast.li).report(class_code="99999")
    assert (response.status_code, response.json()["field"]) == (422, "class_code")


def test_a_missing_description_is_refused(cast):
    response = Api(cast.li).report(description="  ")
    assert (response.status_code, response.json()["field"]) == (422, "description")


def test_anonymous_requests_get_401_as_json(cast):
    response = Api(None).report()
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Api(None).get("/cases").status_code == 401
