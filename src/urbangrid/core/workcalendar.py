"""The working clock of an organisation: which days are workdays and which minutes of them count.

A day is a workday when, first rule that applies:
1. an override for that date says so (an administrator's correction, or a year typed in by hand);
2. it is a make-up workday (调休上班), usually a Saturday or Sunday;
3. it is a public holiday (法定节假日), weekend days inside a holiday run included;
4. in a year the holiday data does not cover: it is a fixed-date public holiday (元旦, 劳动节, 国庆节);
5. otherwise it is a workday from Monday to Friday.

Holiday and make-up dates come in as plain data: the chinesecalendar package is read by a loader outside
the core. A year the data does not cover is never treated as an ordinary year in silence: `warnings()` names
it, and only rules 1, 4 and 5 apply to it (the lunar holidays, 春节 清明 端午 中秋, need overrides).

Time counts in whole minutes of local wall time; seconds are dropped. Working offsets are the working
minutes since a fixed anchor day, so two offsets subtract to the working minutes between two moments. They
come from per-day tables (cumulative minutes, the n-th workday, local midnight) built for a span of years and
widened on demand, so a lookup is a few list indexings instead of a walk over days.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from urbangrid.core.codes import gettext_noop

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_HOURS = ((time(8), time(12)), (time(14), time(18)))
# 全国年节及纪念日放假办法 (2024): the public holidays whose Gregorian dates never move.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
DAY = 1440
MINUTE = timedelta(minutes=1)
YEAR_RANGE = (1950, 2200)
ANCHOR = date(2000, 1, 1)  # working offset 0


@dataclass(frozen=True)
class CalendarWarning:
    message: str  # English msgid with {placeholders}, as core.codes.CodeError
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message.format(**self.params)


class _Tables(NamedTuple):
    lo: int  # ordinal of day 0
    days: list[list[int]]  # per day: working minutes before each minute of the day (1441 entries)
    cum: list[int]  # working offset at the start of each day, len(days) + 1 entries
    nth: list[int]  # day index of the k-th workday
    midnight: list[datetime]  # each local midnight, aware
    epoch: list[int]  # each local midnight in minutes since 1970-01-01 UTC
    uncovered: list[int]  # uncovered days before each day, len(days) + 1 entries


class WorkCalendar:
    def __init__(
        self,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS,
        covered_years: Iterable[int] | None = None,
        overrides: Mapping[date, bool] | None = None,
        fixed_holidays: tuple[tuple[int, int], ...] = FIXED_HOLIDAYS,
        tz: ZoneInfo = SHANGHAI,
    ):
        """`covered_years` defaults to the years the holiday dates fall in; `overrides` maps a date to
        True (workday) or False (day off) and wins over everything else."""
        self.holidays, self.workdays = frozenset(holidays), frozenset(workdays)
        self.overrides = dict(overrides or {})
        years = {day.year for day in self.holidays} if covered_years is None else covered_years
        self.covered_years = frozenset(years)
        self.hours, self.fixed_holidays, self.tz = tuple(hours), frozenset(fixed_holidays), tz
        self.periods = _periods(self.hours)
        self.minutes_per_day = sum(end - start for start, end in self.periods)
        self._within = _within_table(self.periods)
        self._idle = [0] * (DAY + 1)
        self._minutes = [timedelta(minutes=minute) for minute in range(DAY)]
        # Adding a ready-made timedelta to a ready-made midnight is ~10× faster than building a datetime.
        self._ends = [timedelta(minutes=minute) for minute in _end_minutes(self.periods)]
        self._t = _Tables(0, [], [0], [], [], [], [0])  # empty: the first lookup builds around its date
        known = self.covered_years | {day.year for day in (*self.holidays, *self.workdays, *self.overrides)}
        if known:
            self._build(min(known) - 1, max(known) + 2)

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year not in self.covered_years and (day.month, day.day) in self.fixed_holidays:
            return False
        return day.weekday() < 5

    def is_working_time(self, moment: datetime) -> bool:
        local = _aware(moment).astimezone(self.tz)
        minute = local.hour * 60 + local.minute
        return self.is_workday(local.date()) and any(start <= minute < end for start, end in self.periods)

    def uncovered_years(self, first: date, last: date) -> list[int]:
        return [year for year in range(first.year, last.year + 1) if year not in self.covered_years]

    def warnings(self, first: date, last: date) -> tuple[CalendarWarning, ...]:
        """One warning per year from `first` to `last` that the holiday data does not cover."""
        return tuple(self.year_warning(year) for year in self.uncovered_years(first, last))

    def year_warning(self, year: int) -> CalendarWarning:
        overrides = sum(day.year == year for day in self.overrides)
        message = gettext_noop(
            "no public holiday data for {year}: only weekends, fixed-date public holidays "
            "and {overrides} configured day(s) were used"
        )
        return CalendarWarning(message, {"year": year, "overrides": overrides})

    # The working clock. Offsets are working minutes since 2000-01-01 (ANCHOR).

    def work_offset(self, moment: datetime) -> int:
        t, i, minute = self._locate(moment)
        return t.cum[i] + t.days[i][minute]

    def at_work_offset(self, offset: int) -> datetime:
        """The earliest moment at which the working clock reads `offset`."""
        t, k, r = self._workday_of(offset)
        return t.midnight[t.nth[k]] + self._ends[r]

    def clock_offset(self, moment: datetime) -> int:
        """Minutes since 1970-01-01 UTC: the clock of 紧急工作时 and 自然日, nights and holidays included."""
        t, i, minute = self._locate(moment)
        return t.epoch[i] + minute

    def at_clock_offset(self, offset: int) -> datetime:
        return datetime.fromtimestamp(offset * 60, self.tz)

    def clock(self, working: bool) -> tuple[Callable[[datetime], int], Callable[[int], datetime]]:
        """(offset, at_offset) of the working clock, or of the plain clock."""
        if working:
            return self.work_offset, self.at_work_offset
        return self.clock_offset, self.at_clock_offset

    def add_working_minutes(self, start: datetime, minutes: int) -> tuple[datetime, tuple[CalendarWarning, ...]]:
        """The moment `minutes` working minutes after `start`, and the warnings for uncovered years.

        The hot path of every deadline, hence inlined rather than built from work_offset/at_work_offset.
        """
        if start.tzinfo is None:
            raise ValueError(f"naive datetime {start}: working time needs an aware datetime")
        local, t = start.astimezone(self.tz), self._t
        i, minute = local.toordinal() - t.lo, local.hour * 60 + local.minute
        if not 0 <= i < len(t.days):
            t, i, minute = self._locate(start)
        if minutes <= 0:
            return t.midnight[i] + self._minutes[minute], ()
        offset = t.cum[i] + t.days[i][minute] + minutes
        k, r = divmod(offset - t.cum[0] - 1, self.minutes_per_day)
        if not 0 <= k < len(t.nth):
            t, k, r = self._workday_of(offset)
        day = t.nth[k]
        end = t.midnight[day] + self._ends[r]
        if t.uncovered[day + 1] == t.uncovered[i]:
            return end, ()
        return end, self.warnings(date.fromordinal(t.lo + i), end.date())

    def add_clock_minutes(self, start: datetime, minutes: int) -> datetime:
        t, i, minute = self._locate(start)
        return datetime.fromtimestamp((t.epoch[i] + minute + minutes) * 60, self.tz)

    def _locate(self, moment: datetime) -> tuple[_Tables, int, int]:
        local = _aware(moment).astimezone(self.tz)
        t = self._t
        if not 0 <= local.toordinal() - t.lo < len(t.days):
            t = self._widen(local.year, local.year)
        return t, local.toordinal() - t.lo, local.hour * 60 + local.minute

    def _workday_of(self, offset: int) -> tuple[_Tables, int, int]:
        t = self._t
        k, r = divmod(offset - t.cum[0] - 1, self.minutes_per_day)
        while not 0 <= k < len(t.nth):
            first, last = date.fromordinal(t.lo).year, date.fromordinal(t.lo + len(t.days) - 1).year
            years = 1 + abs(k - len(t.nth) if k >= 0 else k) // 200  # a year has over 200 workdays
            t = self._widen(first - years, last) if k < 0 else self._widen(first, last + years)
            k, r = divmod(offset - t.cum[0] - 1, self.minutes_per_day)
        return t, k, r

    def _widen(self, first_year: int, last_year: int) -> _Tables:
        if self._t.days:
            first_year = min(first_year, date.fromordinal(self._t.lo).year)
            last_year = max(last_year, date.fromordinal(self._t.lo + len(self._t.days) - 1).year)
        if not YEAR_RANGE[0] <= first_year <= last_year <= YEAR_RANGE[1]:
            raise ValueError(f"working time outside the years {YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
        return self._build(first_year - 1, last_year + 1)

    def _build(self, first_year: int, last_year: int) -> _Tables:
        # Tables always span the anchor, so offsets from any two builds (another thread's, say) agree.
        lo = date(min(first_year, ANCHOR.year), 1, 1).toordinal()
        hi = date(max(last_year, ANCHOR.year), 12, 31).toordinal()
        days = [date.fromordinal(n) for n in range(lo, hi + 1)]
        work = [self.is_workday(day) for day in days]
        cum = _running_sum([self.minutes_per_day if w else 0 for w in work])
        base = cum[ANCHOR.toordinal() - lo]
        # Assigned once, as one object: a reader on another thread sees the old tables or the new ones.
        self._t = _Tables(
            lo=lo,
            days=[self._within if w else self._idle for w in work],
            cum=[c - base for c in cum],
            nth=[i for i, w in enumerate(work) if w],
            midnight=[datetime.combine(day, time(0), self.tz) for day in days],
            epoch=[self._epoch(day) for day in days],
            uncovered=_running_sum([day.year not in self.covered_years for day in days]),
        )
        return self._t

    def _epoch(self, day: date) -> int:
        # The offset at noon: a daylight-saving change happens at night, before any working hour.
        offset = datetime.combine(day, time(12), self.tz).utcoffset()
        return (datetime.combine(day, time(0)) - offset - datetime(1970, 1, 1)) // MINUTE


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment}: working time needs an aware datetime")
    return moment


def _periods(hours: Iterable[tuple[time, time]]) -> tuple[tuple[int, int], ...]:
    periods = tuple((start.hour * 60 + start.minute, end.hour * 60 + end.minute) for start, end in hours)
    if not periods:
        raise ValueError("working hours need at least one period")
    for (start, end), following in zip(periods, (*periods[1:], (DAY, DAY)), strict=True):
        if not start < end <= following[0]:
            raise ValueError(f"working hours must be ordered, non-overlapping periods, got {hours}")
    return periods


def _within_table(periods: tuple[tuple[int, int], ...]) -> list[int]:
    return [sum(min(max(minute - start, 0), end - start) for start, end in periods) for minute in range(DAY + 1)]


def _end_minutes(periods: tuple[tuple[int, int], ...]) -> list[int]:
    """For r = 0, 1, …: the minute of the day at which r + 1 working minutes have passed."""
    return [minute + 1 for start, end in periods for minute in range(start, end)]


def _running_sum(values: list[int]) -> list[int]:
    sums = [0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums
