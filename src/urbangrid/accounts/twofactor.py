"""An optional second factor: a TOTP code from an authenticator app (RFC 6238), for centre staff who want it.

Setting it up shows a QR code drawn on the server (segno, as inline SVG: nothing fetched, no script); the
device counts once a first code from it was entered. From then on every sign-in asks for a code
(middleware.second_factor_required). Wrong codes slow down (django-otp's throttling).
"""

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_totp.models import TOTPDevice


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Six-digit code"), regex=r"^\s*\d{6}\s*$", max_length=12,
        error_messages={"invalid": gettext_lazy("Enter the six digits your app shows."),
                        "required": gettext_lazy("Enter the six digits your app shows.")},
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("workbench:home")


@login_required
def setup(request):
    if any(devices_for_user(request.user)):
        return render(request, "accounts/otp_setup.html", {"enrolled": True})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)  # this session has just shown the code
            return render(request, "accounts/otp_setup.html", {"enrolled": True, "just_now": True})
        form.add_error("code", _("This code is not right. Check the time on your phone and try the newest code."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b2733", light="#fff", omitsize=True)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp_setup.html", {"form": form, "qr": qr, "secret": secret})


@login_required
def verify(request):
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        otp_verification_failed.send(sender=CodeForm, user=request.user)  # for the audit log
        form.add_error("code", _("This code is not right. Check the time on your phone and try the newest code."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})
