"""The working calendar of an organisation (a core.workcalendar.WorkCalendar) and the limits of the steps.

A calendar's days come in three layers, later ones winning:
1. the chinesecalendar package: public holidays (weekend days inside a run included) and 调休 workdays, for
   the years it knows;
2. the default calendar's CalendarDay rows;
3. an organisation calendar's own CalendarDay rows (so a national schedule loaded once, into the default
   calendar, serves every organisation; an organisation only adds its hours and local exceptions).
A year counts as covered if the package knows it, or if its complete official schedule was imported into the
calendar or the default calendar (ImportedYear). Any other year is never counted as an ordinary year in
silence: core.workcalendar warns for it and uses only weekends, fixed-date holidays and the corrected days.

An organisation works by its own calendar, else by its nearest parent's, else by the default calendar.
Everything is cached per process and rebuilt when the data version "calendars" moves: signals.py bumps it
on every save and delete, the CSV import once. Checking the version costs one small query per call, which
keeps web workers and commands in step without messaging.
"""

import functools
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import chinese_calendar
from django.utils import timezone

from urbangrid.core import workcalendar
from urbangrid.core.deadlines import TimeLimit
from urbangrid.core.limits import LimitUnit
from urbangrid.grid.versions import current
from urbangrid.timekeeping.hours import DEFAULT_HOURS, parse_hours
from urbangrid.timekeeping.labels import Step
from urbangrid.timekeeping.models import CalendarDay, ImportedYear, StepLimit, WorkCalendar

DATA_VERSION = "calendars"
# Used while a step has no StepLimit row (the seed migration adds them; see its sources).
DEFAULT_STEP_MINUTES = {
    Step.ACCEPT: 15, Step.VERIFY: 30, Step.OPEN: 15, Step.DISPATCH: 15, Step.CHECK: 30, Step.CLOSE: 15,
}
MAX_PARENTS = 10  # a parent chain longer than this is a cycle, not an organisation chart


class UnknownCalendar(LookupError):
    pass


class PackageDays(NamedTuple):
    holidays: dict  # date → chinese_calendar.Holiday value (English name)
    workdays: dict
    years: frozenset[int]


class _Row(NamedTuple):
    id: int
    name: str
    hours: str
    is_default: bool
    organisation_id: int | None


@dataclass
class _Snapshot:
    version: int
    rows: dict[int, _Row]
    limits: dict[str, tuple[int, str]]
    built: dict[int | None, workcalendar.WorkCalendar] = field(default_factory=dict)

    @functools.cached_property
    def default_id(self) -> int | None:
        return next((row.id for row in self.rows.values() if row.is_default), None)

    @functools.cached_property
    def by_organisation(self) -> dict[int, int]:
        return {row.organisation_id: row.id for row in self.rows.values() if row.organisation_id is not None}


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


@functools.cache
def package_days() -> PackageDays:
    """The package's data: it changes only with an upgrade, so it is read once per process."""
    holidays, workdays = dict(chinese_calendar.holidays), dict(chinese_calendar.workdays)
    return PackageDays(holidays, workdays, frozenset(day.year for day in holidays))


def calendar_for(organisation=None) -> workcalendar.WorkCalendar:
    """The calendar `organisation` works by (its own, a parent's, else the default); None: the default."""
    snapshot = _current()
    return _built(snapshot, _calendar_id(snapshot, organisation))


def calendar_named(name: str) -> workcalendar.WorkCalendar:
    snapshot = _current()
    found = next((row.id for row in snapshot.rows.values() if row.name == name), None)
    if found is None:
        raise UnknownCalendar(name)
    return _built(snapshot, found)


def step_limit(step: Step | str) -> TimeLimit:
    """The limit of one of the centres' steps (受理, 核实, 立案, 派遣, 核查, 结案); ValueError for an unknown step."""
    step = Step(step)
    minutes, unit = _current().limits.get(step, (DEFAULT_STEP_MINUTES[step], LimitUnit.WORK_HOURS))
    # Hours with a fractional part: core.deadlines counts them back to the same whole minutes.
    return TimeLimit(Decimal(minutes) / 60, LimitUnit(unit))


def clear_cache() -> None:
    """Forget every built calendar. Tests need this: a rolled-back transaction rolls the version back too."""
    global _snapshot
    with _lock:
        _snapshot = None


def _current() -> _Snapshot:
    global _snapshot
    # Read the version before the data: a change committed in between then only causes one more rebuild.
    version = current(DATA_VERSION)
    snapshot = _snapshot
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = _load(version)
        return _snapshot


def _load(version: int) -> _Snapshot:
    rows = WorkCalendar.objects.values_list("id", "name", "hours", "is_default", "organisation_id")
    limits = StepLimit.objects.values_list("step", "value", "unit")
    return _Snapshot(
        version, {row[0]: _Row(*row) for row in rows}, {step: (value, unit) for step, value, unit in limits}
    )


def _calendar_id(snapshot: _Snapshot, organisation) -> int | None:
    for _depth in range(MAX_PARENTS):
        if organisation is None:
            break
        if organisation.pk in snapshot.by_organisation:
            return snapshot.by_organisation[organisation.pk]
        organisation = organisation.parent
    return snapshot.default_id


def _built(snapshot: _Snapshot, calendar_id: int | None) -> workcalendar.WorkCalendar:
    calendar = snapshot.built.get(calendar_id)
    if calendar is None:
        with _lock:
            calendar = snapshot.built.get(calendar_id) or _build(snapshot, calendar_id)
            snapshot.built[calendar_id] = calendar
    return calendar


def _build(snapshot: _Snapshot, calendar_id: int | None) -> workcalendar.WorkCalendar:
    layers = [i for i in dict.fromkeys((snapshot.default_id, calendar_id)) if i is not None]
    overrides = {}
    for layer in layers:  # the default's days first, so the calendar's own days win
        days = CalendarDay.objects.filter(calendar_id=layer).values_list("day", "kind")
        overrides.update((day, kind == "workday") for day, kind in days)
    imported = ImportedYear.objects.filter(calendar_id__in=layers).values_list("year", flat=True)
    package = package_days()
    row = snapshot.rows.get(calendar_id)
    return workcalendar.WorkCalendar(
        holidays=package.holidays, workdays=package.workdays,
        hours=parse_hours(row.hours if row else DEFAULT_HOURS),
        covered_years=package.years | set(imported), overrides=overrides, tz=timezone.get_default_timezone(),
    )
