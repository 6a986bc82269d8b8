"""Every sign-in, permission change and reference-data change is logged with actor, time and source address."""

import datetime as dt
import io
import ipaddress
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client, RequestFactory

from tests.factories import OrganisationFactory, UserFactory, appoint, certified_collector, component_class
from urbangrid.accounts.models import Appointment
from urbangrid.audit.middleware import Origin, current
from urbangrid.audit.models import AuditEntry, ImmutableEntry
from urbangrid.catalog.models import CatalogClass, FilingCondition, LegacyCode
from urbangrid.components.models import Component
from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule
from urbangrid.timekeeping.models import CalendarDay, StepLimit, WorkCalendar

pytestmark = pytest.mark.django_db
PASSWORD = "Right-horse-battery-9"


@contextmanager
def acting(user, ip="192.0.2.7"):
    """What the middleware does for a request of `user` from `ip`."""
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = user
    token = current.set(Origin(request))
    try:
        yield
    finally:
        current.reset(token)


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


# --- sign-in ------------------------------------------------------------------------------------------------


def test_sign_in_and_out_are_logged_with_the_address():
    zhang = UserFactory(username="zhang", password=PASSWORD)
    client = Client()
    assert client.post("/accounts/login/", {"username": "zhang", "password": PASSWORD},
                       REMOTE_ADDR="198.51.100.4").status_code == 302
    client.post("/accounts/logout/", REMOTE_ADDR="198.51.100.4")
    login, logout = entries(kind__in=["login", "logout"])
    assert (login.kind, login.actor_id, login.actor, login.ip) == ("login", zhang.pk, "zhang", "198.51.100.4")
    assert (logout.kind, logout.actor, logout.ip) == ("logout", "zhang", "198.51.100.4")
    assert login.object_type == "accounts.user" and login.object_id == str(zhang.pk)
    assert not entries(kind="permission", object_id=str(zhang.pk), at__gt=login.at)  # last_login is no permission


def test_the_forwarded_address_counts_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/30")]
    UserFactory(username="zhang", password=PASSWORD)
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.2"}
    Client().post("/accounts/login/", {"username": "zhang", "password": "no"}, REMOTE_ADDR="10.0.0.1", **forwarded)
    Client().post("/accounts/login/", {"username": "zhang", "password": "no"}, REMOTE_ADDR="198.51.100.1",
                  **forwarded)
    assert [e.ip for e in entries(kind="login_failed")] == ["203.0.113.9", "198.51.100.1"]


def test_a_failed_sign_in_keeps_the_name_tried_but_never_the_password():
    Client().post("/accounts/login/", {"username": "nobody", "password": "s3cret-guess"}, REMOTE_ADDR="192.0.2.1")
    (entry,) = entries(kind="login_failed")
    assert entry.detail == {"username": "nobody"} and entry.actor == "" and entry.ip == "192.0.2.1"
    assert "s3cret" not in str(entry.detail)


# --- permissions --------------------------------------------------------------------------------------------


def test_posts_given_changed_and_taken_away(small_city):
    admin, zhou = UserFactory(username="admin"), UserFactory(username="zhou")
    department = OrganisationFactory(name="金水区市政局")
    with acting(admin):
        appointment = appoint(zhou, "department_handler", department)
        appointment.active = False
        appointment.save()
        Appointment.objects.get(pk=appointment.pk).delete()
    created, changed, deleted = entries(object_type="accounts.appointment")
    assert {e.kind for e in (created, changed, deleted)} == {"permission"}
    assert {(e.actor, e.ip) for e in (created, changed, deleted)} == {("admin", "192.0.2.7")}
    assert created.detail["op"] == "created" and created.detail["fields"]["post"] == "department_handler"
    assert changed.detail == {"op": "changed", "changes": {"active": [True, False]}}
    assert deleted.detail["op"] == "deleted" and deleted.object_repr.startswith("用户")


def test_user_flags_groups_and_permissions():
    admin, zhou = UserFactory(username="admin"), UserFactory(username="zhou")
    group = Group.objects.create(name="派遣员")
    permission = Permission.objects.get(codename="view_case")
    with acting(admin):
        zhou.is_staff = True
        zhou.save()
        zhou.display_name = "周"  # not a permission: no entry
        zhou.save()
        zhou.groups.add(group)
        zhou.user_permissions.add(permission)
        group.permissions.add(permission)
        zhou.groups.remove(group)
    logged = entries(kind="permission", actor="admin")
    assert [(e.object_type, e.detail) for e in logged] == [
        ("accounts.user", {"op": "changed", "changes": {"is_staff": [False, True]}}),
        ("accounts.user", {"op": "add", "field": "groups", "ids": [group.pk]}),
        ("accounts.user", {"op": "add", "field": "user_permissions", "ids": [permission.pk]}),
        ("auth.group", {"op": "add", "field": "permissions", "ids": [permission.pk]}),
        ("accounts.user", {"op": "remove", "field": "groups", "ids": [group.pk]}),
    ]


def test_a_collectors_grids_and_a_new_password(small_city):
    admin, li = UserFactory(username="admin"), UserFactory(username="li")
    with acting(admin, ip="2001:db8::1"):
        profile = certified_collector(li, dt.date(2030, 1, 1))
        profile.grids.set([small_city["grid1"], small_city["grid2"]])
        li.set_password("Another-long-one-5")
        li.save()
    grids = entries(object_type="accounts.collectorprofile", detail__op="add")[0]
    assert sorted(grids.detail["ids"]) == sorted([small_city["grid1"].pk, small_city["grid2"].pk])
    assert grids.ip == "2001:db8::1"
    (password,) = entries(kind="password")
    assert password.object_id == str(li.pk) and "pbkdf2" not in str(password.detail).lower()


