"""回访: closed hotline and public reports wait for a call back; satisfied ends it, not satisfied reopens the case
to the supervision centre (受理), which has it verified and opened again."""

import datetime as dt

import pytest

from tests.cases.builders import make_case, walk
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State
from urbangrid.hotline.models import Call

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def closed(cast, source="hotline", phone=PHONE):
    return make_case(cast, State.CLOSED, source=source, reporter_phone=phone)


def test_the_queue_holds_closed_caller_reports_with_a_phone_not_yet_called(cast, browse, now):
    waiting = closed(cast)
    public = closed(cast, source="public")
    closed(cast, source="collector", phone="")  # a collector's own report: nobody to call
    closed(cast, phone="")  # the caller left no number
    page = browse(cast.wang).get("/hotline/follow-ups/")
    assert [case.pk for case, _form in page.context["rows"]] == [waiting.pk, public.pk]
    assert PHONE in page.content.decode()  # the operator who calls back sees the whole number
    now.move(days=16)
    assert browse(cast.wang).get("/hotline/follow-ups/").context["rows"] == []


def test_a_satisfied_caller_ends_the_follow_up(cast, browse):
    case = closed(cast)
    client = browse(cast.wang)
    response = client.post(f"/hotline/follow-ups/{case.pk}/", {
        f"c{case.pk}-satisfied": "yes", f"c{case.pk}-said": "修好了，满意", f"c{case.pk}-version": case.version,
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.events.order_by("-seq").first().action == "follow_up"
    call = Call.objects.get()
    assert (call.kind, call.satisfied, call.case, call.phone) == ("follow_up", True, case, PHONE)
    assert client.get("/hotline/follow-ups/").context["rows"] == []
    again = client.post(f"/hotline/follow-ups/{case.pk}/", {
        f"c{case.pk}-satisfied": "yes", f"c{case.pk}-version": case.version,
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "not yet followed up" in again.content.decode()


def test_an_unsatisfied_caller_reopens_the_case_to_the_centre(cast, browse):
    case = closed(cast)
    client = browse(cast.wang)
    form = {f"c{case.pk}-satisfied": "no", f"c{case.pk}-version": case.version}
    refused = client.post(f"/hotline/follow-ups/{case.pk}/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.context["rows"][0][1].errors == {"said": ["Write down what the caller says is still wrong."]}
    response = client.post(f"/hotline/follow-ups/{case.pk}/", {**form, f"c{case.pk}-said": "井盖还是坏的"})
    assert response.status_code == 302
    case.refresh_from_db()
    last = case.events.order_by("-seq").first()
    assert (case.state, case.closed_at, case.due_at) == (State.ACCEPTED, None, None)
    assert (last.action, last.source, last.target, last.reason) == ("reopen", "closed", "accepted", "井盖还是坏的")
    assert Call.objects.get().satisfied is False
    # The centre has it verified on site and opened again; closed once more, the caller is called again.
    walk(cast, case, [("wang", "send_verification", {}), ("li", "verify", {"photos": ["evidence"]})])
    assert Case.objects.get(pk=case.pk).state == State.VERIFIED
    assert client.get("/hotline/follow-ups/").context["rows"] == []


def test_a_reopened_case_closed_again_waits_for_another_call(cast, browse):
    case = closed(cast)
    client = browse(cast.wang)
    client.post(f"/hotline/follow-ups/{case.pk}/", {
        f"c{case.pk}-satisfied": "no", f"c{case.pk}-said": "没修好", f"c{case.pk}-version": case.version,
    })
    case = Case.objects.get(pk=case.pk)
    dispatch = {"department_id": cast.shizheng.pk, "reason": "按职责派遣"}
    walk(cast, case, [
        ("wang", "send_verification", {}), ("li", "verify", {"photos": ["evidence"]}),
        ("zhao", "open", {"class_code": "06001", "condition": 1}), ("sun", "dispatch", dispatch),
        ("zhou", "take", {}), ("zhou", "feedback", {"note": "已修", "photos": ["before", "after"]}),
        ("wang", "send_check", {}), ("li", "pass_check", {"photos": ["evidence"]}), ("zhao", "close", {}),
    ])
    assert [c.pk for c, _f in client.get("/hotline/follow-ups/").context["rows"]] == [case.pk]


def test_only_intake_operators_follow_up(cast, browse):
    case = closed(cast)
    form = {f"c{case.pk}-satisfied": "yes", f"c{case.pk}-version": case.version}
    for who in ("li", "zhao", "sun", "chen"):
        assert browse(getattr(cast, who)).get("/hotline/follow-ups/").status_code == 403
        assert browse(getattr(cast, who)).post(f"/hotline/follow-ups/{case.pk}/", form).status_code == 403
    assert Case.objects.get(pk=case.pk).version == case.version


def test_caller_numbers_are_erased_with_the_reporters(cast, browse, settings):
    from urbangrid.hotline import retention

    settings.CASES_REPORTER_RETENTION_DAYS = 30
    browse(cast.wang).post("/hotline/", {"call_kind": "enquiry", "phone": PHONE, "said": "问", "answer": "答", "k": 1,
                                         "key": "k"})
    call = Call.objects.get()
    assert retention.erase_due(call.at + dt.timedelta(days=29)) == 0
    assert retention.erase_due(call.at + dt.timedelta(days=31)) == 1
    call.refresh_from_db()
    assert (call.phone, call.said) == ("", "问")


def test_the_case_file_offers_the_follow_up_to_the_intake_operator(cast, browse):
    case = closed(cast)
    page = browse(cast.wang).get(f"/work/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Follow-up: satisfied" in text and "Follow-up: not satisfied, reopen" in text
    assert "Follow-up: satisfied" not in browse(cast.zhao).get(f"/work/cases/{case.pk}/",
                                                               HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_call_backs_are_counted_for_the_evaluation_and_a_recount_agrees(cast, browse):
    from django.db.models import Sum

    from urbangrid.evaluation import counting
    from urbangrid.evaluation.models import Tally

    satisfied, unsatisfied = closed(cast), closed(cast, source="public")
    client = browse(cast.wang)
    client.post(f"/hotline/follow-ups/{satisfied.pk}/", {
        f"c{satisfied.pk}-satisfied": "yes", f"c{satisfied.pk}-version": satisfied.version,
    })
    client.post(f"/hotline/follow-ups/{unsatisfied.pk}/", {
        f"c{unsatisfied.pk}-satisfied": "no", f"c{unsatisfied.pk}-said": "没修好",
        f"c{unsatisfied.pk}-version": unsatisfied.version,
    })

    def totals() -> dict:
        return Tally.objects.aggregate(followed_up=Sum("followed_up"), reopened=Sum("reopened"), closed=Sum("closed"))

    assert totals() == {"followed_up": 1, "reopened": 1, "closed": 2}
    Tally.objects.all().delete()
    counting.recount()
    assert totals() == {"followed_up": 1, "reopened": 1, "closed": 2}


def test_the_console_badge_counts_the_waiting_callers_up_to_its_cap(cast, browse, monkeypatch):
    from urbangrid.hotline import calls

    client = browse(cast.wang)
    assert client.get("/hotline/").context["waiting"] == "0"
    for _ in range(3):
        closed(cast)
    assert client.get("/hotline/").context["waiting"] == "3"
    monkeypatch.setattr(calls, "BADGE_MAX", 2)  # counting stops there: the window may hold tens of thousands
    page = client.get("/hotline/")
    assert page.context["waiting"] == "2+" and '<span class="badge" id="waiting">2+</span>' in page.content.decode()


def test_the_follow_up_list_shows_the_oldest_first_and_says_when_more_wait(cast, browse, now, monkeypatch):
    from urbangrid.hotline import views

    monkeypatch.setattr(views, "FOLLOW_UP_PAGE", 2)
    first = closed(cast)
    now.move(hours=1)
    second = closed(cast)
    client = browse(cast.wang)
    page = client.get("/hotline/follow-ups/", HTTP_ACCEPT_LANGUAGE="en")
    assert [case.pk for case, _form in page.context["rows"]] == [first.pk, second.pk]
    assert not page.context["more"] and "more are waiting" not in page.content.decode()
    now.move(hours=1)
    closed(cast)
    page = client.get("/hotline/follow-ups/", HTTP_ACCEPT_LANGUAGE="en")
    assert [case.pk for case, _form in page.context["rows"]] == [first.pk, second.pk]
    assert "The 2 closed longest ago are shown; more are waiting after them." in page.content.decode()
