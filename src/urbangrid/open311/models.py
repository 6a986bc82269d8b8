"""Client systems allowed to post reports over Open311 GeoReport v2, one API key each.

Each client reports as its own user (`open311-NAME`), which holds the reporting-system post (外部上报系统) in the
supervision centre — it may enter reports and read its own, nothing city-wide: the same intake checks and the
same idempotency scope as any other reporter, and one client's idempotency keys never find another client's
cases. The key itself is kept only as a SHA-256 digest.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SOURCES = ["public", "other", "system"]  # cases.labels.SOURCE_LABELS that an outside system may report as


class Client(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="open311_client", verbose_name=_("reports as")
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    digest = models.CharField(_("SHA-256 digest of the key"), max_length=64, unique=True)
    source = models.CharField(_("source of its reports"), max_length=12, default="public")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(source__in=SOURCES), name="open311client_source_valid"),
        ]

    def __str__(self) -> str:
        return self.name
