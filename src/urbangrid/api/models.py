"""Personal API tokens: a user's key to /api/v1/ for scripts and other systems, besides the session.

Only a SHA-256 digest of a token is stored: the secret is 256 random bits, so a slow password hash would
add nothing but latency to every request, and a stolen table holds no usable token. The short prefix is
kept in clear so that a user (and the admin) can tell their tokens apart and revoke the right one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPE_LABELS = {
    "read": _("Read only"),  # GET, HEAD and OPTIONS
    "write": _("Read and write"),
}
SCOPES = list(SCOPE_LABELS)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("What the token is for, e.g. the script using it."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("SHA-256 digest"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=8, default="read", choices=list(SCOPE_LABELS.items()))
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"), null=True, blank=True, help_text=_("Empty: the site's default limit.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(scope__in=SCOPES), name="apitoken_scope_valid")]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"
