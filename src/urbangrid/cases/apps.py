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
