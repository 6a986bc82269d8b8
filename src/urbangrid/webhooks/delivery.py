"""Case events to webhook subscribers: enqueue after the commit, deliver from the worker, retry with backoff.

Every request is a POST of the JSON payload with these headers (documented for subscribers):

    Content-Type: application/json
    X-UrbanGrid-Event: case.<action>              e.g. case.dispatch
    X-UrbanGrid-Delivery: <delivery id>           the same on every retry: use it to drop duplicates
    X-UrbanGrid-Timestamp: <unix seconds>         when this attempt was signed
    X-UrbanGrid-Signature: sha256=<hex>           HMAC-SHA256(secret, "<timestamp>.<body>")

A receiver recomputes the signature over the timestamp, a dot and the raw body with the subscription's
secret, compares in constant time, and rejects old timestamps (replays). Any 2xx answer is success;
anything else (or no answer within TIMEOUT) is retried after 30 s, 1, 2, 4 … minutes, at most an hour
apart, MAX_ATTEMPTS times in all; then the delivery is marked failed. Every attempt is logged.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from urbangrid.grid import versions
from urbangrid.grid.versions import Versioned
from urbangrid.webhooks.models import Attempt, Delivery, Subscription

log = logging.getLogger(__name__)
JOB = "webhooks.deliver"
TIMEOUT = 10  # seconds for one attempt
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
BATCH = 50
CLAIM = timedelta(minutes=2)  # a claimed delivery is not taken by another worker for this long
DATA_VERSION = "webhooks"
# Every case event asks for the subscriptions; they change a few times a year. Kept per process, rebuilt when
# a subscription is saved or deleted (apps.py bumps the version), so intake pays no query for them.
_active = Versioned(DATA_VERSION, lambda: list(Subscription.objects.filter(active=True).order_by("pk")))


def subscriptions_changed(**kwargs) -> None:
    if not kwargs.get("raw"):
        versions.bump(DATA_VERSION)


def enqueue(sender, case, event, **kwargs) -> None:
    """Receiver of cases.notifying.event_committed: one pending delivery per interested subscription."""
    try:
        wanted = [s for s in _active.get() if s.wants(_class_code(case), case.grid_code)]
        if wanted:
            payload = _payload(case, event)
            Delivery.objects.bulk_create(
                Delivery(subscription=s, event=f"case.{event.action}", case_number=case.number, payload=payload,
                         next_attempt_at=timezone.now())
                for s in wanted
            )
    except Exception:  # the transition has committed already; a webhook problem must not fail its request
        log.exception("could not enqueue webhook deliveries for case %s", case.pk)


def deliver_due(now: datetime | None = None) -> int:
    """Send the pending deliveries that are due; returns how many were attempted."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status="pending", next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    done = 0
    for delivery_id in list(due.values_list("id", flat=True)[:BATCH]):
        # Claimed with a conditional UPDATE: of two workers, exactly one moves next_attempt_at and sends.
        claimed = Delivery.objects.filter(pk=delivery_id, status="pending", next_attempt_at__lte=now).update(
            next_attempt_at=now + CLAIM
        )
        if claimed:
            attempt(Delivery.objects.select_related("subscription").get(pk=delivery_id), now)
            done += 1
    return done


def attempt(delivery: Delivery, now: datetime) -> bool:
    started = time.monotonic()
    status_code, error = _post(delivery)
    Attempt.objects.create(
        delivery=delivery, at=now, status_code=status_code, error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    tries = delivery.attempts + 1
    if status_code is not None and 200 <= status_code < 300:
        Delivery.objects.filter(pk=delivery.pk).update(
            status="delivered", attempts=tries, delivered_at=now, next_attempt_at=None
        )
        return True
    if tries >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=tries, next_attempt_at=None)
    else:
        Delivery.objects.filter(pk=delivery.pk).update(attempts=tries, next_attempt_at=now + backoff(tries))
    return False


def backoff(tries: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** (tries - 1), LONGEST_WAIT)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def retry_now(deliveries) -> int:
    """Send failed (or waiting) deliveries again at the next worker pass, with a fresh count of attempts."""
    return deliveries.filter(Q(status="failed") | Q(status="pending")).update(
        status="pending", attempts=0, next_attempt_at=timezone.now()
    )


def _post(delivery: Delivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(delivery.subscription.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "UrbanGrid-Webhooks/1",
        "X-UrbanGrid-Event": delivery.event, "X-UrbanGrid-Delivery": str(delivery.pk),
        "X-UrbanGrid-Timestamp": timestamp,
        "X-UrbanGrid-Signature": sign(delivery.subscription.secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.reason if isinstance(error.reason, str) else ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def _class_code(case) -> str | None:
    return case.klass.code if case.klass_id else None


def _payload(case, event) -> dict:
    return {
        "event": f"case.{event.action}",
        "case": {
            "id": case.pk, "number": case.number, "state": case.state, "version": case.version,
            "source": case.source, "kind": case.kind, "class_code": _class_code(case),
            "grid_code": case.grid_code, "lon": case.lon, "lat": case.lat, "address": case.address,
            "department": case.department.name if case.department_id else None,
            "due_at": case.due_at.isoformat() if case.due_at else None,
            "reported_at": case.reported_at.isoformat(),
        },
        "change": {
            "seq": event.seq, "action": event.action, "from": event.source, "to": event.target,
            "at": event.at.isoformat(), "organisation": event.organisation.name if event.organisation_id else None,
        },
    }
