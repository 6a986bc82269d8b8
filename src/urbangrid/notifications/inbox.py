"""Reading a user's inbox (newest first, keyset pages) and marking messages read."""

from django.utils import timezone

from urbangrid.notifications.models import Notification

PAGE = 50


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def page(user, before_id: int | None = None, unread_only: bool = False, limit: int = PAGE) -> list[Notification]:
    messages = Notification.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at=None)
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    return list(messages.order_by("-id")[: max(1, min(limit, 200))])


def mark_read(user, ids: list[int] | None = None) -> int:
    """Mark the user's messages read (all of them when `ids` is None); others' ids are ignored."""
    messages = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        messages = messages.filter(id__in=ids)
    return messages.update(read_at=timezone.now())
