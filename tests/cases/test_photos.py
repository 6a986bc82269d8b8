"""cases.photos: every upload is judged by its content, decoded safely, re-encoded and read for its EXIF."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1, MONDAY_9AM, Api, ok
from tests.field.images import camera_photo, plain, png_bomb
from urbangrid.cases import photos
from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.models import Attachment
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "p.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "image/jpeg")


def refused(content: bytes, name: str = "p.jpg") -> str:
    with pytest.raises(InvalidInput) as caught:
        photos.prepare(upload(content, name))
    assert caught.value.field == "file"
    return caught.value.msgid


def test_a_decompression_bomb_is_refused_from_its_header():
    assert "too large" in refused(png_bomb(), "bomb.png")


def test_a_bomb_within_pillows_own_limit_is_refused_by_ours(settings):
    settings.CASES_PHOTO_MAX_PIXELS = 1000
    assert "too large" in refused(plain("PNG", size=(40, 40)), "p.png")


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name():
    assert refused(b"%PDF-1.7 evil", "photo.jpg") == photos.NOT_AN_IMAGE
    assert refused(b"GIF89a" + b"\x00" * 40, "photo.gif") == photos.NOT_AN_IMAGE  # not a phone photo type


def test_a_file_with_an_image_signature_but_no_image_is_refused():
    assert refused(b"\xff\xd8\xff\xe0" + b"\x00" * 60) == photos.NOT_AN_IMAGE


def test_webp_is_kept_as_webp_and_heic_becomes_jpeg():
    webp = photos.prepare(upload(plain("WEBP"), "p.webp"))
    assert (webp.content_type, webp.extension, webp.width) == ("image/webp", ".webp", 32)
    heic = photos.prepare(upload(plain("HEIF"), "IMG_0001.HEIC"))
    assert (heic.content_type, heic.extension, heic.height) == ("image/jpeg", ".jpg", 24)
    assert Image.open(io.BytesIO(heic.content)).format == "JPEG"


def test_exif_time_and_position_are_read_then_stripped_from_the_kept_file():
    taken = datetime(2026, 11, 30, 8, 45, 10)
    photo = photos.prepare(upload(camera_photo(GRID1[0], GRID1[1], taken)))
    assert photo.taken_at == MONDAY_9AM.replace(hour=8, minute=45, second=10)
    assert (round(photo.lon, 5), round(photo.lat, 5)) == GRID1
    kept = Image.open(io.BytesIO(photo.content))
    assert not kept.getexif() and b"UrbanGrid test camera" not in photo.content


def test_bytes_hidden_after_the_picture_are_dropped():
    payload = b"<?php system($_GET['c']); ?>"
    photo = photos.prepare(upload(plain("JPEG") + payload))
    assert payload not in photo.content


def test_a_large_photo_is_scaled_down_and_thumbnailed():
    photo = photos.prepare(upload(plain("JPEG", size=(4000, 3000))))
    assert (photo.width, photo.height) == (2560, 1920)
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (320, 240)


def test_the_upload_path_stores_the_evidence_and_a_thumbnail(cast, now):
    case = make_case(cast, State.REPORTED)
    content = camera_photo(GRID1[0] + 0.01, GRID1[1], datetime(2026, 11, 28, 9, 0))  # ≈ 900 m east, 2 days old
    body = ok(Api(cast.li).photo(case, content=content, name="IMG.jpg"), 201)
    stored = Attachment.objects.get(pk=body["id"])
    assert stored.thumbnail.name.endswith(".jpg") and stored.thumbnail.size > 0
    found = photos.evidence(stored, case)
    assert 850 < found["distance_m"] < 950 and found["hours_apart"] == 48.0
    assert len(found["warnings"]) == 2


def test_a_photo_that_agrees_with_the_report_has_no_warning(cast, now):
    case = make_case(cast, State.REPORTED)
    taken = (MONDAY_9AM - timedelta(minutes=5)).replace(tzinfo=None)
    body = ok(Api(cast.li).photo(case, content=camera_photo(*GRID1, taken)), 201)
    assert photos.evidence(Attachment.objects.get(pk=body["id"]), case)["warnings"] == []


def test_a_48_megapixel_camera_photo_is_read_at_a_reduced_scale_with_its_exif():
    photo = photos.prepare(upload(camera_photo(*GRID1, datetime(2026, 11, 30, 8, 0), size=(8000, 6000))))
    assert (photo.width, photo.height) == (2560, 1920) and round(photo.lon, 5) == GRID1[0]
