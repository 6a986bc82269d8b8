from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLease(models.Model):
    """Who runs a periodic job now, and when it last ran: the lock that lets several workers share a schedule."""

    name = models.CharField(_("job"), max_length=60, primary_key=True)
    holder = models.CharField(_("held by"), max_length=120, blank=True)
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
