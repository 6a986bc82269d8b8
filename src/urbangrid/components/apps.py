from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComponentsConfig(AppConfig):
    name = "urbangrid.components"
    verbose_name = _("Component inventory")

    def ready(self) -> None:
        from urbangrid.components import signals  # noqa: F401
        from urbangrid.components.models import Component
        from urbangrid.grid.actions import register_code_reference

        register_code_reference(Component, "grid_code")
