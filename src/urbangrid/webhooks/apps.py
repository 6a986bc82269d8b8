from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "urbangrid.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from urbangrid.cases.notifying import event_committed
        from urbangrid.webhooks import delivery
        from urbangrid.worker import schedule

        event_committed.connect(delivery.enqueue, dispatch_uid="webhooks.delivery.enqueue")
        schedule.register(delivery.JOB, timedelta(seconds=5), delivery.deliver_due, lease=timedelta(minutes=10))
