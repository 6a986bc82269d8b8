from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceConfig(AppConfig):
    name = "urbangrid.province"
    verbose_name = _("Provincial aggregation")
