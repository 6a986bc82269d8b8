"""Working calendars, their corrected days and imported years, and the limits of the centres' steps.

A calendar's days start from the chinesecalendar package (calendars.py); CalendarDay rows override single
days, and ImportedYear rows record the years whose official schedule an administrator loaded in full. Only
those years count as covered beyond the package: a few corrected days do not make a year safe to count on.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urbangrid.core.limits import LimitUnit
from urbangrid.timekeeping.hours import DEFAULT_HOURS, HoursError, parse_hours
from urbangrid.timekeeping.labels import DAY_KIND_LABELS, STEP_LABELS, STEP_UNIT_LABELS, Step, choices

DAY_KINDS = list(DAY_KIND_LABELS)
STEPS = [str(step) for step in Step]
STEP_UNITS = [str(unit) for unit in STEP_UNIT_LABELS]
YEARS = (1950, 2200)  # core.workcalendar.YEAR_RANGE: the years the working clock can count in


def validate_hours(value: str) -> None:
    try:
        parse_hours(value)
    except HoursError as error:
        raise ValidationError(gettext(error.message).format(**error.params), code="hours") from error


class WorkCalendar(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    hours = models.CharField(
        _("working hours"), max_length=200, default=DEFAULT_HOURS, validators=[validate_hours],
        help_text=_("Periods of the working day, e.g. 08:00-12:00,14:00-18:00."),
    )
    is_default = models.BooleanField(
        _("default calendar"), default=False,
        help_text=_("The city's calendar: the centres' steps, and every organisation without a calendar."),
    )
    organisation = models.OneToOneField(
        "accounts.Organisation", models.CASCADE, null=True, blank=True, related_name="work_calendar",
        verbose_name=_("organisation"),
        help_text=_("The organisation (and its units) that works by this calendar."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="workcalendar_one_default",
                violation_error_message=_("Another calendar is already the default."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_default=False) | models.Q(organisation__isnull=True),
                name="workcalendar_default_has_no_organisation",
                violation_error_message=_("The default calendar belongs to the whole city, not to an organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """One day that is off, or worked, whatever the package says: a correction or a row of an official schedule."""

    calendar = models.ForeignKey(WorkCalendar, models.CASCADE, related_name="days", verbose_name=_("calendar"))
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=choices(DAY_KIND_LABELS))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="calendarday_calendar_day_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=DAY_KINDS), name="calendarday_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"

    @property
    def is_workday(self) -> bool:
        return self.kind == "workday"


class ImportedYear(models.Model):
    """A year whose complete official schedule (国务院办公厅 notice) was loaded into a calendar."""

    calendar = models.ForeignKey(
        WorkCalendar, models.CASCADE, related_name="imported_years", verbose_name=_("calendar")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported year")
        verbose_name_plural = _("imported years")
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="importedyear_calendar_year_unique"),
            models.CheckConstraint(
                condition=models.Q(year__gte=YEARS[0], year__lte=YEARS[1]), name="importedyear_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.year}"


class StepLimit(models.Model):
    """How long one step of the centres may take: whole minutes, on the working or the continuous clock."""

    step = models.CharField(_("step"), max_length=10, unique=True, choices=choices(STEP_LABELS))
    value = models.PositiveIntegerField(_("limit (minutes)"))
    unit = models.CharField(
        _("clock"), max_length=14, choices=choices(STEP_UNIT_LABELS), default=LimitUnit.WORK_HOURS.value
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("step limit")
        verbose_name_plural = _("step limits")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(step__in=STEPS), name="steplimit_step_valid"),
            models.CheckConstraint(condition=models.Q(unit__in=STEP_UNITS), name="steplimit_unit_valid"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="steplimit_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.value}"
