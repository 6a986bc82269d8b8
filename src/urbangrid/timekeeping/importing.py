"""Loading a holiday schedule from CSV into a calendar: columns date, kind, note (日期, 类型, 备注 also do).

- kind: holiday / off / 休 / 假 / 放假 for a day off; workday / work / 班 / 上班 / 补班 for a worked day (调休).
- date: 2027-02-06, 2027/2/6 or 20270206.
- Every row is checked first; with any error nothing is written, and each error names its line.
- Rows replace the calendar's existing entry for the same day; other days are left as they are.
- Unless the import is partial, every year with at least one day off in the file is recorded as imported
  (ImportedYear): the file is that year's complete official schedule, so the year counts as covered. Make-up
  workdays alone never mark a year, because a notice may end with a worked day early in the next year.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.grid.versions import bump
from urbangrid.timekeeping.calendars import DATA_VERSION
from urbangrid.timekeeping.labels import HOLIDAY, WORKDAY
from urbangrid.timekeeping.models import YEARS, CalendarDay, ImportedYear, WorkCalendar

KIND_WORDS = {
    **dict.fromkeys(("holiday", "off", "休", "假", "休息", "放假", "节假日"), HOLIDAY),
    **dict.fromkeys(("workday", "work", "班", "上班", "补班", "调休上班", "工作日"), WORKDAY),
}
HEADERS = {"date": "date", "日期": "date", "kind": "kind", "类型": "kind", "note": "note", "备注": "note"}
NOTE_LENGTH = CalendarDay._meta.get_field("note").max_length
PROGRESS_FROM = 1000  # rows; shorter files load before a bar would be seen
_DATE = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")


@dataclass(frozen=True)
class RowError:
    line: int  # as an editor counts: the header is line 1; 0 for the file as a whole
    message: str  # translated

    def __str__(self) -> str:
        return _("line {line}: {message}").format(line=self.line, message=self.message) if self.line else self.message


@dataclass(frozen=True)
class Row:
    line: int
    day: date
    kind: str
    note: str


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    years: list[int] = field(default_factory=list)  # recorded as imported
    errors: list[RowError] = field(default_factory=list)


def import_schedule(
    path: str | Path, calendar: WorkCalendar, *, partial: bool = False, progress: bool | None = None
) -> Report:
    """Check the file, then write all of it in one transaction, or nothing (see the report's errors)."""
    rows, errors = read_schedule(path, progress)
    if errors:
        return Report(errors=errors)
    if not rows:
        return Report(errors=[RowError(0, _("The file has no rows."))])
    return _write(rows, calendar, partial, Path(path).name)


def read_schedule(path: str | Path, progress: bool | None = None) -> tuple[list[Row], list[RowError]]:
    lines = _lines(Path(path))
    if lines is None:
        return [], [RowError(0, _("The file is not text in UTF-8 or GBK: save it from Excel as CSV (UTF-8)."))]
    reader = csv.reader(lines)
    columns = [HEADERS.get(name.strip().lower()) for name in next(reader, [])]
    missing = [name for name in ("date", "kind") if name not in columns]
    if missing:
        message = _("The first line must name the columns date, kind and note; missing: {columns}.")
        return [], [RowError(1, message.format(columns=", ".join(missing)))]
    rows, errors, seen = [], [], {}
    show = len(lines) > PROGRESS_FROM if progress is None else progress
    for line, values in enumerate(tqdm(reader, total=len(lines) - 1, disable=not show, unit=" rows"), start=2):
        if not any(value.strip() for value in values):
            continue
        row, problems = _row(line, dict(zip(columns, values, strict=False)), seen)
        errors.extend(RowError(line, problem) for problem in problems)
        if row:
            rows.append(row)
            seen[row.day] = line
    return rows, errors


def _lines(path: Path) -> list[str] | None:
    """The file's lines, or None when it is neither UTF-8 nor GBK text (a spreadsheet, UTF-16, binary)."""
    data = path.read_bytes()
    if b"\x00" in data:  # UTF-16 and binary files; GBK and UTF-8 text never hold NUL
        return None
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030: what Excel on a Chinese Windows saves as CSV
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    return None


def _row(line: int, values: dict, seen: dict) -> tuple[Row | None, list[str]]:
    raw_day, raw_kind = ((values.get(name) or "").strip() for name in ("date", "kind"))
    note = (values.get("note") or "").strip()
    problems = []
    day = _day(raw_day)
    if day is None:
        problems.append(_("“{value}” is not a date like 2027-02-06.").format(value=raw_day))
    elif day in seen:
        problems.append(_("{day} is already on line {line}.").format(day=day, line=seen[day]))
    kind = KIND_WORDS.get(raw_kind.lower())
    if kind is None:
        words = "holiday, workday, 休, 班"
        problems.append(_("“{value}” is not a kind of day; use one of {words}.").format(value=raw_kind, words=words))
    if len(note) > NOTE_LENGTH:
        problems.append(_("The note is longer than {n} characters.").format(n=NOTE_LENGTH))
    return (None if problems else Row(line, day, kind, note)), problems


def _day(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return day if YEARS[0] <= day.year <= YEARS[1] else None


@transaction.atomic
def _write(rows: list[Row], calendar: WorkCalendar, partial: bool, source: str) -> Report:
    existing = {day.day: day for day in CalendarDay.objects.filter(calendar=calendar, day__in=[r.day for r in rows])}
    new, changed = [], []
    for row in rows:
        day = existing.get(row.day)
        if day is None:
            new.append(CalendarDay(calendar=calendar, day=row.day, kind=row.kind, note=row.note))
        elif (day.kind, day.note) != (row.kind, row.note):
            day.kind, day.note = row.kind, row.note
            changed.append(day)
    CalendarDay.objects.bulk_create(new)
    CalendarDay.objects.bulk_update(changed, ["kind", "note"])
    years = [] if partial else sorted({row.day.year for row in rows if row.kind == HOLIDAY})
    for year in years:
        ImportedYear.objects.update_or_create(calendar=calendar, year=year, defaults={"source": source[:200]})
    bump(DATA_VERSION)  # bulk writes send no signals
    return Report(created=len(new), updated=len(changed), years=years)

