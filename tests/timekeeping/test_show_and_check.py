"""`urbangrid calendar show YEAR` and the system check urbangrid.W001."""

from datetime import date

import pytest
from django.core import checks as django_checks

from tests.timekeeping.conftest import fail, run
from urbangrid.timekeeping import checks
from urbangrid.timekeeping.models import CalendarDay, ImportedYear

pytestmark = pytest.mark.django_db


def test_it_shows_a_covered_years_days_off_and_makeup_workdays(default_calendar):
    out, _err = run("calendar", "show", "2026")
    lines = out.splitlines()
    assert lines[0] == "默认 2026: covered by the chinesecalendar package"
    assert lines[1] == "Working hours: 08:00-12:00,14:00-18:00 (480 minutes a day)"
    assert "  2026-10-01 Thu 国庆节" in lines and "  2026-02-17 Tue 春节" in lines
    makeup = lines[lines.index("Make-up workdays (调休, 班):") + 1 : -1]
    assert makeup == [
        "  2026-01-04 Sun 元旦", "  2026-02-14 Sat 春节", "  2026-02-28 Sat 春节", "  2026-05-09 Sat 劳动节",
        "  2026-09-20 Sun 国庆节", "  2026-10-10 Sat 国庆节",
    ]
    assert lines[-1] == "248 workdays in 2026."


def test_it_says_when_a_year_is_not_covered_and_marks_corrected_days(default_calendar):
    CalendarDay.objects.create(calendar=default_calendar, day=date(2027, 2, 11), kind="holiday", note="春节")
    out, _err = run("calendar", "show", "2027")
    assert out.splitlines()[0] == (
        "默认 2027: NOT COVERED — no public holiday data for 2027: only weekends, fixed-date public holidays "
        "and 1 configured day(s) were used"
    )
    assert "  2027-01-01 Fri" in out.splitlines()  # the fixed-date guess
    assert "  2027-02-11 Thu 春节 [corrected]" in out.splitlines()


def test_it_refuses_an_unknown_calendar_or_year(default_calendar):
    assert fail("calendar", "show", "2026", "--calendar", "无")[0] == "No working calendar is named “无”."
    assert fail("calendar", "show", "1800")[0] == "The year must lie between 1950 and 2200."


def test_the_check_warns_when_the_next_12_months_lack_holiday_data(default_calendar, monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: date(2026, 11, 29))
    [warning] = checks.check_default_calendar_coverage(databases=["default"])
    assert (warning.id, warning.msg) == (
        "urbangrid.W001", "The default working calendar has no public holiday data for 2027."
    )
    assert "urbangrid calendar import" in warning.hint


def test_the_check_is_quiet_once_the_year_is_imported(default_calendar, monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: date(2026, 11, 29))
    ImportedYear.objects.create(calendar=default_calendar, year=2027)
    assert checks.check_default_calendar_coverage(databases=["default"]) == []


def test_the_check_is_quiet_inside_covered_years_and_without_a_database(monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: date(2025, 1, 1))
    assert checks.check_default_calendar_coverage(databases=["default"]) == []
    monkeypatch.setattr(checks, "today", lambda: date(2026, 11, 29))
    assert checks.check_default_calendar_coverage(databases=None) == []


def test_the_check_is_registered_with_the_database_checks(default_calendar, monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: date(2026, 11, 29))
    found = django_checks.run_checks(databases=["default"], tags=[django_checks.Tags.database])
    assert "urbangrid.W001" in [message.id for message in found]
