import os
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from chinese_calendar import constants

from urbangrid.core.deadlines import (
    Deadline,
    Light,
    Pause,
    TimeLimit,
    deadline,
    elapsed,
    light,
    reference_deadline,
)
from urbangrid.core.limits import LimitUnit
from urbangrid.core.workcalendar import SHANGHAI, WorkCalendar

# The full 100,000 cases take a couple of minutes (bench/bench_deadlines.py runs them); set this to run them here.
REFERENCE_CASES = int(os.environ.get("URBANGRID_REFERENCE_CASES", "3000"))
URGENT, HOURS, DAYS, NATURAL = (
    LimitUnit.URGENT_HOURS,
    LimitUnit.WORK_HOURS,
    LimitUnit.WORK_DAYS,
    LimitUnit.CALENDAR_DAYS,
)
CHINA = WorkCalendar(holidays=constants.holidays, workdays=constants.workdays)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def due(start, value, unit, calendar=CHINA, **options) -> datetime:
    return deadline(start, TimeLimit(value, unit), calendar, **options).at


@pytest.mark.parametrize(
    ("start", "value", "unit", "expected"),
    [
        # Spring Festival 2026: 15–23 Feb off, Saturday 14 Feb worked (调休)
        (at(2026, 2, 13, 16, 0), 2, DAYS, at(2026, 2, 24, 16, 0)),
        (at(2026, 2, 13, 17, 0), 4, HOURS, at(2026, 2, 14, 11, 0)),
        (at(2026, 2, 14, 17, 30), 1, DAYS, at(2026, 2, 24, 17, 30)),
        (at(2026, 2, 16, 10, 0), 1, HOURS, at(2026, 2, 24, 9, 0)),
        # the second 调休 Saturday, 28 Feb 2026
        (at(2026, 2, 27, 17, 30), 1, DAYS, at(2026, 2, 28, 17, 30)),
        (at(2026, 2, 27, 17, 30), 2, DAYS, at(2026, 3, 2, 17, 30)),
        # National Day 2026: 1–7 Oct off, Saturday 10 Oct worked
        (at(2026, 9, 30, 10, 0), 2, DAYS, at(2026, 10, 9, 10, 0)),
        (at(2026, 9, 30, 10, 0), 3, DAYS, at(2026, 10, 10, 10, 0)),
        # an ordinary week: 2 工作日 from 17:30 end at 17:30 two working days later
        (at(2026, 3, 5, 17, 30), 2, DAYS, at(2026, 3, 9, 17, 30)),
        (at(2026, 3, 5, 17, 30), Decimal("0.5"), DAYS, at(2026, 3, 6, 11, 30)),
        # a limit that runs out at the end of a period ends then
        (at(2026, 3, 2, 8, 0), 4, HOURS, at(2026, 3, 2, 12, 0)),
        (at(2026, 3, 2, 14, 0), 4, HOURS, at(2026, 3, 2, 18, 0)),
        (at(2026, 3, 2, 12, 30), 1, HOURS, at(2026, 3, 2, 15, 0)),
        (at(2026, 3, 2, 11, 0), 1, HOURS, at(2026, 3, 2, 12, 0)),
        (at(2026, 3, 2, 19, 0), 30 / 60, HOURS, at(2026, 3, 3, 8, 30)),
        # 紧急工作时 and 自然日 run through nights and holidays
        (at(2026, 2, 13, 17, 30), 2, URGENT, at(2026, 2, 13, 19, 30)),
        (at(2026, 2, 14, 22, 0), 24, URGENT, at(2026, 2, 15, 22, 0)),
        (at(2026, 2, 15, 10, 0), 3, NATURAL, at(2026, 2, 18, 10, 0)),
        (at(2026, 3, 2, 9, 0), 0, HOURS, at(2026, 3, 2, 9, 0)),
    ],
)
def test_deadlines_on_the_chinese_calendar(start, value, unit, expected):
    result = deadline(start, TimeLimit(value, unit), CHINA)
    assert result == Deadline(expected, ())
    assert result == reference_deadline(start, TimeLimit(value, unit), CHINA)


def test_a_case_opened_on_new_years_eve_2026_runs_into_an_uncovered_year():
    start, limit = at(2026, 12, 31, 17, 30), TimeLimit(2, DAYS)
    result = deadline(start, limit, CHINA)
    assert result.at == at(2027, 1, 5, 17, 30)  # 1 Jan is 元旦 even without data; 2–3 Jan a weekend
    assert [(w.params["year"], w.params["overrides"]) for w in result.warnings] == [(2027, 0)]
    assert result == reference_deadline(start, limit, CHINA)


