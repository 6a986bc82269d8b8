"""System check: the default calendar must know the public holidays of the coming twelve months.

Without them a deadline across an uncovered 春节 or 国庆 would come out days early; core.workcalendar
already warns per deadline, but an administrator should hear of it before the first such case. The check
reads the database, so it is a database check (run by `migrate` and `check --database default`, as
Django asks of checks that query) and stays silent where the tables do not exist yet.
"""

from datetime import date, timedelta

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from urbangrid.timekeeping import calendars
from urbangrid.timekeeping.models import WorkCalendar

AHEAD = timedelta(days=365)


def today() -> date:
    return timezone.localdate()


def check_default_calendar_coverage(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    try:
        calendar = calendars.calendar_for(None)
        row = WorkCalendar.objects.filter(is_default=True).first()
    except DatabaseError:
        return []
    first = today()
    years = calendar.uncovered_years(first, first + AHEAD)
    if not years:
        return []
    return [
        checks.Warning(
            _("The default working calendar has no public holiday data for {years}.").format(
                years=", ".join(map(str, years))
            ),
            hint=_(
                "Deadlines in those years count only weekends, fixed-date holidays and corrected days. Load "
                "the official schedule with `urbangrid calendar import FILE.csv`, or upgrade chinesecalendar."
            ),
            obj=row or "timekeeping.WorkCalendar",
            id="urbangrid.W001",
        )
    ]
