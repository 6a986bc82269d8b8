"""Calendars for the tests: the seeded default calendar 默认, commands run in English, a clean cache."""

import csv
import io
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from urbangrid.core.workcalendar import SHANGHAI
from urbangrid.timekeeping import calendars
from urbangrid.timekeeping.models import WorkCalendar

LOCAL = SHANGHAI


@pytest.fixture(autouse=True)
def fresh_calendars():
    # A rolled-back test transaction also rolls back the data version the calendar cache is keyed on.
    calendars.clear_cache()
    yield
    calendars.clear_cache()


@pytest.fixture(autouse=True)
def english():
    # Assertions read the English msgids; the Chinese catalogue is tested on its own.
    with translation.override("en"):
        yield


@pytest.fixture
def default_calendar(db) -> WorkCalendar:
    return WorkCalendar.objects.get(is_default=True)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[str, str]:
    """Run a command that must fail: its error and what it wrote to stderr before."""
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


def write_csv(path, rows, header=("date", "kind", "note"), encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path