def test_overrides_for_an_uncovered_year_are_used():
    calendar = WorkCalendar(constants.holidays, constants.workdays, overrides={date(2027, 1, 2): True})
    result = deadline(at(2026, 12, 31, 17, 30), TimeLimit(2, DAYS), calendar)
    assert result.at == at(2027, 1, 4, 17, 30)
    assert [(w.params["year"], w.params["overrides"]) for w in result.warnings] == [(2027, 1)]


def test_only_the_years_the_clock_ran_in_are_warned_about():
    start, limit = at(2026, 12, 30, 9, 0), TimeLimit(2, DAYS)
    whole_2027 = Pause(at(2026, 12, 30, 10, 0), at(2028, 1, 3, 10, 0))
    result = deadline(start, limit, CHINA, [whole_2027])
    assert result.at == at(2028, 1, 5, 9, 0)
    assert [w.params["year"] for w in result.warnings] == [2028]
    assert result == reference_deadline(start, limit, CHINA, [whole_2027])


def test_clock_units_never_warn_about_holidays():
    assert deadline(at(2026, 12, 31, 17, 30), TimeLimit(48, URGENT), CHINA).warnings == ()


def test_seconds_are_dropped_and_the_zone_of_the_start_does_not_matter():
    local = at(2026, 3, 2, 9, 15, 59, 999999)
    utc = datetime(2026, 3, 2, 1, 15, 30, tzinfo=UTC)
    assert due(local, 1, HOURS) == due(utc, 1, HOURS) == at(2026, 3, 2, 10, 15)
    assert due(utc, 1, URGENT) == at(2026, 3, 2, 10, 15)
    assert due(utc, 1, URGENT).tzinfo is SHANGHAI


def test_the_working_day_follows_the_organisations_hours():
    short = WorkCalendar(constants.holidays, constants.workdays, hours=((time(9), time(15)),))
    assert short.minutes_per_day == 360
    assert due(at(2026, 3, 2, 14, 0), 1, DAYS, short) == at(2026, 3, 3, 14, 0)


def test_a_suspension_stops_the_clock_until_it_is_restored():
    start = at(2026, 3, 2, 9, 0)
    pause = Pause(at(2026, 3, 2, 10, 0), at(2026, 3, 4, 10, 0))
    assert due(start, 4, HOURS, pauses=[pause]) == at(2026, 3, 4, 15, 0)
    assert due(start, 4, URGENT, pauses=[pause]) == at(2026, 3, 4, 13, 0)
    assert due(start, 4, HOURS, pauses=[Pause(at(2026, 3, 1, 10, 0), at(2026, 3, 2, 8, 0))]) == at(2026, 3, 2, 15, 0)


def test_a_suspension_still_running_leaves_the_deadline_unknown():
    start = at(2026, 3, 2, 9, 0)
    assert deadline(start, TimeLimit(4, HOURS), CHINA, pauses=[Pause(at(2026, 3, 2, 10, 0))]) == Deadline(None, ())
    assert due(start, 4, HOURS, pauses=[Pause(at(2026, 3, 3, 10, 0))]) == at(2026, 3, 2, 15, 0)


def test_overlapping_suspensions_count_once():
    start = at(2026, 3, 2, 8, 0)
    pauses = [Pause(at(2026, 3, 2, 9, 0), at(2026, 3, 2, 11, 0)), Pause(at(2026, 3, 2, 10, 0), at(2026, 3, 2, 15, 0))]
    assert due(start, 2, HOURS, pauses=pauses) == at(2026, 3, 2, 16, 0)


def test_a_suspension_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end"):
        due(at(2026, 3, 2), 1, HOURS, pauses=[Pause(at(2026, 3, 3), at(2026, 3, 2))])


def test_extensions_continue_the_clock_each_in_its_own_unit():
    start = at(2026, 3, 2, 9, 0)
    assert due(start, 4, HOURS, extensions=[TimeLimit(1, DAYS)]) == at(2026, 3, 3, 15, 0)
    assert due(start, 4, HOURS, extensions=[TimeLimit(24, URGENT)]) == at(2026, 3, 3, 15, 0)
    assert due(start, 1, URGENT, extensions=[TimeLimit(1, HOURS), TimeLimit(1, HOURS)]) == at(2026, 3, 2, 12, 0)


