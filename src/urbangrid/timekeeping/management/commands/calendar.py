"""`urbangrid calendar import|show`: load an official holiday schedule from CSV, list a year's special days.

    urbangrid calendar import 2027.csv            # date,kind,note; nothing is written if any row is wrong
    urbangrid calendar show 2027 [--calendar 默认]
"""

from datetime import date, timedelta

import chinese_calendar
from django.core.management.base import CommandError
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from urbangrid import commandbase
from urbangrid.timekeeping import calendars, importing
from urbangrid.timekeeping.hours import format_hours
from urbangrid.timekeeping.management.commands.deadline import calendar_or_error
from urbangrid.timekeeping.models import YEARS, CalendarDay, ImportedYear, WorkCalendar

SHOWN_ERRORS = 50


class Command(commandbase.Command):
    help = gettext_lazy("Import a holiday schedule (CSV: date,kind,note) or show a year of a working calendar.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help=_("load days off and make-up workdays from a CSV file"))
        imp.add_argument("file")
        imp.add_argument("--calendar", help=_("a calendar's name; default: the default calendar"))
        imp.add_argument("--partial", action="store_true",
                         help=_("the file corrects some days; do not record its years as fully imported"))
        show = actions.add_parser("show", help=_("list a year's days off on weekdays, make-up workdays and coverage"))
        show.add_argument("year", type=int)
        show.add_argument("--calendar", help=_("a calendar's name; default: the default calendar"))

    def handle(self, *args, action: str, **options):
        {"import": self._import, "show": self._show}[action](options)

    def _import(self, options):
        calendar = _calendar_row(options["calendar"])
        progress = True if options["verbosity"] >= 2 else None if options["verbosity"] else False
        try:
            report = importing.import_schedule(options["file"], calendar, partial=options["partial"],
                                               progress=progress)
        except OSError as error:
            raise CommandError(_("Cannot read {file}: {error}").format(file=options["file"], error=error)) from error
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if report.errors:
            count = len(report.errors)
            message = ngettext("{count} problem; nothing was imported.", "{count} problems; nothing was imported.",
                               count)
            raise CommandError(message.format(count=count))
        self.stdout.write(_("{calendar}: {created} days added, {updated} changed.").format(
            calendar=calendar, created=report.created, updated=report.updated))
        if report.years:
            self.stdout.write(_("Recorded as fully imported: {years}.").format(years=", ".join(map(str, report.years))))

    def _show(self, options):
        year = options["year"]
        if not YEARS[0] <= year <= YEARS[1]:
            raise CommandError(_("The year must lie between {first} and {last}.").format(first=YEARS[0], last=YEARS[1]))
        row = _calendar_row(options["calendar"], required=False)
        calendar = calendar_or_error(options["calendar"])
        self.stdout.write(f"{row or _('built-in default')} {year}: {_coverage(row, year, calendar)}")
        self.stdout.write(_("Working hours: {hours} ({minutes} minutes a day)").format(
            hours=format_hours(calendar.hours), minutes=calendar.minutes_per_day))
        days = [date(year, 1, 1) + timedelta(n) for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
        names = _day_names(row, year)
        off = [day for day in days if day.weekday() < 5 and not calendar.is_workday(day)]
        worked = [day for day in days if day.weekday() >= 5 and calendar.is_workday(day)]
        for title, listed in ((_("Days off on weekdays (休):"), off), (_("Make-up workdays (调休, 班):"), worked)):
            self.stdout.write(title)
            for day in listed:
                self.stdout.write(f"  {day} {WEEKDAYS_ABBR[day.weekday()]} {names.get(day, '')}".rstrip())
        self.stdout.write(_("{count} workdays in {year}.").format(
            count=sum(map(calendar.is_workday, days)), year=year))


def _calendar_row(name: str | None, required: bool = True) -> WorkCalendar | None:
    rows = WorkCalendar.objects.filter(name=name) if name else WorkCalendar.objects.filter(is_default=True)
    row = rows.first()
    if row is None and (name or required):
        message = _("No working calendar is named “{name}”.") if name else _("There is no default working calendar.")
        raise CommandError(message.format(name=name))
    return row


def _coverage(row: WorkCalendar | None, year: int, calendar) -> str:
    if year in calendars.package_days().years:
        return _("covered by the chinesecalendar package")
    layers = [layer for layer in (row, WorkCalendar.objects.filter(is_default=True).first()) if layer]
    imported = ImportedYear.objects.filter(calendar__in=layers, year=year).first()
    if imported:
        return _("covered: official schedule imported from “{source}” on {at:%Y-%m-%d}").format(
            source=imported.source, at=imported.imported_at)
    warning = calendar.year_warning(year)
    return _("NOT COVERED") + " — " + _(warning.message).format(**warning.params)


def _day_names(row: WorkCalendar | None, year: int) -> dict[date, str]:
    """What each special day is: the holiday's name from the package, or the note of a corrected day."""
    package = calendars.package_days()
    names = {day: _holiday_name(name) for day, name in (*package.holidays.items(), *package.workdays.items())
             if day.year == year}
    layers = [layer.pk for layer in (WorkCalendar.objects.filter(is_default=True).first(), row) if layer]
    corrected, marker = CalendarDay.objects.filter(calendar_id__in=layers, day__year=year), _("corrected")
    for day in corrected.order_by("-calendar__is_default"):  # the calendar's own days last: they win
        names[day.day] = f"{day.note or names.get(day.day, '')} [{marker}]".strip()
    return names


def _holiday_name(english: str) -> str:
    try:  # the package's own Chinese names: data, not messages to translate
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english
