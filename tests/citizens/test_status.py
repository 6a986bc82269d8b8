"""Looking a report up by its code: three public stages, nothing personal, no staff and no reasons (PIPL);
the reporter's phone is for the centres alone, masked for everyone else."""

import pytest

from tests.cases.builders import walk
from tests.citizens.helpers import PHONE, report_form
from urbangrid.cases.models import Case

pytestmark = pytest.mark.django_db
DISPATCH = {"department_id": None, "reason": "按职责派遣"}


def reported(browse) -> Case:
    browse().post("/public/", report_form())
    return Case.objects.get()


def stage(browse, case) -> str:
    page = browse().get(f"/public/status/{case.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return page.split('class="stage current" data-stage="')[1].split('"')[0]


def test_the_stage_follows_the_case(cast, browse):
    case = reported(browse)
    assert stage(browse, case) == "received"
    case = walk(cast, case, [("wang", "accept", {}), ("wang", "send_verification", {}),
                             ("li", "verify", {"photos": ["evidence"]})])
    assert stage(browse, case) == "received"
    case = walk(cast, case, [("zhao", "open", {"class_code": "01023", "condition": 1}),
                             ("sun", "dispatch", {**DISPATCH, "department_id": cast.shizheng.pk})])
    assert stage(browse, case) == "handling"
    case = walk(cast, case, [
        ("zhou", "take", {}), ("zhou", "feedback", {"note": "已更换井盖", "photos": ["before", "after"]}),
        ("wang", "send_check", {}), ("li", "pass_check", {"photos": ["evidence"]}), ("zhao", "close", {}),
    ])
    assert stage(browse, case) == "done"
    assert "The problem has been handled." in browse().get(f"/public/status/{case.number}/",
                                                           HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_status_page_shows_nothing_personal_nor_internal(cast, browse):
    case = walk(cast, reported(browse), [("wang", "reject", {"reason": "内部原因：重复举报的老问题"})])
    page = browse().get(f"/public/status/{case.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not taken up." in page
    for private in (PHONE, PHONE[-4:], "内部原因", "受理员王", "wang", case.description, "经八路12号"):
        assert private not in page, private


def test_the_lookup_form_finds_by_code_and_says_when_it_does_not(cast, browse):
    case = reported(browse)
    found = browse().get("/public/status/", {"code": f" {case.number} "})
    assert found.status_code == 200 and case.number in found.content.decode()
    missing = browse().get("/public/status/", {"code": "2026-1130-999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and "No report has the code 2026-1130-999999" in missing.content.decode()


def test_only_public_and_hotline_reports_can_be_looked_up(cast, browse):
    from tests.cases.builders import make_case

    collectors = make_case(cast)
    assert browse().get(f"/public/status/{collectors.number}/").status_code == 404
    hotline = make_case(cast, source="hotline", reporter_phone=PHONE)
    assert browse().get(f"/public/status/{hotline.number}/").status_code == 200


def test_lookups_are_throttled_per_address(cast, browse, settings):
    settings.CITIZENS_LOOKUPS_PER_IP = 3
    case = reported(browse)
    client = browse()
    for _n in range(3):
        assert client.get(f"/public/status/{case.number}/").status_code == 200
    refused = client.get(f"/public/status/{case.number}/")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert 'class="stage' not in refused.content.decode()  # no status shown past the limit
    assert client.get(f"/public/received/{case.number}/").status_code == 429  # nor through the other door


def test_the_phone_is_whole_for_the_centre_and_masked_for_others(cast, browse):
    case = reported(browse)
    assert PHONE in browse(cast.wang).get(f"/work/cases/{case.pk}/").content.decode()
    collector_page = browse(cast.li).get(f"/work/cases/{case.pk}/").content.decode()
    assert PHONE not in collector_page and "137****5678" in collector_page
    api = browse(cast.li).get(f"/api/v1/cases/{case.pk}").json()
    assert api["reporter_phone"] == ""


def test_the_phone_is_never_exported(cast, browse):
    reported(browse)
    export = browse(cast.wang).get("/api/v1/cases/export", {"format": "csv"})
    assert export.status_code == 200
    assert PHONE not in b"".join(export.streaming_content).decode()
