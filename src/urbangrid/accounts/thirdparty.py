"""Chinese names in the admin for django-axes and django-otp, which ship no Chinese of their own.

INSTALLED_APPS names these configs instead of the packages' own. The msgids below are the packages' own
English, listed so that makemessages puts them in our one catalogue, whose translations Django then uses.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig

AXES_MSGIDS = [
    gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("Username"), gettext_noop("IP Address"), gettext_noop("User Agent"), gettext_noop("Path"),
    gettext_noop("Attempt Time"), gettext_noop("Failed Logins"), gettext_noop("GET Data"), gettext_noop("POST Data"),
    gettext_noop("Meta Data"), gettext_noop("HTTP Accept"), gettext_noop("Expires At"), gettext_noop("Logout Time"),
    gettext_noop("Locked Out"), gettext_noop("Form Data"), gettext_noop("Attempt Remaining"),
    gettext_noop("Session key hash (sha256)"), gettext_noop("Clean up expired attempts"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
]


class LockoutConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockout")


class TwoFactorConfig(TOTPAppConfig):
    verbose_name = _("Two-step sign-in")

    def ready(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # The package names its model in plain English, not as a translatable string.
        TOTPDevice._meta.verbose_name = _("authenticator app")
        TOTPDevice._meta.verbose_name_plural = _("authenticator apps")
        labels = {"user": _("user"), "name": _("name"), "confirmed": _("confirmed"),
                  "created_at": _("created at"), "last_used_at": _("last used at")}
        for field, label in labels.items():
            TOTPDevice._meta.get_field(field).verbose_name = label
