from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "urbangrid.command"
    verbose_name = _("Command screen")

    def ready(self) -> None:
        from urbangrid.command import figures
        from urbangrid.worker import schedule

        # The screen's slow figures, for every web process at once (figures.py); the lease covers a slow run.
        schedule.register(figures.JOB, figures.SLOW_EVERY, figures.precompute)
