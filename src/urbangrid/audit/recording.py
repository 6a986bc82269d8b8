"""What goes into the audit log, hooked to Django's auth and model signals.

Model changes are logged in the same transaction as the change, so a rolled-back edit leaves no entry. The actor
and address come from the request being served (middleware.current); changes made outside a request (commands,
the worker) are logged without them. Bulk imports (bulk_create) send no signals: importers log a summary.
"""

import hashlib

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_totp.models import TOTPDevice

from urbangrid.accounts.clientip import client_ip
from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation
from urbangrid.audit.middleware import current
from urbangrid.audit.models import AuditEntry, Kind
from urbangrid.catalog.models import CatalogClass, FilingCondition, LegacyCode
from urbangrid.components.models import Component
from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule
from urbangrid.grid.models import Area
from urbangrid.timekeeping.models import CalendarDay, StepLimit, WorkCalendar

REFERENCE_MODELS = (
    Organisation, CatalogClass, FilingCondition, LegacyCode, DispatchRule, ClassDispatchSetting,
    WorkCalendar, CalendarDay, StepLimit, Area, Component,
)
# Who holds which post, a collector's grids, second-factor devices (set up, confirmed, removed).
PERMISSION_MODELS = (Appointment, CollectorProfile, Group, TOTPDevice)
USER_FLAGS = ("is_active", "is_staff", "is_superuser")
USER_WATCHED = {*USER_FLAGS, "password"}
SECRET_FIELDS = {"password", "key"}  # a password hash, a TOTP device's secret
# A TOTP device notes each code used and each wrong one: its use, which the sign-in entries already tell.
ROUTINE_FIELDS = {"last_t", "drift", "throttling_failure_timestamp", "throttling_failure_count", "last_used_at"}
LONGEST = 500  # longer values are logged by digest
THROUGHS: dict = {}  # m2m table → (field, kind); filled by connect()


def _label(instance) -> str:
    return instance._meta.label_lower


def _value(instance, field) -> object:
    value = field.value_from_object(instance)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, bytes | memoryview):  # a boundary's WKB: its digest tells whether it changed
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()[:16]
    text = str(value)  # dates, decimals, times as text: enough to say what it was
    return text if len(text) <= LONGEST else "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _fields(instance) -> dict:
    return {
        f.attname: _value(instance, f)
        for f in instance._meta.concrete_fields
        if f.attname not in SECRET_FIELDS and not f.primary_key
    }


def write(kind: str, instance=None, *, detail=None, request=None, actor=None) -> AuditEntry:
    origin = current.get()
    if request is None and origin is not None:
        request = origin.request
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        kind=kind,
        actor_id=actor.pk if actor else None,
        actor=actor.get_username() if actor else "",
        ip=client_ip(request) if request is not None else None,
        object_type=_label(instance) if instance is not None else "",
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        detail=detail or {},
    )


# --- sign-in and sign-out --------------------------------------------------------------------------------


def logged_in(sender, request, user, **kwargs) -> None:
    write(Kind.LOGIN, user, request=request, actor=user)


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        write(Kind.LOGOUT, user, request=request, actor=user)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The user name tried is kept (it is how guessing shows up); the password never is.
    write(Kind.LOGIN_FAILED, request=request, detail={"username": str(credentials.get("username", ""))[:150]})


def second_factor_failed(sender, user, **kwargs) -> None:
    # The password was right, the authenticator code wrong: a stolen password, or a clock that drifted.
    write(Kind.LOGIN_FAILED, user, actor=user, detail={"username": user.get_username(), "second_factor": True})


def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    write(Kind.LOCKED_OUT, request=request, detail={"username": str(username or "")[:150]})


# --- model changes ---------------------------------------------------------------------------------------


