"""Handling deadlines (处置时限) on a working calendar, and the traffic light of an open case.

Units (STANDARDS.md §4.3):
- 紧急工作时 (URGENT_HOURS): clock hours; nights, weekends and holidays count.
- 工作时 (WORK_HOURS): hours of the working clock, e.g. 08:00–12:00 and 14:00–18:00.
- 工作日 (WORK_DAYS): N × the calendar's working minutes per day, on the working clock, so 2 工作日 from
  17:30 end at 17:30 two working days later, not at the close of business.
- 自然日 (CALENDAR_DAYS): N × 24 clock hours.

Edge cases, all counted in whole minutes (seconds of the start are dropped):
- a start outside working hours counts from the next working minute; a limit that runs out exactly at the
  end of a period ends then (12:00, 18:00), not at the start of the next one;
- while the case is suspended (挂账/缓办) the clock stops, for every unit; a suspension still running
  (end None) leaves the deadline unknown (None);
- approved extensions (延期) continue the clock from the previous deadline, each in its own unit;
- a year without holiday data gives warnings, never an error (see core.workcalendar).

`reference_deadline` steps minute by minute, the slow and obvious way; tests hold `deadline` to it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from urbangrid.core.limits import LimitUnit
from urbangrid.core.workcalendar import DAY, MINUTE, CalendarWarning, WorkCalendar

WORKING_UNITS = frozenset({LimitUnit.WORK_HOURS, LimitUnit.WORK_DAYS})
MINUTES_PER = {LimitUnit.URGENT_HOURS: 60, LimitUnit.WORK_HOURS: 60, LimitUnit.CALENDAR_DAYS: DAY}
YELLOW_FROM = (4, 5)  # yellow once 80 % of the limit is used


@dataclass(frozen=True, slots=True)
class TimeLimit:
    value: int | float | Decimal
    unit: LimitUnit
    working: bool = field(init=False, repr=False, compare=False)  # on the working clock
    _per_day: bool = field(init=False, repr=False, compare=False)  # 工作日: × the calendar's minutes per day
    _amount: float = field(init=False, repr=False, compare=False)  # minutes, or working days

    def __post_init__(self):
        if not self.value >= 0:
            raise ValueError(f"a time limit must be zero or more, got {self.value}")
        unit = LimitUnit(self.unit)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "working", unit in WORKING_UNITS)
        object.__setattr__(self, "_per_day", unit is LimitUnit.WORK_DAYS)
        object.__setattr__(self, "_amount", float(self.value) * MINUTES_PER.get(unit, 1))

    def minutes(self, calendar: WorkCalendar) -> int:
        if self._per_day:
            return round(self._amount * calendar.minutes_per_day)
        return round(self._amount)


class Pause(NamedTuple):
    start: datetime
    end: datetime | None = None  # None: still suspended


class Deadline(NamedTuple):
    at: datetime | None  # None while an open-ended pause holds the clock
    warnings: tuple[CalendarWarning, ...] = ()


class Light(StrEnum):
    GREEN = "green"  # less than 80 % of the limit used
    YELLOW = "yellow"  # 80–100 %
    RED = "red"  # overdue


def deadline(
    start: datetime,
    limit: TimeLimit,
    calendar: WorkCalendar,
    pauses: Iterable[Pause] = (),
    extensions: Sequence[TimeLimit] = (),
) -> Deadline:
    if pauses or extensions:
        return _deadline(start, (limit, *extensions), calendar, _merge(pauses))
    # tuple.__new__ skips the NamedTuple's Python-level __new__: 0.1 µs of a 2 µs budget.
    if limit.working:
        return tuple.__new__(Deadline, calendar.add_working_minutes(start, limit.minutes(calendar)))
    return tuple.__new__(Deadline, (calendar.add_clock_minutes(start, limit.minutes(calendar)), ()))


def elapsed(
    start: datetime,
    end: datetime,
    calendar: WorkCalendar,
    unit: LimitUnit = LimitUnit.WORK_HOURS,
    pauses: Iterable[Pause] = (),
) -> int:
    """Minutes of the unit's clock from start to end, suspensions left out."""
    if end <= start:
        return 0
    offset = calendar.clock(unit in WORKING_UNITS)[0]
    total = offset(end) - offset(start)
    for pause_start, pause_end in _merge(pauses):
        low, high = max(pause_start, start), min(pause_end or end, end)
        total -= max(offset(high) - offset(low), 0)
    return total


def light(
    start: datetime,
    due: datetime,
    now: datetime,
    calendar: WorkCalendar,
    unit: LimitUnit = LimitUnit.WORK_HOURS,
    pauses: Iterable[Pause] = (),
) -> Light:
    if now > due:
        return Light.RED
    pauses = tuple(pauses)
    used = elapsed(start, now, calendar, unit, pauses)
    total = elapsed(start, due, calendar, unit, pauses)
    return Light.GREEN if used * YELLOW_FROM[1] < total * YELLOW_FROM[0] else Light.YELLOW


