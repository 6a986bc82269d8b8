from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.webhooks import delivery
from urbangrid.webhooks.models import Attempt, Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "classes", "areas", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status_code", "error", "duration_ms"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "subscription", "event", "case_number", "status", "attempts", "next_attempt_at",
                    "delivered_at"]
    list_filter = ["status", "subscription"]
    search_fields = ["case_number"]
    readonly_fields = ["subscription", "event", "case_number", "payload", "status", "attempts", "next_attempt_at",
                       "delivered_at", "created_at"]
    inlines = [AttemptInline]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Deliver the selected again"))
    def retry(self, request, queryset):
        count = delivery.retry_now(queryset)
        self.message_user(request, _("{count} deliveries will be sent again.").format(count=count))
