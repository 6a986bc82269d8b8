"""Subscriptions are kept in the admin; failed deliveries can be sent again from there."""

import pytest

from urbangrid.webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_subscription_with_a_generated_secret(admin_client):
    form = admin_client.get("/admin/webhooks/subscription/add/")
    assert form.status_code == 200
    response = admin_client.post("/admin/webhooks/subscription/add/", {
        "name": "交警", "url": "https://police.example/hook", "secret": "s3cret-for-tests", "classes": "06001",
        "areas": "410105", "active": "on",
    })
    assert response.status_code == 302
    assert Subscription.objects.get().wants("06001", "410105001001001")


def test_failed_deliveries_are_sent_again(admin_client):
    hook = Subscription.objects.create(name="x", url="http://127.0.0.1:9/")
    failed = Delivery.objects.create(subscription=hook, event="case.report", case_number="1", payload={},
                                     status="failed", attempts=10)
    admin_client.post("/admin/webhooks/delivery/", {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0) and failed.next_attempt_at is not None
    assert admin_client.get(f"/admin/webhooks/delivery/{failed.pk}/change/").status_code == 200
