"""The 12319 console: who may open it, an enquiry answered and closed, a complaint that becomes a case, and
every mistake shown next to its field with what was typed kept."""

import pytest

from tests.cases.helpers import GRID1, OUTSIDE
from urbangrid.cases.models import Case
from urbangrid.hotline.models import Call

pytestmark = pytest.mark.django_db
COMPLAINT = {
    "call_kind": "complaint", "phone": "138 1234 5678", "caller_name": "张先生", "said": "小区门口井盖丢了",
    "address": "经八路12号", "lon": GRID1[0], "lat": GRID1[1], "kind": "component", "class_code": "component:01001",
    "key": "form-1",
}


def test_only_intake_operators_open_the_console(cast, browse):
    assert browse(cast.wang).get("/hotline/").status_code == 200
    for who in ("li", "zhao", "sun", "zhou", "chen"):
        assert browse(getattr(cast, who)).get("/hotline/").status_code == 403, who
    anonymous = browse().get("/hotline/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert browse(cast.li).post("/hotline/", COMPLAINT).status_code == 403
    assert not Case.objects.exists()


def test_an_enquiry_is_answered_recorded_and_counted_without_a_case(cast, browse):
    client = browse(cast.wang)
    body = {"call_kind": "enquiry", "phone": "0371-66881234", "said": "垃圾清运时间？", "answer": "每天早六点",
            "key": "k"}
    response = client.post("/hotline/", body, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    call = Call.objects.get()
    assert (call.kind, call.phone, call.answer, call.case, call.operator) == (
        "enquiry", "0371-66881234", "每天早六点", None, cast.wang)
    assert not Case.objects.exists()
    tallies = {t.label: t.count for t in response.context["tallies"]}
    assert tallies["Enquiry"] == 1 and tallies["Complaint"] == 0


def test_an_enquiry_needs_the_answer_given(cast, browse):
    body = {"call_kind": "enquiry", "phone": "13812345678", "said": "问个事", "key": "k"}
    response = browse(cast.wang).post("/hotline/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors == {"answer": ["Write down the answer you gave."]}
    assert "问个事" in response.content.decode()  # nothing typed is lost
    assert not Call.objects.exists()


def test_a_complaint_becomes_a_hotline_report_with_the_callers_number(cast, browse):
    client = browse(cast.wang)
    response = client.post("/hotline/", COMPLAINT)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hotline/?created={case.pk}"
    assert (case.source, case.state, case.reporter, case.reporter_phone, case.reporter_name) == (
        "hotline", "reported", cast.wang, "13812345678", "张先生")
    assert (case.kind, case.klass.code, case.grid_code, case.address) == (
        "component", "01001", "410105001001001", "经八路12号")
    assert Call.objects.get().case == case
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and f"/work/cases/{case.pk}/" in page


def test_pressing_the_button_twice_makes_one_case(cast, browse):
    client = browse(cast.wang)
    client.post("/hotline/", COMPLAINT)
    client.post("/hotline/", COMPLAINT)
    assert Case.objects.count() == 1 and Call.objects.count() == 1


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"phone": "12345"}, "phone", "Not a phone number: a mobile number of 11 digits, or a fixed line."),
    ({"said": ""}, "said", "This field is required."),
    ({"lon": "", "lat": ""}, "address", "Find the place: search an address or click the map."),
    ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "address", "The point is outside the city's unit grids."),
    ({"class_code": "matter:06001"}, "class_code", "This class is not of the kind chosen."),
])
def test_each_mistake_is_shown_next_to_its_field(cast, browse, change, field, message):
    response = browse(cast.wang).post("/hotline/", {**COMPLAINT, **change}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert f'id="field-{field}"' in page and message.replace("'", "&#x27;") in page
    assert "经八路12号" in page  # what was typed is still there
    assert not Case.objects.exists()


def test_the_console_is_in_chinese(cast, browse):
    client = browse(cast.wang)
    page = client.get("/hotline/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "12319" in page
    response = client.post("/hotline/", {**COMPLAINT, "phone": "12"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "电话号码" in response.content.decode()


def test_the_place_search_finds_areas_and_earlier_addresses(cast, browse):
    client = browse(cast.wang)
    client.post("/hotline/", COMPLAINT)
    found = client.get("/hotline/places/", {"q": "经八路"}).content.decode()
    assert "经八路12号" in found and 'data-lon="113.6605000"' in found
    community = cast.areas["community"]
    found = client.get("/hotline/places/", {"q": community.name}).content.decode()
    assert community.name in found and "data-lat=" in found
    assert "data-lon" not in client.get("/hotline/places/", {"q": "不存在的地方"}).content.decode()
    assert browse(cast.li).get("/hotline/places/", {"q": "经八路"}).status_code == 403


def test_the_navigation_offers_the_console_to_intake_operators_only(cast, browse):
    assert 'href="/hotline/"' in browse(cast.wang).get("/work/").content.decode()
    assert 'href="/hotline/"' not in browse(cast.zhao).get("/work/").content.decode()


def test_the_class_select_is_written_once_per_catalogue_and_language(cast, browse):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from urbangrid.catalog.models import CatalogClass

    client = browse(cast.wang)
    first = client.get("/hotline/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="component:01001">01001' in first and "部件 · " in first
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/hotline/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert not [q for q in captured if "catalog_catalogclass" in q["sql"]]  # not read again
    assert again.count("<option") == first.count("<option")
    english = client.get("/hotline/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Component · " in english and "部件 · " not in english  # its own per language
    manhole = CatalogClass.objects.get(kind="component", code="01001")
    manhole.active = False
    manhole.save()  # the catalogue changed: the select is written again, without the class
    changed = client.get("/hotline/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="component:01001"' not in changed and 'value="component:01002"' in changed


def test_a_class_chosen_before_an_error_stays_chosen(cast, browse):
    response = browse(cast.wang).post("/hotline/", {**COMPLAINT, "phone": "12"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert '<option value="component:01001" selected>' in response.content.decode()
    assert '<option value="component:01001" selected>' not in browse(cast.wang).get("/hotline/").content.decode()