def test_a_time_limit_is_never_negative():
    with pytest.raises(ValueError):
        TimeLimit(-1, HOURS)
    with pytest.raises(ValueError):
        TimeLimit(float("nan"), HOURS)
    assert TimeLimit(Decimal("1.5"), "work_days").minutes(CHINA) == 720
    assert TimeLimit(2, "urgent_hours").unit is URGENT


def test_elapsed_leaves_out_nights_holidays_and_suspensions():
    start, end = at(2026, 2, 13, 17, 0), at(2026, 2, 24, 9, 0)
    assert elapsed(start, end, CHINA, HOURS) == 60 + 480 + 60
    assert elapsed(start, end, CHINA, URGENT) == (end - start) // timedelta(minutes=1)
    assert elapsed(start, end, CHINA, HOURS, [Pause(at(2026, 2, 14, 8, 0), at(2026, 2, 14, 12, 0))]) == 360
    assert elapsed(end, start, CHINA, HOURS) == 0


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 3, 2, 8, 0), Light.GREEN),
        (at(2026, 3, 2, 14, 59), Light.GREEN),  # 239 of 300 minutes
        (at(2026, 3, 2, 15, 0), Light.YELLOW),  # 240 of 300: 80 %
        (at(2026, 3, 2, 16, 0), Light.YELLOW),  # exactly at the deadline
        (at(2026, 3, 2, 16, 0, 1), Light.RED),
    ],
)
def test_the_light_turns_yellow_at_80_percent_and_red_when_overdue(now, expected):
    start = at(2026, 3, 2, 9, 0)
    assert light(start, due(start, 5, HOURS), now, CHINA, HOURS) is expected


def test_the_light_does_not_count_a_suspension():
    start, pause = at(2026, 3, 2, 8, 0), Pause(at(2026, 3, 2, 9, 0), at(2026, 3, 3, 9, 0))
    end = due(start, 6, HOURS, pauses=[pause])
    assert end == at(2026, 3, 3, 16, 0)  # 60 minutes before the suspension, 300 after it
    assert light(start, end, at(2026, 3, 3, 14, 47), CHINA, HOURS, [pause]) is Light.GREEN  # 287 of 360
    assert light(start, end, at(2026, 3, 3, 14, 48), CHINA, HOURS, [pause]) is Light.YELLOW  # 288 of 360


def test_it_equals_the_minute_by_minute_reference_on_random_cases():
    calendar = WorkCalendar(constants.holidays, constants.workdays, overrides={date(2027, 2, 8): False})
    rng = random.Random(20260215)
    for n in range(REFERENCE_CASES):
        start, limit, pauses, extensions = random_case(rng)
        fast = deadline(start, limit, calendar, pauses, extensions)
        slow = reference_deadline(start, limit, calendar, pauses, extensions)
        assert fast == slow, (n, start, limit, pauses, extensions)


# Starts cluster around the holidays and 调休 days of 2025–2026 and the uncovered New Year of 2027.
HOTSPOTS = [date(2025, 1, 20), date(2025, 9, 24), date(2026, 2, 8), date(2026, 9, 15), date(2026, 12, 24)]
LIMITS = [
    (URGENT, (1, 2, 4, 24, 48)),
    (HOURS, (0.5, 1, 2, 4, 8, 16)),
    (DAYS, (0.5, 1, 2, 3, 5, 10)),
    (NATURAL, (1, 3, 7)),
]


def random_case(rng: random.Random):
    origin = rng.choice(HOTSPOTS) if rng.random() < 0.7 else date(2025, 1, 1) + timedelta(days=rng.randrange(760))
    start = datetime.combine(origin, time(0), SHANGHAI) + timedelta(seconds=rng.randrange(21 * 86400))
    if rng.random() < 0.3:
        start = start.astimezone(UTC)
    pauses = [random_pause(rng, start) for _ in range(rng.choice((0, 0, 0, 1, 2)))]
    extensions = [random_limit(rng) for _ in range(rng.choice((0, 0, 0, 1)))]
    return start, random_limit(rng), pauses, extensions


def random_limit(rng: random.Random) -> TimeLimit:
    unit, values = rng.choice(LIMITS)
    return TimeLimit(rng.choice(values), unit)


def random_pause(rng: random.Random, start: datetime) -> Pause:
    begin = start + timedelta(minutes=rng.randrange(-1440, 6 * 1440))
    return Pause(begin, None if rng.random() < 0.1 else begin + timedelta(minutes=rng.randrange(4 * 1440)))
