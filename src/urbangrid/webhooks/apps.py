from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "urbangrid.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from urbangrid.cases.notifying import event_committed
        from urbangrid.webhooks import delivery
        from urbangrid.webhooks.models import Subscription
        from urbangrid.worker import schedule

        event_committed.connect(delivery.enqueue, dispatch_uid="webhooks.delivery.enqueue")
        post_save.connect(delivery.subscriptions_changed, sender=Subscription, dispatch_uid="webhooks.saved")
        post_delete.connect(delivery.subscriptions_changed, sender=Subscription, dispatch_uid="webhooks.deleted")
        schedule.register(delivery.JOB, timedelta(seconds=5), delivery.deliver_due, lease=timedelta(minutes=10))
