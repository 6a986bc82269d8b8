"""The provincial platform's view of its cities: where each publishes its aggregates, and what it last published.

Only aggregates are kept here (evaluation indicators and case counts by district, class, source and state, as
publishing.aggregates() makes them); no case, person or photo ever leaves a city.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberCity(models.Model):
    """A city whose aggregates the province pulls: from its URL with its publishing token, or from a file."""

    code = models.CharField(_("city code"), max_length=6, unique=True)  # the city's administrative code, 410100
    name = models.CharField(_("name"), max_length=50)
    url = models.URLField(_("published aggregates URL"), blank=True)  # https://city/province/published.json
    token = models.CharField(_("publishing token"), max_length=200, blank=True)
    export_path = models.CharField(_("export file"), max_length=300, blank=True)  # instead of a URL

    class Meta:
        verbose_name = _("member city")
        verbose_name_plural = _("member cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CityAggregate(models.Model):
    """One city's published aggregates for one month, as pulled (replaced by a later pull of the same month)."""

    city = models.ForeignKey(MemberCity, models.CASCADE, related_name="aggregates", verbose_name=_("city"))
    month = models.DateField(_("month"))  # its first day
    published_at = models.DateTimeField(_("published"))
    pulled_at = models.DateTimeField(_("pulled"))
    data = models.JSONField(_("aggregates"))

    class Meta:
        verbose_name = _("city aggregates")
        verbose_name_plural = _("city aggregates")
        ordering = ["city", "-month"]
        constraints = [models.UniqueConstraint(fields=["city", "month"], name="cityaggregate_city_month_unique")]

    def __str__(self) -> str:
        return f"{self.city} {self.month:%Y-%m}"
