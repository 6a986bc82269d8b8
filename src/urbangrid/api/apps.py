from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "urbangrid.api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from urbangrid.api import auditing

        auditing.connect()
