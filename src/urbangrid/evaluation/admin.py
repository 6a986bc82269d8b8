"""Scoring rules in the admin: versions with their weighted terms; a version a bulletin used is read-only.

To change rules that are frozen: select the version, "Copy as a new version", edit the copy, "Use for new
reports". Bulletins are read-only: published numbers are never edited.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from urbangrid.adminbase import ReadOnlyAdmin
from urbangrid.core import evaluation as core
from urbangrid.evaluation import rules
from urbangrid.evaluation.labels import INDICATORS, METHOD_LABELS, SUBJECT_LABELS
from urbangrid.evaluation.models import Bulletin, BulletinDecision, RuleSet, RuleTerm


class RuleTermForm(forms.ModelForm):
    subject = forms.ChoiceField(label=_("evaluated"), choices=list(SUBJECT_LABELS.items()))
    indicator = forms.ChoiceField(label=_("indicator"), choices=[(n, f"{d.term} ({n})") for n, d in INDICATORS.items()])
    method = forms.ChoiceField(label=_("scoring"), choices=[(str(m), label) for m, label in METHOD_LABELS.items()])

    class Meta:
        model = RuleTerm
        fields = ["subject", "indicator", "weight", "method", "bands"]
        help_texts = {"bands": _('For bands: [[threshold, score], …], e.g. [[0, 100], [2, 90], [4, 75]].')}

    def clean(self):
        cleaned = super().clean()
        method, bands = cleaned.get("method"), cleaned.get("bands") or []
        banded = method in (core.Method.BANDS_UP, core.Method.BANDS_DOWN)
        if banded and not bands:
            self.add_error("bands", _("Scoring by bands needs at least one [threshold, score] pair."))
        if not all(isinstance(b, list) and len(b) == 2 and all(isinstance(x, int | float) for x in b) for b in bands):
            self.add_error("bands", _("Write the bands as [[threshold, score], …] with numbers."))
        weight = cleaned.get("weight")
        if weight is not None and not 0 < weight <= 100:
            self.add_error("weight", _("A weight is a percentage above 0 and at most 100."))
        return cleaned


class RuleTermInline(admin.TabularInline):
    model = RuleTerm
    form = RuleTermForm
    extra = 0

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.frozen)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.frozen)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "name", "active", "used_by", "created_at"]
    list_display_links = ["version", "name"]
    readonly_fields = ["version", "active", "created_at"]
    fields = ["version", "name", "note", "grades", "active", "created_at"]
    inlines = [RuleTermInline]
    actions = ["copy_as_new_version", "use_for_new_reports"]

    @admin.display(description=_("bulletins"))
    def used_by(self, ruleset: RuleSet) -> int:
        return ruleset.bulletins.count()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.frozen)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = (RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(self, request, queryset):
        for ruleset in queryset:
            new = rules.copy(ruleset)
            self.message_user(request, _("Version {version} made; edit it, then use it.").format(version=new.version))

    @admin.action(description=_("Use for new reports"))
    def use_for_new_reports(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        rules.use(queryset.get())


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    """Read-only: bulletins are drafted and reviewed on the evaluation pages; reviewed ones are records, and
    drafts are rejected, not deleted."""

    list_display = ["period_kind", "first_day", "last_day", "version", "status", "ruleset", "published_at"]
    list_filter = ["period_kind", "status"]


@admin.register(BulletinDecision)
class BulletinDecisionAdmin(ReadOnlyAdmin):
    """The review log, read-only: who made, approved or rejected which bulletin, when and why."""

    list_display = ["at", "actor_name", "action", "bulletin", "note"]
    list_filter = ["action"]
