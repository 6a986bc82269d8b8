"""A citizen reports without an account: the case reaches the 受理 queue; every mistake is shown next to its
field with what was typed kept; scripts meet a honeypot, a minimum fill time, a key per form and rate limits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.helpers import OUTSIDE
from tests.citizens.helpers import PHONE, report_form, started
from urbangrid.cases.models import Case
from urbangrid.citizens import channel
from urbangrid.demo.images import tiny_png

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_form_needs_no_login(cast, browse):
    page = browse().get("/public/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="website"' in text and 'name="started"' in text and 'name="key"' in text
    assert 'action="/i18n/setlang/"' in text and 'value="en"' in text  # the same language switch as staff pages
    assert "<script>" not in text and " style=" not in text  # the CSP allows neither


def test_a_report_reaches_the_intake_queue_and_gives_a_code(cast, browse):
    response = browse().post("/public/", report_form())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/public/received/{case.number}/"
    assert (case.source, case.state, case.kind, case.klass.code, case.reporter_phone, case.reporter.username) == (
        "public", "reported", "matter", "01023", PHONE, channel.USERNAME)
    assert case.grid_code == "410105001001001" and case.address == "经八路12号"
    assert case.number in browse().get(response["Location"]).content.decode()
    queue = browse(cast.wang).get("/work/queue/intake_operator/").content.decode()
    assert case.number in queue


def test_something_else_files_no_class_and_the_phone_is_optional(cast, browse):
    browse().post("/public/", report_form(problem="other", phone=""))
    case = Case.objects.get()
    assert (case.klass, case.reporter_phone) == (None, "")


def test_sending_the_form_twice_makes_one_case(cast, browse):
    form = report_form()
    first, second = browse().post("/public/", form), browse().post("/public/", form)
    assert first["Location"] == second["Location"] and Case.objects.count() == 1


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"lon": None, "lat": None}, "lon", "Put the pin on the map where the problem is."),
    ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "lon", "The point is outside the city's unit grids."),
    ({"description": ""}, "description", "This field is required."),
    ({"description": "长" * 1001}, "description", "Ensure this value has at most 1000 characters (it has 1001)."),
    ({"phone": "1234"}, "phone", "Not a phone number: a mobile number of 11 digits, or a fixed line."),
    ({"problem": "aliens"}, "problem", "Select a valid choice. aliens is not one of the available choices."),
])
def test_each_mistake_is_shown_next_to_its_field_and_nothing_typed_is_lost(cast, browse, change, field, message):
    response = browse().post("/public/", report_form(**change), **EN)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert f'id="field-{field}"' in page and message.replace("'", "&#x27;") in page
    assert "经八路12号" in page
    assert not Case.objects.exists()


def test_a_filled_honeypot_sends_nothing(cast, browse):
    response = browse().post("/public/", report_form(website="http://spam.example"), **EN)
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not Case.objects.exists()


def test_a_form_sent_faster_than_a_person_can_is_refused_then_accepted(cast, browse, settings):
    settings.CITIZENS_MIN_FILL_SECONDS = 3
    response = browse().post("/public/", report_form(started=started(seconds_ago=0)), **EN)
    assert response.status_code == 400 and "very quick" in response.content.decode()
    assert "经八路12号" in response.content.decode()
    assert browse().post("/public/", report_form(started=started(seconds_ago=5))).status_code == 302


def test_a_forged_or_stale_start_is_refused(cast, browse):
    for value in ("12345", started(seconds_ago=7 * 3600)):
        response = browse().post("/public/", report_form(started=value), **EN)
        assert response.status_code == 400 and "expired" in response.content.decode()
    assert not Case.objects.exists()


def test_photos_are_checked_and_kept_as_evidence(cast, browse):
    photos = [SimpleUploadedFile(f"p{n}.png", tiny_png("evidence"), "image/png") for n in range(2)]
    assert browse().post("/public/", {**report_form(), "photos": photos}).status_code == 302
    case = Case.objects.get()
    assert [a.kind for a in case.attachments.all()] == ["evidence", "evidence"]


def test_a_file_that_is_no_photo_is_refused_next_to_the_photos(cast, browse):
    fake = SimpleUploadedFile("invoice.png", b"%PDF-1.7 not a picture at all", "image/png")
    response = browse().post("/public/", {**report_form(), "photos": [fake]}, **EN)
    assert response.status_code == 400
    expected = "invoice.png: The file is not a JPEG, PNG, HEIC or WebP image."
    assert response.context["form"].errors["photos"] == [expected]
    assert not Case.objects.exists()


def test_at_most_three_photos(cast, browse):
    photos = [SimpleUploadedFile(f"p{n}.png", tiny_png("evidence"), "image/png") for n in range(4)]
    response = browse().post("/public/", {**report_form(), "photos": photos}, **EN)
    assert response.context["form"].errors["photos"] == ["At most 3 photos."]


def test_reports_are_throttled_per_address(cast, browse, settings):
    settings.CITIZENS_REPORTS_PER_IP = 2
    client = browse()
    for n in range(2):
        assert client.post("/public/", report_form(phone=f"1371234567{n}")).status_code == 302
    refused = client.post("/public/", report_form(phone="13712345679"), **EN)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many reports" in refused.content.decode() and "经八路12号" in refused.content.decode()
    assert Case.objects.count() == 2
    other = browse().post("/public/", report_form(phone="13712345679"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_reports_are_throttled_per_phone_whatever_the_address(cast, browse, settings):
    settings.CITIZENS_REPORTS_PER_PHONE = 1
    assert browse().post("/public/", report_form(), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert browse().post("/public/", report_form(), REMOTE_ADDR="10.0.0.2").status_code == 429
    assert Case.objects.count() == 1
