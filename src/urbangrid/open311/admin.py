from django.contrib import admin

from urbangrid.open311.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """Keys are issued by `urbangrid open311 create-key NAME` (it prints the key once); here they are switched off."""

    list_display = ["name", "prefix", "user", "source", "active", "created_at", "last_used_at"]
    list_filter = ["active", "source"]
    fields = ["name", "user", "prefix", "source", "active", "created_at", "last_used_at"]
    readonly_fields = ["name", "user", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
