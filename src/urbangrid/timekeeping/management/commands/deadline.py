"""`urbangrid deadline START VALUE UNIT [--calendar NAME]`: work a time limit out by hand, as JSON.

    urbangrid deadline 2026-09-30T17:30 2 工作日
    {"deadline": "2026-10-09T17:30:00+08:00", "warnings": []}

A START without a zone is local time of the city (TIME_ZONE, Asia/Shanghai by default).
"""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid import commandbase
from urbangrid.core import deadlines
from urbangrid.core.limits import LimitUnit
from urbangrid.timekeeping import calendars

U = LimitUnit
UNIT_WORDS = {
    "紧急工作时": U.URGENT_HOURS, "工作时": U.WORK_HOURS, "工作日": U.WORK_DAYS, "自然日": U.CALENDAR_DAYS,
    "紧急工作日": U.CALENDAR_DAYS,  # STANDARDS.md §4.3: 紧急工作日 are natural days
    **{str(unit): unit for unit in LimitUnit},
}


def parse_unit(text: str) -> LimitUnit:
    unit = UNIT_WORDS.get(text.strip().lower())
    if unit is None:
        message = _("Unknown unit “{unit}”; use one of {units}.")
        raise CommandError(message.format(unit=text, units=", ".join(UNIT_WORDS)))
    return unit


def parse_value(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise CommandError(_("The limit must be a number, zero or more, such as 2 or 0.5; got “{value}”.").format(
            value=text))
    return value


def parse_start(text: str, tz) -> datetime:
    try:
        start = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(_("“{start}” is not a date and time like 2026-09-30T17:30.").format(start=text)) from None
    return start.replace(tzinfo=tz) if start.tzinfo is None else start


class Command(commandbase.Command):
    help = gettext_lazy("Print the deadline of a time limit counted from START, and the calendar's warnings, as JSON.")

    def add_arguments(self, parser):
        parser.add_argument("start", help=_("ISO date and time; local time if it has no zone"))
        parser.add_argument("value", help=_("the limit, e.g. 2 or 0.5"))
        parser.add_argument("unit", help=_(
            "紧急工作时, 工作时, 工作日, 自然日 (or urgent_hours, work_hours, work_days, calendar_days)"))
        parser.add_argument("--calendar", help=_("a calendar's name; default: the default calendar"))

    def handle(self, *args, start, value, unit, calendar, **options):
        work_calendar = calendar_or_error(calendar)
        limit = deadlines.TimeLimit(parse_value(value), parse_unit(unit))
        try:
            result = deadlines.deadline(parse_start(start, work_calendar.tz), limit, work_calendar)
        except ValueError as error:  # a start outside the years the working clock can count in
            raise CommandError(str(error)) from error
        warnings = [_(warning.message).format(**warning.params) for warning in result.warnings]
        self.stdout.write(json.dumps({"deadline": result.at.isoformat(), "warnings": warnings}, ensure_ascii=False))


def calendar_or_error(name: str | None):
    if name is None:
        return calendars.calendar_for(None)
    try:
        return calendars.calendar_named(name)
    except calendars.UnknownCalendar:
        raise CommandError(_("No working calendar is named “{name}”.").format(name=name)) from None
