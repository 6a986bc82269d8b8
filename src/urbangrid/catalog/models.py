"""The national catalogue of management components (部件) and matters (事项), GB/T 47678.5-2026.

Each matter class carries its 立案条件 (filing conditions); a condition fixes the handling limit of a case
opened under it. Local extension classes are allowed and flagged; CJ/T 214-era codes map onto classes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from urbangrid.catalog.labels import KIND_LABELS, PARTY_LABELS, UNIT_LABELS, URGENCY_LABELS, choices
from urbangrid.core.limits import Party, Urgency

STANDARD = "GB/T 47678.5-2026"
# Plain strings, not the enums: migrations then record values, not references to urbangrid.core.limits.
KINDS = [str(key) for key in KIND_LABELS]
UNITS = [str(key) for key in UNIT_LABELS]
URGENCIES = [str(key) for key in URGENCY_LABELS]
PARTIES = [str(key) for key in PARTY_LABELS]


class CatalogClass(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=choices(KIND_LABELS))
    code = models.CharField(_("class code"), max_length=5)
    large_class_code = models.CharField(_("large class code"), max_length=2)
    large_class_name = models.CharField(_("large class"), max_length=50)
    name = models.CharField(_("name"), max_length=60)
    standard = models.CharField(_("standard"), max_length=40, default=STANDARD)
    is_local_extension = models.BooleanField(_("local extension"), default=False)
    default_party = models.CharField(
        _("first responsible party"), max_length=12, choices=choices(PARTY_LABELS), default=Party.TERRITORY.value
    )
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalogue class")
        verbose_name_plural = _("catalogue classes")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="catalogclass_kind_code_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=KINDS), name="catalogclass_kind_valid"),
            models.CheckConstraint(condition=models.Q(default_party__in=PARTIES), name="catalogclass_party_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FilingCondition(models.Model):
    """A 立案条件: when a problem of this class becomes a case, how long handling may take, when it is done."""

    matter = models.ForeignKey(
        CatalogClass, models.CASCADE, related_name="conditions", verbose_name=_("matter class"),
        limit_choices_to={"kind": "matter"},
    )
    seq = models.PositiveSmallIntegerField(_("number"))
    description = models.CharField(_("filing condition"), max_length=200)
    limit_value = models.DecimalField(_("handling limit"), max_digits=6, decimal_places=1)
    limit_unit = models.CharField(_("limit unit"), max_length=14, choices=choices(UNIT_LABELS))
    closing_condition = models.CharField(_("closing condition"), max_length=200)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=choices(URGENCY_LABELS), default=Urgency.NORMAL.value
    )
    responsible_party = models.CharField(_("first responsible party"), max_length=12, choices=choices(PARTY_LABELS))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("filing condition")
        verbose_name_plural = _("filing conditions")
        ordering = ["matter__code", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "seq"], name="filingcondition_matter_seq_unique"),
            models.CheckConstraint(condition=models.Q(limit_value__gt=0), name="filingcondition_limit_positive"),
            models.CheckConstraint(condition=models.Q(limit_unit__in=UNITS), name="filingcondition_unit_valid"),
            models.CheckConstraint(condition=models.Q(urgency__in=URGENCIES), name="filingcondition_urgency_valid"),
            models.CheckConstraint(
                condition=models.Q(responsible_party__in=PARTIES), name="filingcondition_party_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.code}-{self.seq} {self.description}"


class LegacyCode(models.Model):
    """A class code of an older standard (CJ/T 214-2007, GB/T 30428.2-2013) and the class it became."""

    scheme = models.CharField(_("scheme"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=choices(KIND_LABELS))
    code = models.CharField(_("legacy code"), max_length=5)
    name = models.CharField(_("legacy name"), max_length=60)
    maps_to = models.ForeignKey(
        CatalogClass, models.SET_NULL, null=True, blank=True, related_name="legacy_codes",
        verbose_name=_("maps to"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("legacy code")
        verbose_name_plural = _("legacy codes")
        ordering = ["scheme", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "code"], name="legacycode_scheme_kind_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.code} {self.name}"
