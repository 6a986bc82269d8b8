"""District ▸ street ▸ community ▸ unit grid (万米单元网格), one table keyed by the hierarchical code.

The code is the key that every case and component stores, so "everything in 金水区" is a prefix query
(`code LIKE '410105%'`) on a B-tree index; exact geometry stays in Shapely, in memory (core.geo).
"""

import shapely
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LEVEL_CHOICES = [
    ("district", _("District")),
    ("street", _("Street")),
    ("community", _("Community")),
    ("grid", _("Unit grid")),
]
CODE_LENGTH = {"district": 6, "street": 9, "community": 12, "grid": 15}


class AreaQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=on), valid_from__lte=on)

    def within_code(self, prefix: str):
        return self.filter(code__startswith=prefix)


class Area(models.Model):
    code = models.CharField(_("code"), max_length=15, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=LEVEL_CHOICES)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent area")
    )
    # WKB of a Polygon/MultiPolygon in WGS84 (CGCS2000) lon/lat.
    geometry = models.BinaryField(_("boundary (WKB)"), editable=False)
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    area_m2 = models.FloatField(_("area (m²)"), editable=False)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Retired from this day on."))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "code"]),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[level for level, _ in LEVEL_CHOICES]), name="area_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="area_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def shape(self):
        return shapely.from_wkb(bytes(self.geometry))

    def set_shape(self, geom, area_m2: float) -> None:
        self.geometry = shapely.to_wkb(geom)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geom.bounds
        self.area_m2 = area_m2


class DataVersion(models.Model):
    """A counter bumped whenever area data changes, so every process knows to rebuild its index."""

    name = models.CharField(max_length=50, unique=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name}={self.version}"
