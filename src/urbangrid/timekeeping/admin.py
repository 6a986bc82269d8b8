"""Calendars, corrected days, imported years and step limits in the admin.

Each calendar page says which of the coming twelve months' years lack holiday data, the same fact the
system check urbangrid.W001 reports for the default calendar.
"""

from django.contrib import admin
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urbangrid.timekeeping import calendars, checks
from urbangrid.timekeeping.models import CalendarDay, ImportedYear, StepLimit, WorkCalendar


class ImportedYearInline(admin.TabularInline):
    model = ImportedYear
    extra = 0
    fields = ["year", "source", "imported_at"]
    readonly_fields = ["imported_at"]


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "hours", "is_default", "organisation", "day_count"]
    list_filter = ["is_default"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fields = ["name", "hours", "is_default", "organisation", "note", "coverage"]
    readonly_fields = ["coverage"]
    inlines = [ImportedYearInline]

    @admin.display(description=_("corrected days"))
    def day_count(self, obj: WorkCalendar) -> int:
        return obj.days.count()

    @admin.display(description=_("holiday data for the next 12 months"))
    def coverage(self, obj: WorkCalendar) -> str:
        if obj.pk is None:
            return "—"
        first = checks.today()
        missing = calendars.calendar_named(obj.name).uncovered_years(first, first + checks.AHEAD)
        if not missing:
            return gettext("complete")
        return gettext("missing for {years}: import the official schedule or add the days").format(
            years=", ".join(map(str, missing))
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "kind", "calendar", "note"]
    list_filter = ["calendar", "kind"]
    search_fields = ["note", "calendar__name"]
    date_hierarchy = "day"
    list_select_related = ["calendar"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS_ABBR[obj.day.weekday()])


@admin.register(ImportedYear)
class ImportedYearAdmin(admin.ModelAdmin):
    list_display = ["year", "calendar", "source", "imported_at"]
    list_filter = ["calendar"]
    search_fields = ["source", "calendar__name"]
    list_select_related = ["calendar"]


@admin.register(StepLimit)
class StepLimitAdmin(admin.ModelAdmin):
    list_display = ["step", "value", "unit", "note"]
    list_editable = ["value", "unit"]
    list_filter = ["unit"]
    search_fields = ["step", "note"]
