"""Bulletins are reviewed before they are published: drafts, a leader's approval or rejection (not their own
draft), the review log, immutability once reviewed, corrections as new versions; and who may do what."""

import pytest
from django.test import Client

from tests.cases.helpers import person
from tests.evaluation.history import WEEK1, play
from tests.factories import appoint
from urbangrid.core import evaluation as core
from urbangrid.evaluation import bulletins
from urbangrid.evaluation.models import Bulletin, BulletinDecision, ImmutableBulletin

pytestmark = pytest.mark.django_db
WEEK = {"kind": "week", "day": WEEK1.isoformat()}


def client(user=None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def history(cast, now):
    return play(cast, now)


@pytest.fixture
def leaders(cast):
    appoint(cast.chen, "leader", cast.supervision)
    other = person("ma", "领导马")
    appoint(other, "leader", cast.supervision)
    return cast.chen, other


def test_a_draft_is_not_public_until_another_leader_approves_it(history, cast, leaders, now):
    chen, ma = leaders
    assert client(chen).post("/evaluation/bulletins/draft/", WEEK).status_code == 302
    draft = Bulletin.objects.get()
    assert draft.status == "draft" and draft.created_by == chen and draft.version == 1
    # Not public: not listed, no page, no PDF for the public; the staff read it.
    assert client().get(f"/evaluation/public/{draft.pk}/").status_code == 404
    assert client().get(f"/evaluation/public/{draft.pk}.pdf").status_code == 404
    assert client(cast.zhou).get(f"/evaluation/public/{draft.pk}/").status_code == 404  # a department
    assert f"/evaluation/public/{draft.pk}/" not in client().get("/evaluation/public/").content.decode()
    page = client(cast.zhao).get(f"/evaluation/bulletins/{draft.pk}/").content.decode()
    assert "金水区" in page and "41.57" in page and "待领导审核" in page
    # Its maker may not approve it.
    response = client(chen).post(f"/evaluation/bulletins/{draft.pk}/approve/", {"text": ""})
    assert response.status_code == 409 and "另一位领导" in response.content.decode()
    assert Bulletin.objects.get().status == "draft"
    now.move(hours=2)
    assert client(ma).post(f"/evaluation/bulletins/{draft.pk}/approve/", {"text": "核对无误"}).status_code == 302
    done = Bulletin.objects.get()
    assert (done.status, done.reviewed_by, done.published_at) == ("published", ma, now.at)
    assert client().get(f"/evaluation/public/{done.pk}/").status_code == 200
    assert client().get(f"/evaluation/public/{done.pk}.pdf").status_code == 200
    log = [(d.action, d.actor, d.actor_name, d.note) for d in done.decisions.all()]
    assert log == [("made", chen, "陈", ""), ("approved", ma, "领导马", "核对无误")]
    assert done.decisions.get(action="approved").at == now.at
    # Reviewed once: a second approval is refused.
    assert client(chen).post(f"/evaluation/bulletins/{done.pk}/approve/", {"text": ""}).status_code == 409


def test_a_rejection_needs_a_reason_and_is_never_published(history, cast, leaders):
    chen, _ma = leaders
    draft = bulletins.draft(core.period("week", WEEK1))  # the worker's
    response = client(chen).post(f"/evaluation/bulletins/{draft.pk}/reject/", {"text": "  "})
    assert response.status_code == 400 and "请填写退回通报的理由" in response.content.decode()
    response = client(chen).post(f"/evaluation/bulletins/{draft.pk}/reject/", {"text": "金水区数据待复核"})
    assert response.status_code == 302
    found = Bulletin.objects.get()
    assert (found.status, found.rejection, found.reviewed_by) == ("rejected", "金水区数据待复核", chen)
    assert found.published_at is None
    assert client().get(f"/evaluation/public/{found.pk}/").status_code == 404
    assert client(chen).post(f"/evaluation/bulletins/{found.pk}/approve/", {"text": ""}).status_code == 409
    assert [d.action for d in found.decisions.all()] == ["made", "rejected"]
    assert found.decisions.all()[0].actor is None  # made by the worker
    assert "金水区数据待复核" in client(cast.zhao).get(f"/evaluation/bulletins/{found.pk}/").content.decode()


def test_reviewed_bulletins_and_the_log_never_change(history, leaders):
    chen, _ma = leaders
    done = bulletins.approve(bulletins.draft(core.period("week", WEEK1)), chen)
    done.content = {"tables": {}, "totals": {}}
    with pytest.raises(ImmutableBulletin):
        done.save()
    with pytest.raises(ImmutableBulletin):
        done.delete()
    with pytest.raises(ImmutableBulletin):
        Bulletin.objects.filter(pk=done.pk).update(content={})
    with pytest.raises(ImmutableBulletin):
        Bulletin.objects.all().delete()
    decision = BulletinDecision.objects.first()
    with pytest.raises(ImmutableBulletin):
        decision.save()
    with pytest.raises(ImmutableBulletin):
        BulletinDecision.objects.all().delete()
    assert Bulletin.objects.get().content["tables"]["district"][0]["score"] == "41.57"


def test_a_correction_is_a_new_version_that_says_what_it_replaces(history, cast, leaders):
    chen, ma = leaders
    first = bulletins.approve(bulletins.draft(core.period("week", WEEK1), chen), ma)
    url = f"/evaluation/bulletins/{first.pk}/correct/"
    response = client(cast.zhao).post(url, {"text": ""})
    assert response.status_code == 400 and "请说明更正的内容和原因" in response.content.decode()
    assert client(cast.zhao).post(url, {"text": "一件案件的结案时间录入有误"}).status_code == 302
    second = Bulletin.objects.get(version=2)
    assert (second.status, second.replaces, second.ruleset) == ("draft", first, first.ruleset)
    assert second.correction == "一件案件的结案时间录入有误"
    public = client().get(f"/evaluation/public/{first.pk}/").content.decode()
    assert "被第 2 版取代" not in public  # the correction is not published yet
    bulletins.approve(second, chen)
    public = client().get(f"/evaluation/public/{first.pk}/").content.decode()
    assert f"/evaluation/public/{second.pk}/" in public  # the old one points to its correction
    corrected = client().get(f"/evaluation/public/{second.pk}/").content.decode()
    assert f"/evaluation/public/{first.pk}/" in corrected and "一件案件的结案时间录入有误" in corrected
    listing = client().get("/evaluation/public/").content.decode()
    assert f"/evaluation/public/{first.pk}/" in listing and f"/evaluation/public/{second.pk}/" in listing
    # A draft is not corrected (it is rejected); nor is a rejected one.
    third = bulletins.draft(core.period("week", WEEK1))
    with pytest.raises(bulletins.ReviewRefused):
        bulletins.correct(third, chen, "x")
    assert third.version == 3


# Who may do what: (list, draft, approve, reject, correct), the expected status codes.
DENIED = (403, 403, 403, 403, 403)
MATRIX = {
    "li": DENIED,  # 监督员
    "wang": (200, 302, 403, 403, 302),  # 受理员
    "zhao": (200, 302, 403, 403, 302),  # 值班长
    "sun": (200, 302, 403, 403, 302),  # 派遣员
    "qian": DENIED,  # 区指挥: not city-wide
    "zhou": DENIED,  # a department handler
    "chen": (200, 302, 302, 302, 302),  # 领导 (not the maker of the drafts reviewed here)
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_who_may_make_review_and_correct_bulletins(history, cast, leaders, who):
    _chen, ma = leaders
    period = core.period("week", WEEK1)
    to_approve, to_reject = bulletins.draft(period, ma), bulletins.draft(period, ma)
    published = bulletins.approve(bulletins.draft(period, ma), cast.chen)
    user = getattr(cast, who)
    got = (
        client(user).get("/evaluation/bulletins/").status_code,
        client(user).post("/evaluation/bulletins/draft/", WEEK).status_code,
        client(user).post(f"/evaluation/bulletins/{to_approve.pk}/approve/", {"text": ""}).status_code,
        client(user).post(f"/evaluation/bulletins/{to_reject.pk}/reject/", {"text": "重算"}).status_code,
        client(user).post(f"/evaluation/bulletins/{published.pk}/correct/", {"text": "更正"}).status_code,
    )
    assert got == MATRIX[who]
    assert client().get("/evaluation/bulletins/").status_code == 302  # to sign in


def test_the_review_log_is_read_only_in_admin(history, leaders, admin_client):
    chen, _ma = leaders
    done = bulletins.approve(bulletins.draft(core.period("week", WEEK1)), chen)
    page = admin_client.get("/admin/evaluation/bulletindecision/")
    assert page.status_code == 200 and "陈" in page.content.decode()
    decision = done.decisions.last()
    url = f"/admin/evaluation/bulletindecision/{decision.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/admin/evaluation/bulletin/{done.pk}/delete/", {"post": "yes"}).status_code == 403
