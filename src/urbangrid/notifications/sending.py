"""Putting messages into inboxes, and (when the city turned it on) e-mailing them afterwards."""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction

from urbangrid.notifications.models import Notification


def notify(users: Iterable, kind: str, title: str, body: str = "", case_id: int | None = None) -> list[Notification]:
    """One inbox message per distinct user, written in the caller's transaction.

    Written with the caller's change, so a rolled-back action leaves no message behind; the e-mails
    leave the process only after commit.
    """
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    created = Notification.objects.bulk_create(
        Notification(user_id=pk, kind=kind, title=title[:200], body=body, case_id=case_id) for pk in recipients
    )
    if settings.NOTIFY_BY_EMAIL:
        emailed = [n.pk for n in created if recipients[n.user_id].email]
        if emailed:
            transaction.on_commit(partial(_enqueue_emails, emailed))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from urbangrid.notifications.tasks import email_notification  # tasks import the backend; only when needed

    for notification_id in ids:
        email_notification.enqueue(notification_id)
