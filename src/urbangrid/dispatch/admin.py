"""Dispatch rules and per-class auto-dispatch in the admin. Rules are tried in the order of the list."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ["priority", "name", "active", "kind", "class_codes", "area_prefix", "window", "urgency",
                    "target_name"]
    list_display_links = ["name"]
    list_editable = ["priority", "active"]
    list_filter = ["active", "kind", "urgency", "party"]
    search_fields = ["name", "class_codes", "^area_prefix", "department__name", "district_centre__name"]
    list_select_related = ["department", "district_centre"]
    autocomplete_fields = ["department", "district_centre"]
    fieldsets = [
        (None, {"fields": ["name", "priority", "active"]}),
        (_("When"), {"fields": ["kind", "class_codes", "area_prefix", ("window_start", "window_end"), "urgency"],
                     "description": _("Every condition given must hold; an empty one holds always.")}),
        (_("Dispatch to (exactly one)"), {"fields": ["department", "district_centre", "party"]}),
        (None, {"fields": ["note"]}),
    ]

    @admin.display(description=_("time window"))
    def window(self, rule: DispatchRule) -> str:
        if rule.window_start is None or rule.window_end is None:
            return "—"
        return f"{rule.window_start:%H:%M}–{rule.window_end:%H:%M}"

    @admin.display(description=_("dispatch to"))
    def target_name(self, rule: DispatchRule) -> str:
        if rule.party:
            return str(rule.get_party_display())
        return str(rule.department or rule.district_centre)


@admin.register(ClassDispatchSetting)
class ClassDispatchSettingAdmin(admin.ModelAdmin):
    list_display = ["klass", "kind", "auto_dispatch"]
    list_editable = ["auto_dispatch"]
    list_filter = ["auto_dispatch", "klass__kind"]
    search_fields = ["^klass__code", "klass__name"]
    list_select_related = ["klass"]
    autocomplete_fields = ["klass"]

    @admin.display(description=_("kind"), ordering="klass__kind")
    def kind(self, setting: ClassDispatchSetting) -> str:
        return str(setting.klass.get_kind_display())
