"""POST /cases/{id}/attachments: photos, judged by their bytes, named later by the action they document."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from PIL import Image

from tests.cases.builders import make_case
from tests.cases.helpers import PNG, Api, ok
from urbangrid.cases import actions
from urbangrid.cases.models import Attachment
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 60)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_is_stored_and_listed_on_the_case(cast):
    case = make_case(cast, State.REPORTED)
    body = ok(Api(cast.li).photo(case, content=jpeg(), name="现场.jpg"), 201)
    stored = Attachment.objects.get(pk=body["id"])
    assert (body["kind"], body["content_type"], body["event"]) == ("evidence", "image/jpeg", None)
    assert body["size"] == stored.file.size and (stored.width, stored.height) == (40, 30)
    assert stored.file.name.startswith(f"cases/2026/{case.number}/") and stored.file.name.endswith(".jpg")
    assert "现场" not in stored.file.name
    assert ok(Api(cast.wang).get(f"/cases/{case.pk}"))["attachments"][0]["id"] == body["id"]


def test_the_photo_can_be_downloaded_by_those_who_see_the_case(cast):
    case = make_case(cast, State.REPORTED)
    photo = ok(Api(cast.li).photo(case), 201)["id"]
    response = Api(cast.wang).client.get(f"/api/v1/cases/{case.pk}/attachments/{photo}")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == Image.open(io.BytesIO(PNG)).size
    assert Api(cast.chen).client.get(f"/api/v1/cases/{case.pk}/attachments/{photo}").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(cast):
    case = make_case(cast, State.REPORTED)
    response = Api(cast.li).photo(case, content=b"%PDF-1.7 not an image", name="photo.png")
    assert (response.status_code, response.json()["field"]) == (422, "file")
    assert not Attachment.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(cast, settings):
    settings.CASES_ATTACHMENT_MAX_BYTES = 32
    case = make_case(cast, State.REPORTED)
    response = Api(cast.li).photo(case)
    assert (response.status_code, response.json()["field"]) == (422, "file")


def test_an_unknown_kind_is_refused(cast):
    case = make_case(cast, State.REPORTED)
    assert Api(cast.li).photo(case, kind="selfie").json()["field"] == "kind"


def test_strangers_cannot_attach_photos(cast):
    case = make_case(cast, State.REPORTED)
    assert Api(cast.chen).photo(case).status_code == 404
    assert Api(cast.zhou).photo(case).status_code == 404


def test_the_action_links_its_photos_to_its_event(cast):
    case = make_case(cast, State.VERIFYING)
    li = Api(cast.li)
    photos = li.photos(case, "evidence", "evidence")
    body = ok(li.act(case, "verify", attachments=photos))
    assert body["timeline"][-1]["attachments"] == photos
    assert {a["event"] for a in body["attachments"]} == {body["timeline"][-1]["seq"]}
    again = li.act(case, "verify", attachments=photos)
    assert again.status_code == 409  # verified already; the photos were used


def test_a_photo_whose_row_fails_to_save_leaves_no_file_behind(cast, settings):
    case = make_case(cast, State.REPORTED)
    table = Attachment._meta.db_table

    def failing_insert(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and table in sql:
            raise DatabaseError("disk full")  # a real failure of the statement, after the files were written
        return execute(sql, params, many, context)

    def files() -> set:
        return {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}

    kept = actions.add_attachment(case.pk, cast.li, SimpleUploadedFile("前.jpg", jpeg(), "image/jpeg"))
    assert len(before := files()) == 2  # the photo and its thumbnail, where this test looks
    with connection.execute_wrapper(failing_insert), pytest.raises(DatabaseError):
        actions.add_attachment(case.pk, cast.li, SimpleUploadedFile("现场.jpg", jpeg(), "image/jpeg"))
    assert list(Attachment.objects.all()) == [kept]
    assert files() == before
