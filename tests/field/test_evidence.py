"""The case file shows what each photo claims (EXIF time and place), and warns when it disagrees."""

from datetime import datetime

import pytest
from django.test import Client

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1, Api, ok
from tests.field.images import camera_photo
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def case_file(cast, case) -> str:
    client = Client()
    client.force_login(cast.wang)
    page = client.get(f"/work/cases/{case.pk}/").content.decode()
    return page[page.index('id="h-evidence"'):page.index('id="h-timeline"')]


def test_a_photo_taken_far_away_and_days_before_is_flagged(cast):
    case = make_case(cast, State.REPORTED)
    far = camera_photo(GRID1[0] + 0.01, GRID1[1], datetime(2026, 11, 27, 9, 0))
    ok(Api(cast.li).photo(case, content=far, name="old.jpg"), 201)
    block = case_file(cast, case)
    assert "2026-11-27 09:00" in block and "拍摄位置距上报点" in block and "拍摄时间与上传时间相差 72.0 小时" in block


def test_a_photo_that_agrees_says_so(cast):
    case = make_case(cast, State.REPORTED)
    ok(Api(cast.li).photo(case, content=camera_photo(*GRID1, datetime(2026, 11, 30, 8, 58)), name="a.jpg"), 201)
    block = case_file(cast, case)
    assert "与上报一致" in block and "⚠" not in block


def test_photos_without_exif_are_said_to_claim_nothing(cast):
    case = make_case(cast, State.REPORTED)
    ok(Api(cast.li).photo(case), 201)
    assert "没有照片带有拍摄时间或位置" in case_file(cast, case)


def test_the_thumbnail_is_served_to_those_who_see_the_case_only(cast):
    case = make_case(cast, State.REPORTED)
    photo = ok(Api(cast.li).photo(case, content=camera_photo(*GRID1, datetime(2026, 11, 30, 8, 58))), 201)["id"]
    url = f"/field/photos/{case.pk}/{photo}/thumbnail"
    assert url in case_file(cast, case)
    seer, stranger = Client(), Client()
    seer.force_login(cast.wang)
    stranger.force_login(cast.chen)
    response = seer.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302
