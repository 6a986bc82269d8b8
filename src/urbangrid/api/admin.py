"""API tokens in the admin: issue one (its secret is shown once), see when each was last used, revoke."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.api import tokens
from urbangrid.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope", "expires_at", "rate_limit"]
        return ["user", "name", "prefix", "scope", "expires_at", "rate_limit", "created_at", "last_used_at",
                "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        record, token = tokens.issue(obj.user, obj.name, obj.scope, obj.expires_at, obj.rate_limit)
        obj.pk, obj.prefix, obj.digest = record.pk, record.prefix, record.digest
        obj._state.adding = False
        message = _("The new API token is {token} — copy it now: it is not stored and will not be shown again.")
        self.message_user(request, message.format(token=token), messages.WARNING)

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at=None).update(revoked_at=timezone.now())
        self.message_user(request, _("{count} tokens revoked.").format(count=count))
