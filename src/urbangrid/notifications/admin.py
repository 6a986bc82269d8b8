from django.contrib import admin

from urbangrid.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "title", "case_id", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "user__username", "user__display_name")
    list_select_related = ("user",)
    readonly_fields = ("user", "kind", "title", "body", "case_id", "created_at", "read_at", "emailed_at")

    def has_add_permission(self, request):
        return False  # messages are sent by the system, not written by hand
