from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "urbangrid.grid"
    verbose_name = _("Areas and unit grids")

    def ready(self) -> None:
        from urbangrid.grid import signals  # noqa: F401
