from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "urbangrid.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from urbangrid.cases.models import Case
        from urbangrid.grid.actions import register_code_reference

        # A case names its grid by code; retiring or replacing that grid must not orphan the case.
        register_code_reference(Case, "grid_code")
        self._connect_notifications()

    def _connect_notifications(self) -> None:
        from datetime import timedelta

        from urbangrid.cases import alerts, retention, sweep
        from urbangrid.cases.notifying import case_changed
        from urbangrid.worker import schedule

        case_changed.connect(alerts.outcome_for_reporters, dispatch_uid="cases.alerts.outcome_for_reporters")
        schedule.register(sweep.NAME, timedelta(minutes=1), sweep.sweep)
        schedule.register(retention.NAME, timedelta(hours=1), retention.erase_due)