def _deadline(start, limits, calendar, pauses) -> Deadline:
    at, years = start, set()
    for working, minutes in _segments(limits, calendar):
        end, running = _run(calendar, working, at, minutes, pauses)
        if working:
            years.update(year for span in running for year in _uncovered(calendar, *span))
        if end is None:
            return Deadline(None, _warnings(calendar, years))
        at = end
    if at is start:  # every limit was zero: the start, floored to the minute and in the city's zone
        at = calendar.at_clock_offset(calendar.clock_offset(start))
    return Deadline(at, _warnings(calendar, years))


def _segments(limits: Sequence[TimeLimit], calendar: WorkCalendar) -> list[tuple[bool, int]]:
    """Consecutive limits on the same clock add up; a change of clock starts a new segment."""
    segments: list[tuple[bool, int]] = []
    for limit in limits:
        if segments and segments[-1][0] == limit.working:
            segments[-1] = (limit.working, segments[-1][1] + limit.minutes(calendar))
        else:
            segments.append((limit.working, limit.minutes(calendar)))
    return segments


def _run(calendar: WorkCalendar, working: bool, start: datetime, minutes: int, pauses) -> tuple:
    """The deadline, or None if an open-ended pause stops the clock first; and the spans it ran."""
    if not minutes:
        return start, []
    offset, at = calendar.clock(working)
    target, resumed, running = offset(start) + minutes, start, []
    for pause_start, pause_end in pauses:
        if pause_end is not None and pause_end <= start:
            continue
        stopped_at = offset(max(pause_start, start))
        if stopped_at >= target:
            break
        running.append((resumed, max(pause_start, start)))
        if pause_end is None:
            return None, running
        target += offset(pause_end) - stopped_at
        resumed = pause_end
    end = at(target)
    return end, [*running, (resumed, end)]


def _merge(pauses: Iterable[Pause]) -> list[tuple[datetime, datetime | None]]:
    """Pauses sorted, overlaps joined; an open-ended pause swallows what follows.

    Not floored to the minute: the offsets they are turned into are, and pauses that only touch once
    floored cannot count a minute twice."""
    merged: list[tuple[datetime, datetime | None]] = []
    for begin, end in sorted(pauses, key=_first):
        if end is not None and end < begin:
            raise ValueError(f"a pause cannot end ({end}) before it starts ({begin})")
        if merged and (merged[-1][1] is None or begin <= merged[-1][1]):
            last = merged[-1][1]
            merged[-1] = (merged[-1][0], None if last is None or end is None else max(last, end))
        elif end != begin:
            merged.append((begin, end))
    return merged


def _first(span: tuple) -> datetime:
    return span[0]


def _uncovered(calendar: WorkCalendar, begin: datetime, end: datetime) -> list[int]:
    """Uncovered years of the days whose minutes ran from begin to end (exclusive)."""
    first, last = calendar.clock_offset(begin), calendar.clock_offset(end) - 1
    if first > last:
        return []
    return calendar.uncovered_years(calendar.at_clock_offset(first).date(), calendar.at_clock_offset(last).date())


def _warnings(calendar: WorkCalendar, years: set[int]) -> tuple[CalendarWarning, ...]:
    return tuple(calendar.year_warning(year) for year in sorted(years))


def reference_deadline(
    start: datetime,
    limit: TimeLimit,
    calendar: WorkCalendar,
    pauses: Iterable[Pause] = (),
    extensions: Sequence[TimeLimit] = (),
) -> Deadline:
    """Step through local wall time a minute at a time, counting the minutes that count. Slow on purpose."""
    tz = calendar.tz
    now = _wall(start, tz)  # minutes since 0001-01-01 00:00, local wall time
    stops = [(_wall(p.start, tz), _wall(p.end, tz) if p.end else None) for p in pauses]
    forever = min((a for a, b in stops if b is None), default=None)
    stops = [(a, b) for a, b in stops if b is not None]
    in_hours = [any(a <= m < b for a, b in calendar.periods) for m in range(DAY)]
    day = date.fromordinal(now // DAY)
    workday, uncovered, years = calendar.is_workday(day), day.year not in calendar.covered_years, set()
    for limit_ in (limit, *extensions):
        working, remaining = limit_.working, limit_.minutes(calendar)
        while remaining:
            if forever is not None and now >= forever:
                return Deadline(None, _warnings(calendar, years))
            counts = not working or (workday and in_hours[now % DAY])
            noted = working and uncovered  # the years whose holidays mattered get a warning
            if (counts or noted) and not (stops and any(a <= now < b for a, b in stops)):
                if noted:
                    years.add(day.year)
                if counts:
                    remaining -= 1
            now += 1
            if now % DAY == 0:
                day = date.fromordinal(now // DAY)
                workday, uncovered = calendar.is_workday(day), day.year not in calendar.covered_years
    at = datetime.combine(date.fromordinal(now // DAY), time(0), tz) + now % DAY * MINUTE
    return Deadline(at, _warnings(calendar, years))


def _wall(moment: datetime, tz) -> int:
    local = moment.astimezone(tz)
    return local.toordinal() * DAY + local.hour * 60 + local.minute
