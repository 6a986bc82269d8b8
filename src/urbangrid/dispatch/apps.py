from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "urbangrid.dispatch"
    verbose_name = _("Dispatch rules")

    def ready(self):
        from urbangrid.dispatch import signals

        signals.connect()