def remember_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Keeps the stored row before a save, to log what changed (one query, only for audited models)."""
    instance._audit_before = None
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and sender is get_user_model() and not USER_WATCHED & set(update_fields):
        return  # e.g. last_login at every sign-in: nothing to audit, no query
    before = sender._base_manager.filter(pk=instance.pk).first()
    if before is not None:
        instance._audit_before = {**_fields(before), "password": getattr(before, "password", None)}


def _changes(instance) -> dict:
    before = getattr(instance, "_audit_before", None) or {}
    stamps = {f.attname for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)} | ROUTINE_FIELDS
    return {
        name: [before.get(name), value]
        for name, value in _fields(instance).items()
        if before.get(name) != value and name not in stamps  # "updated at" alone is no change
    }


def saved(kind: str):
    def receiver(sender, instance, created, raw=False, **kwargs) -> None:
        if raw:  # fixtures being loaded
            return
        if created:
            write(kind, instance, detail={"op": "created", "fields": _fields(instance)})
        elif changes := _changes(instance):
            write(kind, instance, detail={"op": "changed", "changes": changes})

    return receiver


def deleted(kind: str):
    def receiver(sender, instance, **kwargs) -> None:
        write(kind, instance, detail={"op": "deleted", "fields": _fields(instance)})

    return receiver


def user_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new account, a change of its active/staff/superuser flags, a new password (never the hash itself)."""
    if raw:
        return
    if created:
        flags = {flag: getattr(instance, flag) for flag in USER_FLAGS}
        write(Kind.PERMISSION, instance, detail={"op": "created", "flags": flags})
        return
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return
    flags = {f: [before[f], getattr(instance, f)] for f in USER_FLAGS if before[f] != getattr(instance, f)}
    if flags:
        write(Kind.PERMISSION, instance, detail={"op": "changed", "changes": flags})
    if before["password"] != instance.password:
        write(Kind.PASSWORD, instance, detail={"must_change_password": instance.must_change_password})


def members_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Groups and permissions of users and groups, a collector's grids, an organisation's territory and classes."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    field, kind = THROUGHS[sender]
    detail = {"op": action.removeprefix("post_"), "field": field, "ids": sorted(pk_set or [])}
    if reverse:  # changed from the other side (area.responsible_organisations.add(...)): name that side
        detail["from"] = _label(instance)
    write(kind, instance, detail=detail)


def connect() -> None:
    user_model = get_user_model()
    THROUGHS.update({
        user_model.groups.through: ("groups", Kind.PERMISSION),
        user_model.user_permissions.through: ("user_permissions", Kind.PERMISSION),
        Group.permissions.through: ("permissions", Kind.PERMISSION),
        CollectorProfile.grids.through: ("grids", Kind.PERMISSION),
        Organisation.territory.through: ("territory", Kind.REFERENCE),
        Organisation.responsibilities.through: ("responsibilities", Kind.REFERENCE),
    })
    user_logged_in.connect(logged_in, dispatch_uid="audit.login")
    user_logged_out.connect(logged_out, dispatch_uid="audit.logout")
    user_login_failed.connect(login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit.locked_out")
    otp_verification_failed.connect(second_factor_failed, dispatch_uid="audit.second_factor_failed")
    for models, kind in ((REFERENCE_MODELS, Kind.REFERENCE), (PERMISSION_MODELS, Kind.PERMISSION)):
        for model in models:
            uid = f"audit.{model._meta.label_lower}"
            pre_save.connect(remember_before, sender=model, dispatch_uid=f"{uid}.pre")
            post_save.connect(saved(kind), sender=model, dispatch_uid=f"{uid}.save", weak=False)
            post_delete.connect(deleted(kind), sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    pre_save.connect(remember_before, sender=user_model, dispatch_uid="audit.user.pre")
    post_save.connect(user_saved, sender=user_model, dispatch_uid="audit.user.save")
    post_delete.connect(deleted(Kind.PERMISSION), sender=user_model, dispatch_uid="audit.user.delete", weak=False)
    for through in THROUGHS:
        m2m_changed.connect(members_changed, sender=through, dispatch_uid=f"audit.m2m.{through._meta.label_lower}")
