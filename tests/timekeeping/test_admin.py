"""Calendars, days, imported years and step limits in the admin."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory
from urbangrid.timekeeping import checks
from urbangrid.timekeeping.models import CalendarDay, ImportedYear, StepLimit, WorkCalendar

pytestmark = pytest.mark.django_db
MODELS = ["workcalendar", "calendarday", "importedyear", "steplimit"]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_the_pages_load(admin_client, default_calendar, model, page):
    CalendarDay.objects.create(calendar=default_calendar, day="2027-02-11", kind="holiday", note="春节")
    ImportedYear.objects.create(calendar=default_calendar, year=2028)
    assert admin_client.get(reverse(f"admin:timekeeping_{model}_{page}")).status_code == 200


def test_the_calendar_page_says_what_the_next_12_months_lack(admin_client, default_calendar, monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: date(2026, 11, 29))
    url = reverse("admin:timekeeping_workcalendar_change", args=[default_calendar.pk])
    assert "缺少 2027 年：请导入官方放假安排或逐日添加" in admin_client.get(url).content.decode()
    ImportedYear.objects.create(calendar=default_calendar, year=2027)
    assert "未来 12 个月的节假日数据" in admin_client.get(url).content.decode()
    assert "缺少 2027" not in admin_client.get(url).content.decode()


def test_the_day_list_filters_by_calendar_and_kind(admin_client, default_calendar):
    CalendarDay.objects.create(calendar=default_calendar, day="2027-02-11", kind="holiday")
    CalendarDay.objects.create(calendar=default_calendar, day="2027-02-20", kind="workday")
    url = reverse("admin:timekeeping_calendarday_changelist")
    response = admin_client.get(url, {"kind__exact": "workday", "calendar__id__exact": default_calendar.pk})
    assert [str(day.day) for day in response.context["cl"].result_list] == ["2027-02-20"]


def test_bad_hours_are_refused_on_their_field(admin_client, default_calendar):
    url = reverse("admin:timekeeping_workcalendar_add")
    response = admin_client.post(url, {"name": "夏令", "hours": "08:00-12:00,11:30-17:00", **empty_inline()})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["hours"]
    assert errors["hours"] == ["时段必须按顺序且不能重叠：11:30-17:00 在 12:00 之前开始"]
    assert not WorkCalendar.objects.filter(name="夏令").exists()


def test_a_calendar_is_added_with_its_organisation(admin_client, default_calendar):
    org = OrganisationFactory()
    url = reverse("admin:timekeeping_workcalendar_add")
    data = {"name": "夏令", "hours": "08:00-12:00,15:00-18:00", "organisation": org.pk, **empty_inline()}
    assert admin_client.post(url, data).status_code == 302
    assert WorkCalendar.objects.get(name="夏令").organisation == org


def test_step_limits_are_edited_in_the_list(admin_client):
    limit = StepLimit.objects.get(step="accept")
    url = reverse("admin:timekeeping_steplimit_change", args=[limit.pk])
    response = admin_client.post(url, {"step": "accept", "value": "10", "unit": "work_hours", "note": "热线"})
    assert response.status_code == 302
    assert StepLimit.objects.get(step="accept").value == 10


def empty_inline() -> dict:
    return {"imported_years-TOTAL_FORMS": "0", "imported_years-INITIAL_FORMS": "0"}
