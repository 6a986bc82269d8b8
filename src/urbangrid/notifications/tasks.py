from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from urbangrid.notifications.models import Notification


@task()
def email_notification(notification_id: int) -> bool:
    """E-mail one inbox message; safe to run twice (the second run finds it sent)."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at=None).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    send_mail(notification.title, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    return True
