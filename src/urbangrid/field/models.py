"""What the field app (城管通) keeps besides cases: patrol tracks, safety alerts, police liaisons, task receipts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ALERT_KINDS = {"obstructed": _("Obstructed"), "threatened": _("Threatened")}


class TrackPoint(models.Model):
    """One position of a collector on duty, as the phone measured it (WGS84). Uploaded in batches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="track_points", verbose_name=_("collector")
    )
    at = models.DateTimeField(_("at"))
    lon = models.FloatField(_("longitude (WGS84)"))
    lat = models.FloatField(_("latitude (WGS84)"))
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        ordering = ["user", "at"]
        # A batch sent twice (the answer lost on the way back) must not double the track.
        constraints = [models.UniqueConstraint(fields=["user", "at"], name="trackpoint_user_at_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M:%S}"


class PoliceLiaison(models.Model):
    """The police contact of a district who receives collectors' safety alerts there (art. 35)."""

    district = models.ForeignKey(
        "grid.Area", models.PROTECT, related_name="+", verbose_name=_("district"),
        limit_choices_to={"level": "district"},
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("account (receives alerts in the inbox)"),
    )

    class Meta:
        verbose_name = _("police liaison")
        verbose_name_plural = _("police liaisons")

    def __str__(self) -> str:
        return f"{self.district} · {self.name}"


class Alert(models.Model):
    """A collector's one-tap "obstructed / threatened" call for help, with where it was sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("collector"))
    key = models.CharField(_("idempotency key"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12)
    lon = models.FloatField(_("longitude (WGS84)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (WGS84)"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    notified = models.JSONField(_("notified"), default=list, blank=True)  # user ids, for the record

    class Meta:
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="alert_user_key_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=list(ALERT_KINDS)), name="alert_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.at:%Y-%m-%d %H:%M}"


class TaskReceipt(models.Model):
    """A task result from the phone's queue that was applied: sent again, it is answered from here, not redone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("collector"))
    key = models.CharField(_("idempotency key"), max_length=100)
    case_id = models.BigIntegerField(_("case"))  # by id: the field app reads cases, it does not own them
    action = models.CharField(_("action"), max_length=24)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task receipt")
        verbose_name_plural = _("task receipts")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="taskreceipt_user_key_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.case_id} · {self.action}"
