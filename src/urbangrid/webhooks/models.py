"""Webhook subscriptions of other systems, and the deliveries of case events to them.

A delivery is a row written after the case's transaction commits, so a transition never waits for (or
fails with) a subscriber; the worker sends the rows, retries failures with exponential backoff and logs
every attempt. The secret signs the deliveries (HMAC-SHA256), so it is kept as it is, not as a digest.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {"pending": _("Pending"), "delivered": _("Delivered"), "failed": _("Failed")}


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    name = models.CharField(_("name"), max_length=60)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    classes = models.CharField(
        _("classes"), max_length=500, blank=True,
        help_text=_("5-digit class codes separated by spaces; empty: every class."),
    )
    areas = models.CharField(
        _("areas"), max_length=500, blank=True,
        help_text=_("District, street, community or grid codes (prefixes) separated by spaces; empty: everywhere."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, class_code: str | None, grid_code: str) -> bool:
        classes, areas = self.classes.split(), self.areas.split()
        if classes and class_code not in classes:
            return False
        return not areas or any(grid_code.startswith(area) for area in areas)


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event = models.CharField(_("event"), max_length=40)  # case.<action>
    case_number = models.CharField(_("case number"), max_length=20)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, default="pending", choices=list(STATUS_LABELS.items()))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.case_number} → {self.subscription}"


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="log", verbose_name=_("delivery"))
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:40]}"
