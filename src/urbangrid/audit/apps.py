from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "urbangrid.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from urbangrid.audit import recording

        recording.connect()
