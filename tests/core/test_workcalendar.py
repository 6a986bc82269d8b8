from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import pytest
from chinese_calendar import constants

from urbangrid.core.workcalendar import SHANGHAI, WorkCalendar

PACKAGE_YEARS = range(2004, 2027)  # chinesecalendar 1.11 has data up to 2026


def china(**options) -> WorkCalendar:
    """What the loader outside the core does: feed the package's dates in as data."""
    return WorkCalendar(holidays=constants.holidays, workdays=constants.workdays, **options)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_package_covers_the_years_these_tests_rely_on():
    assert {day.year for day in constants.holidays} == set(PACKAGE_YEARS)
    assert china().covered_years == frozenset(PACKAGE_YEARS)


def test_spring_festival_2026_is_off_from_15_to_23_february_with_two_make_up_saturdays():
    calendar = china()
    off = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]
    assert not any(calendar.is_workday(day) or chinese_calendar.is_workday(day) for day in off)
    for saturday in (date(2026, 2, 14), date(2026, 2, 28)):
        assert saturday.weekday() == 5
        assert calendar.is_workday(saturday) and chinese_calendar.is_workday(saturday)
    assert calendar.is_workday(date(2026, 2, 24))


def test_national_day_2026_is_off_from_1_to_7_october_with_two_make_up_days():
    calendar = china()
    assert not any(calendar.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert calendar.is_workday(date(2026, 9, 20)) and calendar.is_workday(date(2026, 10, 10))
    assert calendar.is_workday(date(2026, 10, 8))


def test_every_covered_day_agrees_with_the_package():
    calendar = china()
    day = date(2004, 1, 1)
    while day.year < 2027:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_an_override_wins_over_the_data():
    calendar = china(overrides={date(2026, 2, 16): True, date(2026, 2, 24): False})
    assert calendar.is_workday(date(2026, 2, 16)) and not calendar.is_workday(date(2026, 2, 24))


def test_an_uncovered_year_keeps_weekends_fixed_date_holidays_and_overrides():
    calendar = china(overrides={date(2027, 2, 8): False, date(2027, 2, 20): True})
    assert not calendar.is_workday(date(2027, 1, 1))  # 元旦, a Friday
    assert not any(calendar.is_workday(date(2027, 10, d)) for d in (1, 2, 3))
    assert not calendar.is_workday(date(2027, 1, 2))  # a Saturday
    assert calendar.is_workday(date(2027, 1, 4))
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.is_workday(date(2027, 2, 20))


def test_fixed_date_holidays_do_not_overrule_covered_data():
    calendar = WorkCalendar(workdays=[date(2026, 10, 3)], covered_years=[2026])
    assert calendar.is_workday(date(2026, 10, 3))
    assert calendar.is_workday(date(2026, 10, 1))  # the data, which is empty here, is trusted


def test_it_warns_about_each_uncovered_year_and_names_the_overrides_used():
    calendar = china(overrides={date(2027, 1, 2): True})
    assert calendar.warnings(date(2026, 1, 1), date(2026, 12, 31)) == ()
    (warning,) = calendar.warnings(date(2026, 12, 31), date(2027, 1, 5))
    assert warning.params == {"year": 2027, "overrides": 1}
    assert str(warning).startswith("no public holiday data for 2027")
    assert [w.params["year"] for w in calendar.warnings(date(2027, 1, 1), date(2029, 1, 1))] == [2027, 2028, 2029]


def test_the_default_working_day_has_480_minutes_in_two_periods():
    calendar = china()
    assert calendar.minutes_per_day == 480
    assert calendar.periods == ((480, 720), (840, 1080))


def test_working_hours_are_configurable_per_organisation():
    summer = china(hours=((time(8), time(12)), (time(15), time(18, 30))))
    assert summer.minutes_per_day == 450
    assert summer.is_working_time(at(2026, 6, 1, 18, 0)) and not summer.is_working_time(at(2026, 6, 1, 14, 30))


@pytest.mark.parametrize(
    "hours",
    [
        (),
        ((time(12), time(8)),),
        ((time(8), time(12)), (time(11), time(13))),
        ((time(14), time(18)), (time(8), time(12))),
    ],
)
def test_it_refuses_working_hours_that_do_not_make_sense(hours):
    with pytest.raises(ValueError, match="working hours"):
        WorkCalendar(hours=hours)


def test_working_time_is_local_wall_time_whatever_the_zone_of_the_moment():
    calendar = china()
    assert calendar.is_working_time(datetime(2026, 3, 2, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai
    assert not calendar.is_working_time(at(2026, 3, 2, 12, 0))
    assert calendar.is_working_time(at(2026, 3, 2, 11, 59))


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        china().work_offset(datetime(2026, 3, 2, 9))
    with pytest.raises(ValueError, match="naive"):
        china().add_working_minutes(datetime(2026, 3, 2, 9), 60)


def test_working_offsets_count_the_working_minutes_between_two_moments():
    calendar = china()
    friday, monday = at(2026, 2, 13, 17, 0), at(2026, 2, 24, 9, 0)  # across 调休 Saturday and Spring Festival
    assert calendar.work_offset(monday) - calendar.work_offset(friday) == 60 + 480 + 60
    assert calendar.work_offset(at(2026, 2, 13, 12, 59, 59)) == calendar.work_offset(at(2026, 2, 13, 12, 0))


def test_at_work_offset_is_the_earliest_moment_the_clock_reads_it():
    calendar = china()
    noon = calendar.work_offset(at(2026, 3, 2, 12, 0))
    assert calendar.at_work_offset(noon) == at(2026, 3, 2, 12, 0)
    assert calendar.at_work_offset(noon + 1) == at(2026, 3, 2, 14, 1)


def test_the_tables_widen_on_demand_without_moving_offsets():
    calendar = china()
    before = calendar.work_offset(at(2026, 3, 2, 9))
    assert calendar.add_working_minutes(at(2040, 1, 2, 9), 60)[0] == at(2040, 1, 2, 10)
    assert calendar.add_working_minutes(at(1999, 1, 4, 9), 60)[0] == at(1999, 1, 4, 10)
    assert calendar.work_offset(at(2026, 3, 2, 9)) == before
    far = calendar.add_working_minutes(at(2026, 3, 2, 9), 480 * 2000)[0]
    assert calendar.work_offset(far) - calendar.work_offset(at(2026, 3, 2, 9)) == 480 * 2000
    assert far == at(2033, 12, 20, 9)


def test_an_empty_calendar_builds_its_tables_at_first_use():
    calendar = WorkCalendar()
    assert calendar.covered_years == frozenset()
    end, warnings = calendar.add_working_minutes(at(2031, 4, 30, 17, 0), 120)  # a Wednesday
    assert end == at(2031, 5, 5, 9, 0)  # 1 and 2 May (劳动节) and the weekend are off, even without data
    assert [w.params["year"] for w in warnings] == [2031]


def test_it_refuses_years_far_outside_any_use():
    with pytest.raises(ValueError, match="outside the years"):
        china().work_offset(at(2300, 1, 1))
