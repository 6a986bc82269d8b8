"""The in-app inbox, and e-mail after commit when the city turns it on."""

import pytest
from django.core import mail
from django.db import transaction

from tests.factories import UserFactory
from urbangrid.notifications import inbox
from urbangrid.notifications.models import Notification
from urbangrid.notifications.sending import notify
from urbangrid.worker.queue import run_queued

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_one_message_and_pages_go_newest_first():
    zhou, wu = UserFactory(), UserFactory()
    notify([zhou, wu, zhou], "dispatched", "新案件 2026-1129-000001", case_id=7)
    for n in range(3):
        notify([zhou], "overdue", f"超期 {n}")
    assert inbox.unread_count(zhou) == 4 and inbox.unread_count(wu) == 1
    first = inbox.page(zhou, limit=2)
    assert [m.title for m in first] == ["超期 2", "超期 1"]
    assert [m.title for m in inbox.page(zhou, before_id=first[-1].id)] == ["超期 0", "新案件 2026-1129-000001"]


def test_marking_read_touches_only_the_users_own_messages():
    zhou, wu = UserFactory(), UserFactory()
    mine = notify([zhou], "x", "mine")[0]
    theirs = notify([wu], "x", "theirs")[0]
    assert inbox.mark_read(zhou, [mine.id, theirs.id]) == 1
    assert inbox.unread_count(wu) == 1 and inbox.page(zhou, unread_only=True) == []


def test_inactive_users_get_nothing():
    gone = UserFactory(is_active=False)
    assert notify([gone, None], "x", "t") == []


def test_email_is_queued_after_commit_and_sent_once_by_the_worker(settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = True
    zhou = UserFactory(email="zhou@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify([zhou, UserFactory(email="")], "dispatched", "新案件", "请签收")
    run_queued("test-worker")
    run_queued("test-worker")
    assert [(m.subject, m.to) for m in mail.outbox] == [("新案件", ["zhou@example.gov.cn"])]
    assert Notification.objects.get(user=zhou).emailed_at is not None


def test_a_rolled_back_action_leaves_no_message_and_sends_nothing(settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = True
    zhou = UserFactory(email="zhou@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify([zhou], "dispatched", "新案件")
        raise RuntimeError("the action failed")
    run_queued("test-worker")
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_the_api_lists_my_messages_and_marks_them_read(client):
    zhou, wu = UserFactory(), UserFactory()
    for n in range(3):
        notify([zhou], "overdue", f"超期 {n}", case_id=n)
    notify([wu], "x", "not for zhou")
    refused = client.get("/api/v1/inbox")
    assert (refused.status_code, refused.json()["code"]) == (401, "unauthenticated")
    client.force_login(zhou)
    page = client.get("/api/v1/inbox", {"limit": 2}).json()
    assert page["unread"] == 3 and [m["title"] for m in page["messages"]] == ["超期 2", "超期 1"]
    older = client.get("/api/v1/inbox", {"before_id": page["next_before_id"]}).json()
    assert [m["title"] for m in older["messages"]] == ["超期 0"] and older["next_before_id"] is None
    first_id = page["messages"][0]["id"]
    answer = client.post("/api/v1/inbox/read", {"ids": [first_id]}, content_type="application/json").json()
    assert answer == {"marked": 1, "unread": 2}
    assert client.post("/api/v1/inbox/read", {}, content_type="application/json").json() == {"marked": 2, "unread": 0}
    assert inbox.unread_count(wu) == 1
