from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "urbangrid.accounts"
    verbose_name = _("Organisations and people")

    def ready(self):
        from urbangrid.accounts import signals

        signals.connect()
