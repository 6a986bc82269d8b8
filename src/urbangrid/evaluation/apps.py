from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "urbangrid.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from urbangrid.cases.notifying import event_recorded
        from urbangrid.evaluation import counting

        # Inside the case's transaction: the counters commit or roll back with the event.
        event_recorded.connect(counting.on_event, dispatch_uid="evaluation.counting.on_event")
