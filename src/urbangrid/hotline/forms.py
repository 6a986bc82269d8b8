"""The console's forms. Django forms, so a mistake is shown next to its field and nothing typed is lost."""

import re
import uuid

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from urbangrid.cases.labels import KIND_LABELS
from urbangrid.dispatch.directory import DATA_VERSION as CATALOGUE_VERSION
from urbangrid.grid.versions import Versioned
from urbangrid.workbench import choices

# Mobile (11 digits from 1), or a fixed line with or without its 0-prefixed area code; +86 allowed in front.
PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
CALL_KINDS = [("complaint", _("Complaint: a problem to handle")), ("enquiry", _("Enquiry: answered on the call"))]


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s()]", "", value or "")
    if not PHONE.match(value):
        raise forms.ValidationError(_("Not a phone number: a mobile number of 11 digits, or a fixed line."))
    return value


class GroupedSelect(forms.Select):
    """A select of some 400 grouped options, written directly: Django's per-option templates took 120 ms.
    With nothing chosen (every fresh console page) it is written once per catalogue version and language."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs, chosen = self.build_attrs(self.attrs, attrs), str(value or "")
        if chosen:
            return self._written(name, chosen, attrs)
        key = ("select", get_language(), name, flatatt(attrs))
        written = _per_catalogue.get()
        if key not in written:
            written[key] = self._written(name, chosen, attrs)
        return written[key]

    def use_required_attribute(self, initial) -> bool:
        # Django's looks at the first choice, which builds all of them; ours is always the empty one.
        return self.is_required and not self.is_hidden

    def _written(self, name: str, chosen: str, attrs: dict) -> str:
        parts = []
        for group, options in self.choices:
            if isinstance(options, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, _options(options, chosen)))
            else:
                parts.append(_options([(group, options)], chosen))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), mark_safe("".join(parts)))


def _options(rows, chosen: str):
    selected = mark_safe(" selected")
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (key, selected if str(key) == chosen else "", label) for key, label in rows
    ))


class CallForm(forms.Form):
    """One incoming call: who, what they say, and (for a complaint) where and what kind of problem."""

    call_kind = forms.ChoiceField(
        label=_("Kind of call"), choices=CALL_KINDS, widget=forms.RadioSelect, initial="complaint"
    )
    phone = forms.CharField(label=_("Caller's number"), max_length=30)
    caller_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    said = forms.CharField(label=_("What the caller says"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(
        label=_("Answer given"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For an enquiry: what you told the caller."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Component or matter"), choices=list(KIND_LABELS.items()), initial="matter", required=False
    )
    # The choices are a callable: Django calls it only when the choices are read (validating a call, or writing
    # the select when it is not written yet), so a fresh console page does not build 400 options.
    class_code = forms.ChoiceField(
        label=_("Class"), required=False, widget=GroupedSelect, choices=lambda: class_choices()
    )
    key = forms.CharField(widget=forms.HiddenInput)  # one per form shown: a double submit makes one case

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["key"] = uuid.uuid4().hex

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("call_kind") == "enquiry":
            if not (data.get("answer") or "").strip():
                self.add_error("answer", _("Write down the answer you gave."))
            return data
        if data.get("lon") is None or data.get("lat") is None:
            self.add_error("address", _("Find the place: search an address or click the map."))
        if not data.get("kind"):
            data["kind"] = (data.get("class_code") or "matter").partition(":")[0]
        code = data.get("class_code")
        if code and not code.startswith(data["kind"] + ":"):
            self.add_error("class_code", _("This class is not of the kind chosen."))
        return data

    def report_fields(self) -> dict:
        data = self.cleaned_data
        code = data.get("class_code") or ""
        return {
            "source": "hotline", "kind": data["kind"], "class_code": code.partition(":")[2] or None,
            "description": data["said"], "address": data.get("address", ""), "lon": data["lon"], "lat": data["lat"],
            "reporter_name": data.get("caller_name", ""), "reporter_phone": data["phone"],
        }


class FollowUpForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Is the caller satisfied?"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Satisfied: the follow-up is done")), ("no", _("Not satisfied: reopen the case"))],
    )
    said = forms.CharField(label=_("What the caller says"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("satisfied") is False and not (data.get("said") or "").strip():
            self.add_error("said", _("Write down what the caller says is still wrong."))
        return data


def class_choices() -> list:
    """Both kinds' classes in one select, values 'kind:code', grouped by kind and large class; built once per
    catalogue version and language."""
    built, key = _per_catalogue.get(), ("choices", get_language())
    if key not in built:
        groups = [("", _("(not known yet)"))]
        for kind, label in KIND_LABELS.items():
            for group, items in choices.classes(kind):
                groups.append((f"{label} · {group}", [(f"{kind}:{code}", name) for code, name in items]))
        built[key] = groups
    return built[key]


# What the class select is made of, per language: emptied when the catalogue changes (its data version moves).
_per_catalogue = Versioned(CATALOGUE_VERSION, dict)
