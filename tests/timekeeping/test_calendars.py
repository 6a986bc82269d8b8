"""calendar_for and step_limit: the package's days, corrections, imported years, organisations, the cache."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from tests.factories import OrganisationFactory
from tests.timekeeping.conftest import at
from urbangrid.core import deadlines
from urbangrid.core.deadlines import TimeLimit
from urbangrid.core.limits import LimitUnit
from urbangrid.timekeeping.calendars import calendar_for, calendar_named, step_limit
from urbangrid.timekeeping.models import CalendarDay, ImportedYear, StepLimit, WorkCalendar

pytestmark = pytest.mark.django_db
TWO_DAYS = TimeLimit(2, LimitUnit.WORK_DAYS)


def due(start: str, organisation=None, limit=TWO_DAYS):
    return deadlines.deadline(at(start), limit, calendar_for(organisation))


def test_the_default_calendar_has_the_packages_holidays_and_makeup_days():
    calendar = calendar_for()
    assert calendar.hours == ((time(8), time(12)), (time(14), time(18)))
    assert calendar.minutes_per_day == 480
    assert not calendar.is_workday(date(2026, 2, 17))  # 春节
    assert calendar.is_workday(date(2026, 2, 14))  # 调休 Saturday
    assert {2004, 2026} <= calendar.covered_years and 2027 not in calendar.covered_years


def test_it_is_cached_until_the_data_changes(default_calendar):
    first = calendar_for()
    assert calendar_for() is first
    CalendarDay.objects.create(calendar=default_calendar, day=date(2026, 10, 8), kind="holiday")
    second = calendar_for()
    assert second is not first and not second.is_workday(date(2026, 10, 8))
    CalendarDay.objects.filter(day=date(2026, 10, 8)).delete()
    assert calendar_for().is_workday(date(2026, 10, 8))


def test_a_corrected_day_wins_over_the_package(default_calendar):
    CalendarDay.objects.create(calendar=default_calendar, day=date(2026, 10, 7), kind="workday", note="值班")
    assert due("2026-09-30T17:30").at == at("2026-10-08T17:30")


def test_corrected_days_alone_do_not_cover_a_year(default_calendar):
    CalendarDay.objects.create(calendar=default_calendar, day=date(2027, 2, 10), kind="holiday", note="春节")
    result = due("2027-02-09T17:30")
    assert result.at == at("2027-02-12T17:30")  # the corrected day counts …
    assert [str(w) for w in result.warnings] == [  # … but the year is still flagged
        "no public holiday data for 2027: only weekends, fixed-date public holidays and 1 configured day(s) were used"
    ]


def test_an_imported_year_is_covered(default_calendar):
    ImportedYear.objects.create(calendar=default_calendar, year=2027, source="2027.csv")
    assert due("2026-12-31T17:30").warnings == ()
    # Covered means the schedule is complete: no fixed-date guess for 1 January any more.
    assert due("2026-12-31T17:30").at == at("2027-01-04T17:30")


def test_an_organisation_works_by_its_own_calendar_or_its_parents_or_the_default(default_calendar):
    district, other = OrganisationFactory(kind="district_command_centre"), OrganisationFactory()
    unit = OrganisationFactory(parent=district)
    WorkCalendar.objects.create(name="区", hours="09:00-12:00,13:00-17:00", organisation=district)
    assert calendar_for(district).minutes_per_day == 420
    assert calendar_for(unit).minutes_per_day == 420
    assert calendar_for(other).minutes_per_day == 480
    assert calendar_for(None) is calendar_for(other)


def test_an_organisation_calendar_keeps_the_default_days_and_its_own_win(default_calendar):
    district = OrganisationFactory(kind="district_command_centre")
    own = WorkCalendar.objects.create(name="区", organisation=district)
    CalendarDay.objects.create(calendar=default_calendar, day=date(2027, 2, 10), kind="holiday")
    CalendarDay.objects.create(calendar=default_calendar, day=date(2027, 2, 11), kind="holiday")
    CalendarDay.objects.create(calendar=own, day=date(2027, 2, 11), kind="workday")
    ImportedYear.objects.create(calendar=default_calendar, year=2027)
    calendar = calendar_for(district)
    assert (calendar.is_workday(date(2027, 2, 10)), calendar.is_workday(date(2027, 2, 11))) == (False, True)
    assert 2027 in calendar.covered_years


def test_calendars_are_found_by_name(default_calendar):
    assert calendar_named("默认") is calendar_for()


def test_step_limits_are_minutes_on_the_working_clock():
    limit = step_limit("accept")
    assert (limit.unit, limit.minutes(calendar_for())) == (LimitUnit.WORK_HOURS, 15)
    assert [step_limit(step).minutes(calendar_for()) for step in ("verify", "open", "dispatch", "check", "close")] \
        == [30, 15, 15, 30, 15]
    # 15 working minutes from 11:50 end after the lunch break.
    assert deadlines.deadline(at("2026-03-02T11:50"), limit, calendar_for()).at == at("2026-03-02T14:05")


def test_an_edited_step_limit_applies_at_once():
    StepLimit.objects.filter(step="check").update(value=120, unit="urgent_hours")
    StepLimit.objects.get(step="check").save()  # update() sends no signal; a save in the admin does
    limit = step_limit("check")
    assert (limit.unit, limit.minutes(calendar_for())) == (LimitUnit.URGENT_HOURS, 120)


def test_a_missing_step_limit_falls_back_to_the_seeded_value():
    StepLimit.objects.get(step="verify").delete()
    assert step_limit("verify").minutes(calendar_for()) == 30
    with pytest.raises(ValueError):
        step_limit("handle")


def test_without_a_default_calendar_the_built_in_hours_apply(default_calendar):
    default_calendar.delete()
    assert calendar_for().minutes_per_day == 480
    assert not calendar_for().is_workday(date(2026, 10, 1))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("08:00-12:00,11:00-18:00", "must be in order and must not overlap"),
        ("12:00-08:00", "ends before it starts"),
        ("8-12", "is not a period like 08:00-12:00"),
        ("08:00-25:00", "is not a time of day"),
        ("", "This field cannot be blank."),
    ],
)
def test_working_hours_are_validated(hours, message):
    calendar = WorkCalendar(name="x", hours=hours)
    with pytest.raises(ValidationError) as raised:
        calendar.full_clean()
    assert message in raised.value.message_dict["hours"][0]


def test_working_hours_accept_chinese_punctuation():
    calendar = WorkCalendar.objects.create(name="y", hours="08:30-12:00，14:30~17:30")
    calendar.full_clean()
    assert calendar_named("y").minutes_per_day == 210 + 180


def test_there_is_one_default_calendar_and_it_belongs_to_no_organisation(default_calendar):
    with pytest.raises(ValidationError, match="already the default"):
        WorkCalendar(name="第二", is_default=True).full_clean()
    default_calendar.organisation = OrganisationFactory()
    with pytest.raises(ValidationError, match="belongs to the whole city"):
        default_calendar.full_clean()
