"""The audit log (等保 2.0 安全审计): who signed in, changed a permission or reference data, when, from where.

Case events have their own chained log (cases.CaseEvent); this one covers everything around them. Entries are
appended and never changed: the ORM refuses updates and deletes, as it does for case events.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOGIN = "login", _("sign-in")
    LOGOUT = "logout", _("sign-out")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOCKED_OUT = "locked_out", _("sign-in locked")
    PASSWORD = "password", _("password changed")
    PERMISSION = "permission", _("permission change")
    REFERENCE = "reference", _("reference data change")

class ImmutableEntry(Exception):
    pass

class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("audit entries are never updated")

    def delete(self):
        raise ImmutableEntry("audit entries are never deleted")

class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # No foreign key: deleting a user must neither be blocked by their history nor rewrite it.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)  # the user name at the time
    ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditentry_object")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="auditentry_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor or '-'} {self.kind} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry("audit entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("audit entries are never deleted")
