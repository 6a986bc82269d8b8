"""Case events reach a real HTTP receiver, signed, and again after the receiver's outage."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from tests.cases.builders import make_case
from urbangrid.core.workflow import State
from urbangrid.webhooks import delivery
from urbangrid.webhooks.models import Delivery, Subscription
from urbangrid.worker import schedule

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread that answers `failures` requests with 500, then 204, and keeps what it got."""

    def __init__(self, failures: int = 0):
        self.failures, self.received = failures, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers, body))  # case-insensitive
                failing = receiver.failures > 0
                receiver.failures -= 1
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def verified(headers, body: bytes, secret: str) -> dict:
    expected = hmac.new(secret.encode(), headers["X-UrbanGrid-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert hmac.compare_digest(headers["X-UrbanGrid-Signature"], "sha256=" + expected.hexdigest())
    return json.loads(body)


def test_every_event_of_a_subscribed_case_is_delivered_signed(cast, receiver, django_capture_on_commit_callbacks):
    hook = Subscription.objects.create(name="traffic police", url=receiver.url, areas="410105")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cast, State.ACCEPTED)
    assert delivery.deliver_due() == 2
    events = [verified(headers, body, hook.secret) for headers, body in receiver.received]
    assert [e["change"]["action"] for e in events] == ["report", "accept"]
    assert events[1]["case"]["number"] == case.number and events[1]["case"]["state"] == "accepted"
    assert receiver.received[1][0]["X-UrbanGrid-Event"] == "case.accept"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_subscriptions_filter_by_class_and_area(cast, receiver, django_capture_on_commit_callbacks):
    Subscription.objects.create(name="elsewhere", url=receiver.url, areas="410102")
    Subscription.objects.create(name="other class", url=receiver.url, classes="01001")
    wanted = Subscription.objects.create(name="building", url=receiver.url, classes="06001 06002", areas="410105001")
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast, State.REPORTED, class_code="06001")
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [wanted.pk]


def test_a_rolled_back_transition_sends_nothing(cast, receiver, django_capture_on_commit_callbacks):
    Subscription.objects.create(name="all", url=receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_case(cast, State.REPORTED)
    assert callbacks and not Delivery.objects.exists()  # the callbacks are what a commit would run


def test_deliveries_are_retried_with_backoff_through_an_outage(cast, django_capture_on_commit_callbacks):
    receiver = Receiver(failures=2)
    try:
        hook = Subscription.objects.create(name="city platform", url=receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            make_case(cast, State.REPORTED)
        sent = Delivery.objects.get()
        start = timezone.now()
        assert delivery.deliver_due(start) == 1
        assert delivery.deliver_due(start + timedelta(seconds=29)) == 0  # backing off: first retry after 30 s
        assert delivery.deliver_due(start + timedelta(seconds=31)) == 1
        sent.refresh_from_db()
        assert (sent.status, sent.attempts) == ("pending", 2)
        assert sent.next_attempt_at == start + timedelta(seconds=31) + timedelta(minutes=1)
        assert delivery.deliver_due(start + timedelta(minutes=3)) == 1
        sent.refresh_from_db()
        assert (sent.status, sent.attempts) == ("delivered", 3)
        assert [a.status_code for a in sent.log.all()] == [500, 500, 204]
        bodies = {verified(headers, body, hook.secret)["change"]["seq"] for headers, body in receiver.received}
        assert bodies == {1}
        assert len({headers["X-UrbanGrid-Delivery"] for headers, _ in receiver.received}) == 1
    finally:
        receiver.close()


def test_an_unreachable_receiver_is_logged_and_finally_failed(cast, django_capture_on_commit_callbacks):
    Subscription.objects.create(name="gone", url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast, State.REPORTED)
    at = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        at += timedelta(hours=1)
        delivery.deliver_due(at)
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert sent.log.count() == delivery.MAX_ATTEMPTS and sent.log.first().error


def test_the_worker_runs_the_delivery_job():
    assert schedule.JOBS[delivery.JOB].run is delivery.deliver_due


def test_backoff_doubles_up_to_an_hour():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_a_subscription_added_edited_or_switched_off_counts_from_the_next_event(
    cast, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast, State.REPORTED)  # the process now holds the (empty) list of subscriptions
    hook = Subscription.objects.create(name="late", url=receiver.url, areas="410102")
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast, State.REPORTED)
    assert not Delivery.objects.exists()  # another district's
    hook.areas = "410105"
    hook.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast, State.REPORTED)
    assert Delivery.objects.count() == 1
    hook.active = False
    hook.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast, State.REPORTED)
    assert Delivery.objects.count() == 1
