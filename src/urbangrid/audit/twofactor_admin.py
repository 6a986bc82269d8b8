"""Chinese for the authenticator-app (django-otp TOTP) admin pages, whose package writes its fieldset titles, help
texts and QR-code page in plain English, outside any catalogue. The package's own English is kept as the msgids,
so English pages read as before and our one catalogue gives the Chinese. (Its model and five field names are
translated by accounts/thirdparty.py.)"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

LABELS = {
    "key": _("key"), "step": _("time step"), "t0": _("start time (t0)"), "digits": _("digits"),
    "tolerance": _("tolerance"), "drift": _("drift"), "last_t": _("last verified step"),
    "throttling_failure_timestamp": _("last failed attempt"), "throttling_failure_count": _("failed attempts in a row"),
}
HELP = {
    "user": _("The user that this device belongs to."),
    "name": _("The human-readable name of this device."),
    "confirmed": _("Is this device ready for use?"),
    "key": _("A hex-encoded secret key of up to 40 bytes."),
    "step": _("The time step in seconds."),
    "t0": _("The Unix time at which to begin counting steps."),
    "digits": _("The number of digits to expect in a token."),
    "tolerance": _("The number of time steps in the past or future to allow."),
    "drift": _("The number of time steps the prover is known to deviate from our clock."),
    "last_t": _("The t value of the latest verified token. The next token must be at a higher time step."),
    "throttling_failure_timestamp": _(
        "A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    "throttling_failure_count": _("Number of successive failed attempts."),
    "created_at": _("The date and time when this device was initially created in the system."),
    "last_used_at": _("The most recent date and time this device was used."),
}
# The screen-reader headings of Django 5.2's admin index, which its own zh_Hans catalogue does not have yet.
ADMIN_MSGIDS = [gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link")]
TITLES = {"Identity": _("Identity"), "Timestamps": _("Timestamps"), "Configuration": _("Configuration"),
          "State": _("State"), "Throttling": _("Throttling")}


class TranslatedTOTPDeviceAdmin(TOTPDeviceAdmin):
    search_help_text = _("Search by the user's user name or e-mail address")

    def get_fieldsets(self, request, obj=None):
        return [(TITLES.get(title, title), options) for title, options in super().get_fieldsets(request, obj)]

    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("QR code"))

    def config_view(self, request, pk):
        response = super().config_view(request, pk)
        if isinstance(response, TemplateResponse):
            response.template_name = "audit/otp_totp_config.html"  # the package's page, its sentence translated
        return response


def install() -> None:
    for name, label in LABELS.items():
        TOTPDevice._meta.get_field(name).verbose_name = label
    for name, text in HELP.items():
        TOTPDevice._meta.get_field(name).help_text = text
    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)
    admin.site.register(TOTPDevice, TranslatedTOTPDeviceAdmin)
