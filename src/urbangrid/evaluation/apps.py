from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "urbangrid.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from datetime import timedelta

        from urbangrid.cases.notifying import event_recorded
        from urbangrid.evaluation import bulletins, counting
        from urbangrid.worker import schedule

        # Inside the case's transaction: the counters (daily and monthly) commit or roll back with the event.
        event_recorded.connect(counting.on_event, dispatch_uid="evaluation.counting.on_event")
        # Weekly and monthly bulletins as immutable snapshots, once each, whichever worker gets there first.
        schedule.register(bulletins.JOB, timedelta(hours=1), bulletins.scheduled)
