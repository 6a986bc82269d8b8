from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import devices
from urbangrid.accounts.models import (
    Appointment,
    CollectorProfile,
    Device,
    GridSpell,
    Organisation,
    Suspension,
    User,
)
from urbangrid.adminbase import ReadOnlyAdmin


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    autocomplete_fields = ["organisation"]


HISTORY = _("responsibility grid history (counts from the day after a change)")


def grid_history(self, profile: CollectorProfile) -> str:
    """The spells the grid changes wrote (accounts.gridhistory), read-only: grid, first day, end (not included)."""
    if profile.pk is None:
        return "—"
    spells = GridSpell.objects.filter(user_id=profile.user_id).order_by("grid_code", "id")
    rows = ((s.grid_code, s.began or "…", s.ended or "…") for s in spells)
    return format_html_join("", "<div>{} {} – {}</div>", rows) or "—"


class CollectorProfileInline(admin.StackedInline):
    model = CollectorProfile
    extra = 0
    can_delete = False
    raw_id_fields = ["grids"]
    readonly_fields = ["grid_history"]
    grid_history = admin.display(description=HISTORY)(grid_history)


class ResetPasswordForm(AdminPasswordChangeForm):
    """A password an administrator sets is known to them: the user must replace it at the next sign-in."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = ResetPasswordForm
    list_display = ["username", "display_name", "phone", "post_list", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "phone"]
    list_filter = ["is_active", "is_staff", "appointments__post", "appointments__organisation__kind"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (_("Person"), {"fields": ("display_name", "phone", "email")}),
        (_("Password policy"), {"fields": ("must_change_password",)}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    inlines = [AppointmentInline, CollectorProfileInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("appointments")

    def save_model(self, request, obj, form, change):
        if not change:  # the administrator chose the first password
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    @admin.display(description=_("posts"))
    def post_list(self, user: User) -> str:
        return "、".join(str(a.get_post_display()) for a in user.appointments.all() if a.active)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "party_type", "uscc", "parent", "area", "active"]
    list_filter = ["kind", "party_type", "active"]
    search_fields = ["name", "short_name", "uscc"]
    list_select_related = ["parent", "area"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["area", "territory"]
    filter_horizontal = ["responsibilities"]
    inlines = [AppointmentInline]


@admin.register(CollectorProfile)
class CollectorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "certificate_no", "certificate_expires", "certified", "grid_count"]
    search_fields = ["user__username", "user__display_name", "certificate_no"]
    list_filter = ["certificate_expires"]
    raw_id_fields = ["grids"]
    list_select_related = ["user"]
    readonly_fields = ["grid_history"]
    grid_history = admin.display(description=HISTORY)(grid_history)

    @admin.display(description=_("certified"), boolean=True)
    def certified(self, profile: CollectorProfile) -> bool:
        return profile.is_certified()

    @admin.display(description=_("responsibility grids"))
    def grid_count(self, profile: CollectorProfile) -> int:
        return profile.grids.count()


@admin.register(GridSpell)
class GridSpellAdmin(ReadOnlyAdmin):
    """Who was responsible for which grid on which days: the history 漏报 and 网格立案数 count by."""

    list_display = ["user", "grid_code", "began", "ended"]
    search_fields = ["grid_code", "user__username", "user__display_name"]
    list_select_related = ["user"]


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    """Suspend a collector or a collection company; lift it later. Never deleted: the record stays."""

    list_display = ["__str__", "collector", "company", "since", "lifted_at", "by"]
    list_filter = ["lifted_at"]
    search_fields = ["collector__username", "collector__display_name", "company__name", "reason"]
    raw_id_fields = ["collector", "company"]
    readonly_fields = ["lifted_at", "by"]
    actions = ["lift"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Lift the selected suspensions"))
    def lift(self, request, queryset):
        for suspension in queryset.filter(lifted_at=None):
            suspension.lifted_at = timezone.now()
            suspension.save(update_fields=["lifted_at"])  # save(), not update(): the roster listens for it


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """Phones signed in to the field app; a lost or stolen one is revoked here (its session and queue end)."""

    list_display = ["user", "label", "created_at", "last_seen_at", "revoked_at", "revoked_by"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "user__display_name", "label"]
    readonly_fields = ["user", "label", "created_at", "last_seen_at", "revoked_at", "revoked_by"]
    list_select_related = ["user", "revoked_by"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Report lost or stolen: end the sessions and queue of the selected phones"))
    def revoke(self, request, queryset):
        for device in queryset.filter(revoked_at=None):
            devices.revoke(device, request.user)
        messages.success(request, _("The selected phones are signed out; their queued reports will be refused."))
