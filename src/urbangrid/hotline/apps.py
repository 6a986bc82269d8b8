from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "urbangrid.hotline"
    verbose_name = _("12319 hotline")

    def ready(self) -> None:
        from urbangrid.hotline import retention
        from urbangrid.worker import schedule

        schedule.register(retention.NAME, timedelta(hours=1), retention.erase_due)
