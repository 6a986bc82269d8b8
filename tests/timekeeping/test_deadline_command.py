"""`urbangrid deadline START VALUE UNIT [--calendar NAME]`: the examples an operator would try by hand."""

import json

import pytest
from django.core.management import CommandError
from django.utils import translation

from tests.timekeeping.conftest import run
from urbangrid.timekeeping.models import CalendarDay, WorkCalendar

pytestmark = pytest.mark.django_db


def deadline(*args: str) -> dict:
    out, _err = run("deadline", *args)
    return json.loads(out)


@pytest.mark.parametrize(
    ("start", "value", "unit", "expected"),
    [
        # National Day 2026: 1–7 October off; 30 min on the 30th, 480 on the 8th, 450 on the 9th.
        ("2026-09-30T17:30", "2", "工作日", "2026-10-09T17:30:00+08:00"),
        ("2026-09-30T17:30", "1", "工作时", "2026-10-08T08:30:00+08:00"),
        # Spring Festival 2026: 15–23 February off, Saturday the 14th worked (调休).
        ("2026-02-14T17:00", "1", "工作日", "2026-02-24T17:00:00+08:00"),
        # A 调休 Saturday counts: Friday 13th 17:00–18:00, then Saturday 14th from 08:00.
        ("2026-02-13T17:00", "1", "工作日", "2026-02-14T17:00:00+08:00"),
        ("2026-10-09T17:00", "2", "work_hours", "2026-10-10T09:00:00+08:00"),
        # The continuous clocks ignore holidays.
        ("2026-10-01T10:00", "2", "紧急工作时", "2026-10-01T12:00:00+08:00"),
        ("2026-10-01T10:00", "1", "自然日", "2026-10-02T10:00:00+08:00"),
        ("2026-10-01T10:00", "0.5", "calendar_days", "2026-10-01T22:00:00+08:00"),
        # A start with a zone is converted: 09:30 UTC is 17:30 in Zhengzhou.
        ("2026-09-30T09:30:00+00:00", "2", "工作日", "2026-10-09T17:30:00+08:00"),
    ],
)
def test_it_counts_on_the_working_calendar(start, value, unit, expected):
    assert deadline(start, value, unit) == {"deadline": expected, "warnings": []}


def test_a_year_the_package_does_not_know_gives_a_warning_not_a_crash():
    result = deadline("2026-12-31T17:30", "2", "工作日")
    # 1 January is a fixed-date holiday even without the year's schedule; 2–3 January are a weekend.
    assert result["deadline"] == "2027-01-05T17:30:00+08:00"
    assert result["warnings"] == [
        "no public holiday data for 2027: only weekends, fixed-date public holidays and 0 configured day(s) were used"
    ]


def test_the_warnings_are_translated():
    with translation.override("zh-hans"):
        result = deadline("2026-12-31T17:30", "2", "工作日")
    assert result["warnings"] == ["没有 2027 年的法定节假日数据：只按周末、固定日期的法定节假日和 0 个已配置的日期计算"]


def test_it_counts_on_a_named_calendar(db):
    WorkCalendar.objects.create(name="环卫", hours="06:00-11:00,15:00-19:00")
    # A working day of this calendar is 540 minutes: 60 on the 30th, then 300 + 180 on the 8th.
    assert deadline("2026-09-30T18:00", "1", "工作日", "--calendar", "环卫")["deadline"] == "2026-10-08T18:00:00+08:00"


def test_a_corrected_day_moves_the_deadline(default_calendar):
    assert deadline("2026-09-30T17:30", "2", "工作日")["deadline"] == "2026-10-09T17:30:00+08:00"
    CalendarDay.objects.create(calendar=default_calendar, day="2026-10-08", kind="holiday", note="test")
    # The 8th is off now; Friday 9th and the 调休 Saturday 10th carry the limit.
    assert deadline("2026-09-30T17:30", "2", "工作日")["deadline"] == "2026-10-10T17:30:00+08:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-09-30T17:30", "2", "周"), "Unknown unit “周”"),
        (("2026-09-30T17:30", "two", "工作日"), "must be a number"),
        (("2026-09-30T17:30", "-1", "工作日"), "must be a number, zero or more"),
        (("2026-09-30T17:30", "NaN", "工作日"), "must be a number"),
        (("30/09/2026 17:30", "2", "工作日"), "is not a date and time"),
        (("2026-09-30T17:30", "2", "工作日", "--calendar", "无此日历"), "No working calendar is named “无此日历”"),
        (("1900-01-01T08:00", "2", "工作日"), "outside the years"),
    ],
)
def test_it_refuses_bad_input_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        run("deadline", *args)
