from django.contrib import admin

from urbangrid.adminbase import ReadOnlyAdmin
from urbangrid.audit import twofactor_admin
from urbangrid.audit.models import AuditEntry

twofactor_admin.install()


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is looked at, never written, from the admin."""

    list_display = ["at", "actor", "ip", "kind", "object_type", "object_repr"]
    list_filter = ["kind", "object_type", "at"]
    search_fields = ["actor", "object_repr", "object_id", "ip"]
    date_hierarchy = "at"
    show_full_result_count = False  # the log grows without end: no COUNT(*) of it on every page
