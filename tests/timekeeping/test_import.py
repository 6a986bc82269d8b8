"""`urbangrid calendar import FILE.csv`: all rows or none, every error with its line."""

from datetime import date

import pytest
from django.utils import translation

from tests.timekeeping.conftest import fail, run, write_csv
from urbangrid.timekeeping.calendars import calendar_for
from urbangrid.timekeeping.models import CalendarDay, ImportedYear, WorkCalendar

pytestmark = pytest.mark.django_db

# An official-looking schedule for 2027 (the package does not know 2027 yet): 春节 6–12 February, two 调休.
SCHEDULE_2027 = [
    *[(f"2027-02-{day:02d}", "休", "春节") for day in range(6, 13)],
    ("2027-02-13", "班", "春节调休"),
    ("2027-02-20", "workday", "春节调休"),
    ("2027-01-01", "holiday", "元旦"),
]


def snapshot():
    return sorted(CalendarDay.objects.values_list("calendar__name", "day", "kind", "note")), sorted(
        ImportedYear.objects.values_list("calendar__name", "year")
    )


def test_it_imports_a_years_schedule_and_covers_the_year(tmp_path, default_calendar):
    out, _err = run("calendar", "import", str(write_csv(tmp_path / "2027.csv", SCHEDULE_2027)))
    assert "默认: 10 days added, 0 changed." in out
    assert "Recorded as fully imported: 2027." in out
    calendar = calendar_for()
    assert 2027 in calendar.covered_years
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.is_workday(date(2027, 2, 13))
    assert ImportedYear.objects.get(year=2027).source == "2027.csv"


def test_a_partial_import_corrects_days_without_covering_the_year(tmp_path, default_calendar):
    run("calendar", "import", str(write_csv(tmp_path / "fix.csv", SCHEDULE_2027[:2])), "--partial")
    assert CalendarDay.objects.count() == 2 and not ImportedYear.objects.exists()
    assert 2027 not in calendar_for().covered_years


def test_it_replaces_the_entry_of_the_same_day(tmp_path, default_calendar):
    CalendarDay.objects.create(calendar=default_calendar, day=date(2027, 2, 13), kind="holiday", note="旧")
    out, _err = run("calendar", "import", str(write_csv(tmp_path / "2027.csv", SCHEDULE_2027)))
    assert "9 days added, 1 changed" in out
    assert CalendarDay.objects.get(day=date(2027, 2, 13)).kind == "workday"


def test_it_imports_into_a_named_calendar_and_reads_chinese_headers_and_gbk(tmp_path, default_calendar):
    WorkCalendar.objects.create(name="二七区")
    path = write_csv(tmp_path / "gbk.csv", [("2027/2/6", "放假", "春节")], header=("日期", "类型", "备注"),
                     encoding="gb18030")
    run("calendar", "import", str(path), "--calendar", "二七区")
    assert list(CalendarDay.objects.values_list("calendar__name", "day", "kind", "note")) == [
        ("二七区", date(2027, 2, 6), "holiday", "春节")
    ]


def test_errors_write_nothing_and_name_their_lines(tmp_path, default_calendar):
    CalendarDay.objects.create(calendar=default_calendar, day=date(2026, 5, 6), kind="holiday")
    before = snapshot()
    rows = [
        ("2027-02-06", "休", "春节"),  # line 2: fine, but must not be written
        ("2027-02-30", "休", "春节"),  # line 3: no such date
        ("2027-02-07", "rest", ""),  # line 4: unknown kind
        ("2027-02-06", "班", ""),  # line 5: same day as line 2
        ("next friday", "", ""),  # line 6: two problems
    ]
    error, err = fail("calendar", "import", str(write_csv(tmp_path / "bad.csv", rows)))
    assert error == "5 problems; nothing was imported."
    assert err.splitlines()[:3] == [
        "line 3: “2027-02-30” is not a date like 2027-02-06.",
        "line 4: “rest” is not a kind of day; use one of holiday, workday, 休, 班.",
        "line 5: 2027-02-06 is already on line 2.",
    ]
    assert [line[:7] for line in err.splitlines()[3:]] == ["line 6:", "line 6:"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "day,kind\n2027-02-06,休\n",
            "line 1: The first line must name the columns date, kind and note; missing: date.",
        ),
        ("date,kind,note\n", "The file has no rows."),
    ],
)
def test_it_refuses_a_file_without_the_columns_or_rows(tmp_path, default_calendar, content, message):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    error, err = fail("calendar", "import", str(path))
    assert (error, err.strip()) == ("1 problem; nothing was imported.", message)


def test_a_missing_file_or_calendar_is_a_clear_error(tmp_path, default_calendar):
    assert fail("calendar", "import", str(tmp_path / "none.csv"))[0].startswith("Cannot read")
    path = str(write_csv(tmp_path / "a.csv", SCHEDULE_2027))
    assert fail("calendar", "import", path, "--calendar", "无")[0] == "No working calendar is named “无”."


def test_a_long_file_loads_with_a_progress_bar(tmp_path, default_calendar, capsys):
    days = [date(2030, 1, 1).toordinal() + n for n in range(1200)]
    rows = [(date.fromordinal(day).isoformat(), "班", "") for day in days]
    out, _err = run("calendar", "import", str(write_csv(tmp_path / "long.csv", rows)), "--partial")
    assert "1200 days added" in out
    assert "rows" in capsys.readouterr().err  # tqdm writes to the process's stderr


def test_chinese_operators_read_chinese_errors(tmp_path, default_calendar):
    with translation.override("zh-hans"):
        error, err = fail("calendar", "import", str(write_csv(tmp_path / "bad.csv", [("2027-02-30", "休", "")])))
    assert error == "发现 1 个问题，未导入任何数据。"
    assert err.strip() == "第 2 行：“2027-02-30” 不是形如 2027-02-06 的日期。"
