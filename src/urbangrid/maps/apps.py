from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "urbangrid.maps"
    verbose_name = _("City map")

    def ready(self) -> None:
        from urbangrid.maps.checks import check_basemap

        checks.register(check_basemap)
