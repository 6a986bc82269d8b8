"""Reporting from the phone: one case per idempotency key, photos with their EXIF evidence, clear refusals."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.helpers import GRID1, OUTSIDE
from tests.field.images import camera_photo, plain
from urbangrid.cases.models import Attachment, Case

pytestmark = pytest.mark.django_db
REPORT = {"kind": "matter", "class_code": "06001", "lon": GRID1[0], "lat": GRID1[1], "description": "人行道违章搭建"}


def jpeg(name: str = "p.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or plain("JPEG"), "image/jpeg")


def test_a_report_with_a_camera_photo_keeps_its_exif_position(phone):
    photo = jpeg(content=camera_photo(GRID1[0], GRID1[1], datetime(2026, 11, 30, 8, 50)))
    response = phone.post("reports", {**REPORT, "key": "k-1"}, {"evidence": [photo]})
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.source, case.grid_code, case.reporter) == ("collector", "410105001001001", phone.user)
    stored = case.attachments.get()
    assert (round(stored.photo_lon, 5), round(stored.photo_lat, 5), stored.kind) == (*GRID1, "evidence")


def test_the_same_key_again_makes_no_second_case_and_no_second_photo(phone):
    first = phone.post("reports", {**REPORT, "key": "k-2"}, {"evidence": [jpeg()]})
    again = phone.post("reports", {**REPORT, "key": "k-2"}, {"evidence": [jpeg()]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    assert (Case.objects.count(), Attachment.objects.count()) == (1, 1)


def test_a_point_outside_the_city_is_refused_with_a_clear_message(phone):
    answer = phone.get("place", lon=OUTSIDE[0], lat=OUTSIDE[1]).json()
    assert answer["outside"] is True and "网格" in answer["message"]
    response = phone.post("reports", {**REPORT, "key": "k-3", "lon": OUTSIDE[0], "lat": OUTSIDE[1]})
    assert (response.status_code, response.json()["field"]) == (422, "lon")
    assert not Case.objects.exists()


def test_the_place_names_the_grid_address_and_nearest_component(phone):
    answer = phone.get("place", lon=GRID1[0], lat=GRID1[1]).json()
    assert answer["outside"] is False and answer["grid"] == "410105001001001"
    assert answer["address"].startswith("金水区")


def test_a_self_handled_report_needs_before_and_after_photos(phone):
    fields = {**REPORT, "key": "k-4", "self_handled": "1"}
    refused = phone.post("reports", fields, {"before": [jpeg()]})
    assert (refused.status_code, refused.json()["field"]) == (422, "photos")
    done = phone.post("reports", fields, {"before": [jpeg()], "after": [jpeg()]})
    case = Case.objects.get(pk=done.json()["id"])
    assert case.self_handled and case.state == "self_reported"
    assert sorted(case.attachments.values_list("kind", flat=True)) == ["after", "before"]


def test_more_than_nine_photos_are_refused(phone):
    response = phone.post("reports", {**REPORT, "key": "k-5"}, {"evidence": [jpeg(f"{i}.jpg") for i in range(10)]})
    assert (response.status_code, response.json()["field"]) == (422, "photos")
    assert not Case.objects.exists()


def test_a_file_that_is_no_photo_is_refused_but_the_case_stands_for_a_retry(phone):
    bad = SimpleUploadedFile("p.jpg", b"%PDF-1.7", "image/jpeg")
    response = phone.post("reports", {**REPORT, "key": "k-6"}, {"evidence": [bad]})
    assert (response.status_code, response.json()["field"]) == (422, "file")
    retry = phone.post("reports", {**REPORT, "key": "k-6"}, {"evidence": [jpeg()]})
    assert retry.status_code == 200 and Case.objects.count() == 1 and Attachment.objects.count() == 1


def test_the_class_list_searches_by_pinyin_initials(phone):
    from urbangrid.field import classes

    hits = classes.search("jg")
    assert hits and all("jg" in hit["initials"] for hit in hits)
    assert any("井盖" in hit["name"] for hit in hits)
    boot = phone.get("bootstrap").json()
    assert {"kind", "code", "initials", "pinyin"} <= set(boot["classes"][0])
