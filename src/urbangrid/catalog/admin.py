"""The catalogue in the admin: classes with their 立案条件 and legacy codes, editable by each city."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from urbangrid.catalog.models import CatalogClass, FilingCondition, LegacyCode


class LargeClassFilter(admin.SimpleListFilter):
    title = _("large class")
    parameter_name = "large_class"

    def lookups(self, request, model_admin):
        # Component and matter large classes share codes 01–05 with different names: list kind-name pairs.
        pairs = CatalogClass.objects.order_by("large_class_code", "large_class_name").values_list(
            "large_class_code", "large_class_name"
        ).distinct()
        return [(f"{code}:{name}", f"{code} {name}") for code, name in pairs]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        code, _sep, name = self.value().partition(":")
        return queryset.filter(large_class_code=code, large_class_name=name)


class FilingConditionInline(admin.TabularInline):
    model = FilingCondition
    extra = 0
    fields = ["seq", "description", "limit_value", "limit_unit", "urgency", "responsible_party",
              "closing_condition", "legal_basis"]


class LegacyCodeInline(admin.TabularInline):
    """Which old codes arrive at this class; edited on the legacy code itself, where maps_to is chosen."""

    model = LegacyCode
    extra = 0
    fields = readonly_fields = ["scheme", "kind", "code", "name", "note"]
    can_delete = False
    verbose_name_plural = _("legacy codes mapped to this class")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CatalogClass)
class CatalogClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "large_class", "is_local_extension", "active", "condition_count"]
    list_filter = ["kind", LargeClassFilter, "is_local_extension", "active"]
    search_fields = ["^code", "name", "keywords"]
    ordering = ["kind", "code"]  # explicit: Meta.ordering is dropped once the count annotation groups rows
    list_per_page = 100
    inlines = [FilingConditionInline, LegacyCodeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(condition_total=Count("conditions"))

    def get_inlines(self, request, obj):
        # Only matters have filing conditions; a component page would show an empty, misleading table.
        if obj is not None and obj.kind == "component":
            return [LegacyCodeInline]
        return self.inlines

    @admin.display(description=_("large class"), ordering="large_class_code")
    def large_class(self, obj):
        return f"{obj.large_class_code} {obj.large_class_name}"

    @admin.display(description=_("filing conditions"), ordering="condition_total")
    def condition_count(self, obj):
        return obj.condition_total


@admin.register(FilingCondition)
class FilingConditionAdmin(admin.ModelAdmin):
    list_display = ["matter", "seq", "description", "limit_value", "limit_unit", "urgency", "responsible_party"]
    list_filter = ["limit_unit", "urgency", "responsible_party"]
    search_fields = ["^matter__code", "matter__name", "description"]
    list_select_related = ["matter"]
    autocomplete_fields = ["matter"]
    list_per_page = 100


@admin.register(LegacyCode)
class LegacyCodeAdmin(admin.ModelAdmin):
    list_display = ["scheme", "kind", "code", "name", "maps_to", "note"]
    list_filter = ["scheme", "kind"]
    search_fields = ["^code", "name", "^maps_to__code", "maps_to__name"]
    list_select_related = ["maps_to"]
    autocomplete_fields = ["maps_to"]
    list_per_page = 100