# --- reference data -----------------------------------------------------------------------------------------


def _component(small_city):
    return Component.objects.create(
        identifier="41010501001000009", name="井盖", klass=component_class(),
        competent_department=OrganisationFactory(), grid_code=small_city["grid1"].code,
        initial_date=dt.date(2026, 1, 1), lon=113.66, lat=34.77,
    )


REFERENCE = {  # model → (an instance to edit, a field and a new value)
    "accounts.organisation": (lambda city: OrganisationFactory(), "phone", "12319"),
    "catalog.catalogclass": (lambda city: CatalogClass.objects.filter(kind="matter").first(), "keywords", "井盖"),
    "catalog.filingcondition": (lambda city: FilingCondition.objects.first(), "legal_basis", "条例第5条"),
    "catalog.legacycode": (lambda city: LegacyCode.objects.first() or LegacyCode.objects.create(
        scheme="CJ/T 214-2007", kind="matter", code="01001", name="旧"), "name", "新名称"),
    "dispatch.dispatchrule": (lambda city: DispatchRule.objects.create(name="规则", department=OrganisationFactory()),
                              "note", "夜间"),
    "dispatch.classdispatchsetting": (
        lambda city: ClassDispatchSetting.objects.create(klass=CatalogClass.objects.filter(kind="matter").first()),
        "auto_dispatch", True),
    "timekeeping.workcalendar": (lambda city: WorkCalendar.objects.first(), "note", "2027年"),
    "timekeeping.calendarday": (lambda city: CalendarDay.objects.create(
        calendar=WorkCalendar.objects.first(), day=dt.date(2026, 12, 7), kind="holiday"), "note", "调休"),
    "timekeeping.steplimit": (lambda city: StepLimit.objects.first(), "value", 45),
    "grid.area": (lambda city: city["grid1"], "name", "第一网格"),
    "components.component": (_component, "status", "damaged"),
}


@pytest.mark.parametrize("label", sorted(REFERENCE))
def test_every_kind_of_reference_data_change_is_logged(small_city, label):
    make, field, value = REFERENCE[label]
    admin = UserFactory(username="admin")
    with acting(admin):
        instance = make(small_city)
        before = getattr(instance, field)
        setattr(instance, field, value)
        instance.save()
    changed = entries(object_type=label, detail__op="changed")[-1]
    assert (changed.kind, changed.actor, changed.ip) == ("reference", "admin", "192.0.2.7")
    assert changed.object_id == str(instance.pk) and changed.object_repr == str(instance)[:200]
    assert list(changed.detail["changes"]) == [instance._meta.get_field(field).attname]
    old, new = changed.detail["changes"][instance._meta.get_field(field).attname]
    assert new == value and old == before and old != new


def test_an_edit_in_the_admin_is_logged_with_the_administrator_and_address():
    UserFactory(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client = Client()
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR="198.51.100.77")
    day = CalendarDay.objects.create(calendar=WorkCalendar.objects.first(), day=dt.date(2026, 12, 7), kind="holiday")
    response = client.post(f"/admin/timekeeping/calendarday/{day.pk}/delete/", {"post": "yes"},
                           REMOTE_ADDR="198.51.100.77")
    assert response.status_code == 302
    (deleted,) = entries(object_type="timekeeping.calendarday", detail__op="deleted")
    assert (deleted.actor, deleted.ip, deleted.object_id) == ("root", "198.51.100.77", str(day.pk))
    assert deleted.detail["fields"]["day"] == "2026-12-07"


def test_a_change_made_outside_a_request_is_logged_without_actor():
    StepLimit.objects.filter(pk=StepLimit.objects.first().pk)  # no signal for querysets: only instances
    limit = StepLimit.objects.first()
    limit.note = "命令行修改"
    limit.save()
    (entry,) = entries(object_type="timekeeping.steplimit")
    assert (entry.actor_id, entry.actor, entry.ip) == (None, "", None)


def test_a_rolled_back_change_leaves_no_entry():
    from django.db import transaction

    limit = StepLimit.objects.first()
    with pytest.raises(RuntimeError), transaction.atomic():
        limit.note = "撤销"
        limit.save()
        raise RuntimeError
    assert not entries(object_type="timekeeping.steplimit")


# --- the log itself -----------------------------------------------------------------------------------------


def test_entries_can_be_neither_edited_nor_deleted():
    with acting(UserFactory(username="admin")):
        OrganisationFactory()
    entry = AuditEntry.objects.first()
    entry.actor = "someone else"
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.update(actor="x")
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor == "admin"


def test_the_admin_shows_the_log_read_only():
    UserFactory(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client = Client()
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    entry = AuditEntry.objects.get(kind="login")
    page = client.get("/admin/audit/auditentry/?kind__exact=login")
    assert page.status_code == 200 and "root" in page.content.decode()
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()


def test_the_auditlog_command_filters_by_time_kind_and_user():
    UserFactory(username="zhang", password=PASSWORD)
    UserFactory(username="wang", password=PASSWORD)
    for name in ("zhang", "wang"):
        client = Client()
        client.post("/accounts/login/", {"username": name, "password": PASSWORD}, REMOTE_ADDR="192.0.2.5")
        client.post("/accounts/logout/")

    def run(**options) -> list[str]:
        out = io.StringIO()
        call_command("auditlog", stdout=out, **options)
        return out.getvalue().splitlines()

    lines = run(kind=["login"], user="zhang")
    assert len(lines) == 1 and "\tzhang\t192.0.2.5\tlogin\taccounts.user#" in lines[0]
    assert len(run(kind=["login", "logout"])) == 4
    assert run(since="2999-01-01") == []
    assert len(run(since="1h", user="wang")) == 2
