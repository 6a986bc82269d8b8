"""Probable duplicates are flagged at intake; the intake operator merges them or keeps them apart."""

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1, GRID4, Api, ok
from urbangrid.cases.models import Case
from urbangrid.cases.notifying import case_changed
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db

NEAR = (GRID1[0] + 0.0002, GRID1[1])  # about 18 m east


def test_a_report_of_the_same_class_close_by_is_flagged(cast):
    first = ok(Api(cast.li).report(class_code="06001"), 201)
    second = ok(Api(cast.wang).report(source="hotline", class_code="06001", lon=NEAR[0], lat=NEAR[1]), 201)
    assert second["suspected_duplicate_of"] == first["id"]
    assert second["timeline"][0]["data"]["probable_duplicate_of"] == first["id"]


def test_another_class_another_place_or_a_later_time_is_not_flagged(cast, now):
    ok(Api(cast.li).report(class_code="06001"), 201)
    li = Api(cast.li)
    assert ok(li.report(class_code="07001"), 201)["suspected_duplicate_of"] is None
    assert ok(li.report(class_code="06001", lon=GRID4[0], lat=GRID4[1]), 201)["suspected_duplicate_of"] is None
    now.move(hours=73)
    assert ok(li.report(class_code="06001"), 201)["suspected_duplicate_of"] is None


def test_the_window_and_distance_are_settings(cast, settings):
    settings.CASES_DUPLICATE_DISTANCE_M = 10
    ok(Api(cast.li).report(class_code="06001"), 201)
    assert ok(Api(cast.li).report(class_code="06001", lon=NEAR[0], lat=NEAR[1]), 201)["suspected_duplicate_of"] is None


def test_a_named_component_must_match(cast):
    from tests.factories import component_class
    from urbangrid.components.models import Component

    klass = component_class("01001", "供水井盖")
    common = {"klass": klass, "competent_department": cast.shizheng, "grid_code": "410105001001001",
              "initial_date": "2026-01-01", "lon": GRID1[0], "lat": GRID1[1]}
    one = Component.objects.create(identifier="41010501001000001", name="井盖1", **common)
    two = Component.objects.create(identifier="41010501001000002", name="井盖2", **common)
    li = Api(cast.li)
    first = ok(li.report(component=one.identifier), 201)
    assert ok(li.report(component=two.identifier), 201)["suspected_duplicate_of"] is None
    assert ok(li.report(component=one.identifier), 201)["suspected_duplicate_of"] == first["id"]


def test_merging_links_the_report_and_tells_every_reporter(cast, django_capture_on_commit_callbacks):
    original = ok(Api(cast.li).report(class_code="06001"), 201)["id"]
    hotline = Api(cast.wang).report(source="hotline", class_code="06001", reporter_name="市民张",
                                    reporter_phone="13800000000", lon=NEAR[0], lat=NEAR[1])
    duplicate = ok(hotline, 201)["id"]
    sent = []
    case_changed.connect(receiver := lambda **kw: sent.append(kw), weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            merged = ok(Api(cast.wang).act(duplicate, "mark_duplicate", duplicate_of=original))
    finally:
        case_changed.disconnect(receiver)
    assert (merged["state"], merged["duplicate_of"]) == ("rejected", original)
    [message] = sent
    assert message["into"].pk == original
    assert [r["name"] for r in message["reporters"]] == ["", "市民张"]
    assert message["reporters"][0]["user_id"] == cast.li.pk
    assert list(Case.objects.get(pk=original).duplicates.values_list("pk", flat=True)) == [duplicate]


def test_a_merge_into_a_merged_case_goes_to_the_case_it_joined(cast):
    original = make_case(cast, State.REPORTED)
    middle = make_case(cast, State.REPORTED)
    ok(Api(cast.wang).act(middle, "mark_duplicate", duplicate_of=original.pk))
    third = make_case(cast, State.REPORTED)
    assert ok(Api(cast.wang).act(third, "mark_duplicate", duplicate_of=middle.pk))["duplicate_of"] == original.pk


def test_a_case_is_not_merged_into_itself_or_a_finished_case(cast):
    case = make_case(cast, State.REPORTED)
    closed = make_case(cast, State.REJECTED)
    wang = Api(cast.wang)
    assert wang.act(case, "mark_duplicate", duplicate_of=case.pk).status_code == 422
    assert wang.act(case, "mark_duplicate", duplicate_of=closed.pk).json()["field"] == "duplicate_of"


def test_keeping_a_flagged_report_apart_is_recorded_on_its_acceptance(cast):
    original = ok(Api(cast.li).report(class_code="06001"), 201)["id"]
    second = ok(Api(cast.li).report(class_code="06001"), 201)["id"]
    accepted = ok(Api(cast.wang).act(second, "accept"))
    assert accepted["timeline"][-1]["data"] == {"kept_apart_from": original}
    assert accepted["duplicate_of"] is None
