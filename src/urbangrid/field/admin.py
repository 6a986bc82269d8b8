from django.contrib import admin

from urbangrid.field.models import Alert, PoliceLiaison, TrackPoint


@admin.register(PoliceLiaison)
class PoliceLiaisonAdmin(admin.ModelAdmin):
    list_display = ["district", "name", "phone", "user"]
    raw_id_fields = ["district", "user"]
    search_fields = ["name", "phone", "district__name"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Safety alerts are a record: read here, never changed."""

    list_display = ["at", "user", "kind", "place"]
    list_filter = ["kind"]
    readonly_fields = ["user", "key", "kind", "lon", "lat", "place", "at", "notified"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrackPoint)
class TrackPointAdmin(admin.ModelAdmin):
    list_display = ["user", "at", "lon", "lat", "accuracy_m"]
    list_filter = ["at"]
    search_fields = ["user__username", "user__display_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
