"""The public report form. No captcha; what keeps scripts out is cheap for a person and costly for a bot:
a field people never see (a honeypot), a minimum time between showing the form and sending it, a key per form
(a second send finds the first case) and the rate limits of throttle.py."""

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from urbangrid.cases import photos as case_photos
from urbangrid.cases.errors import InvalidInput
from urbangrid.citizens.problems import CHOICES, report_fields
from urbangrid.hotline.forms import clean_phone

MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 6 * 3600
MAX_PHOTOS = 3
MAX_DESCRIPTION = 1000
SALT = "citizens.report.started"


def min_fill_seconds() -> int:
    return getattr(settings, "CITIZENS_MIN_FILL_SECONDS", MIN_FILL_SECONDS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    problem = forms.ChoiceField(label=_("What is the problem?"), choices=CHOICES, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Describe it"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong and where exactly, e.g. in front of which building."),
    )
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Your phone (optional)"), max_length=30, required=False,
        help_text=_("Only the city-management centre sees it, to call you back about this report."),
    )
    photos = MultipleFileField(
        label=_("Photos (optional)"), required=False, help_text=_("Up to 3 photos of the problem."),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))  # the honeypot, hidden by CSS
    started = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial.update(started=signing.TimestampSigner(salt=SALT).sign(str(int(time.time()))),
                                key=uuid.uuid4().hex)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return clean_phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Your report could not be sent. Please try again."), code="honeypot")
        self._check_time(data.get("started", ""))
        if data.get("lon") is None or data.get("lat") is None:
            self.add_error("lon", _("Put the pin on the map where the problem is."))
        return data

    def _check_time(self, started: str) -> None:
        try:
            elapsed = time.time() - int(signing.TimestampSigner(salt=SALT).unsign(started))
        except (signing.BadSignature, ValueError):
            elapsed = None
        if elapsed is None or elapsed > MAX_FORM_AGE_SECONDS:
            self._restart()
            raise forms.ValidationError(_("The form has expired. Check your report and send it again."))
        if elapsed < min_fill_seconds():
            self._restart()
            raise forms.ValidationError(_("That was very quick. Check your report and send it again."))

    def _restart(self) -> None:
        # A fresh start time in the re-shown form: reading the message takes a person longer than the minimum.
        data = self.data.copy()
        data["started"] = signing.TimestampSigner(salt=SALT).sign(str(int(time.time())))
        self.data = data

    def clean_photos(self) -> list:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most {n} photos.").format(n=MAX_PHOTOS))
        errors = []
        for photo in photos:
            try:
                case_photos.prepare(photo)  # the checks every photo of a case passes (type, size, bomb, decode)
            except InvalidInput as error:
                errors.append(f"{photo.name}: {error.message}")
            photo.seek(0)
        if errors:
            raise forms.ValidationError(errors)
        return photos

    def report_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "source": "public", **report_fields(data["problem"]), "description": data["description"],
            "address": data.get("address", ""), "lon": data["lon"], "lat": data["lat"],
            "reporter_phone": data.get("phone", ""),
        }
