"""The component (部件) inventory with the 18 attributes of GB/T 47678.5-2026 table 2.

Street and community codes and names (SZJDDM/SZSQDM …) are prefixes of the grid code, so they are derived on
export rather than stored twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "intact": _("Intact"),  # 完好
    "damaged": _("Damaged"),  # 破损
    "missing": _("Missing"),  # 丢失
    "abandoned": _("Abandoned"),  # 废弃
    "removed": _("Removed"),  # 移除
}
# The standard writes the status in Chinese; imports accept either form.
STATUS_FROM_CHINESE = {"完好": "intact", "破损": "damaged", "丢失": "missing", "废弃": "abandoned", "移除": "removed"}
DATA_SOURCES = ["实测", "地形图", "基础地理数据", "其他"]


class Component(models.Model):
    identifier = models.CharField(_("component identifier"), max_length=17, unique=True)  # GLBJBSM
    name = models.CharField(_("name"), max_length=30)  # GLBJMC
    klass = models.ForeignKey(
        "catalog.CatalogClass", models.PROTECT, related_name="components", verbose_name=_("class"),
        limit_choices_to={"kind": "component"},
    )
    competent_department = models.ForeignKey(  # ZGBMDM / ZGBMMC
        "accounts.Organisation", models.PROTECT, related_name="competent_components",
        verbose_name=_("competent department"),
    )
    owner_unit = models.ForeignKey(  # QSDWDM / QSDWMC
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="owned_components",
        verbose_name=_("owner unit"),
    )
    maintenance_unit = models.ForeignKey(  # YHDWDM / YHDWMC
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="maintained_components",
        verbose_name=_("maintenance unit"),
    )
    grid_code = models.CharField(_("unit grid code"), max_length=15, db_index=True)  # SZDYWGBSM
    status = models.CharField(_("status"), max_length=10, choices=list(STATUS_LABELS.items()), default="intact")
    initial_date = models.DateField(_("initial date"))  # CSRQ
    change_date = models.DateField(_("change date"), null=True, blank=True)  # BGRQ
    data_source = models.CharField(_("data source"), max_length=30, blank=True)  # SJLY
    remark = models.TextField(_("remark"), max_length=1000, blank=True)  # BZ
    lon = models.FloatField(_("longitude (WGS84)"))
    lat = models.FloatField(_("latitude (WGS84)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["identifier"]
        indexes = [models.Index(fields=["klass", "grid_code"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=list(STATUS_LABELS)), name="component_status_valid"),
            models.CheckConstraint(
                condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="component_lonlat_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"
