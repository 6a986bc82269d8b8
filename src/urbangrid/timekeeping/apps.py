from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class TimekeepingConfig(AppConfig):
    name = "urbangrid.timekeeping"
    verbose_name = _("Working time and limits")

    def ready(self) -> None:
        from urbangrid.timekeeping import signals  # noqa: F401
        from urbangrid.timekeeping.checks import check_default_calendar_coverage

        checks.register(check_default_calendar_coverage, checks.Tags.database)
