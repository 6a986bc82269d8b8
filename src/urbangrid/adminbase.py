"""The admin's base for records that are looked at, never written, from the admin (logs, versions, reviewed
bulletins): they are made by the code paths that own them (an action, a command, a review), each in its own
transaction and audited there."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
