"""Bump the roster's data version on every change it depends on (see roster.py); note when a session began;
keep the history of collectors' grids (gridhistory.py)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from urbangrid.accounts.middleware import LOGIN_AT
from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation, Suspension
from urbangrid.accounts.roster import DATA_VERSION
from urbangrid.grid.versions import bump


def changed(**kwargs) -> None:
    if kwargs.get("raw"):  # fixtures being loaded
        return
    bump(DATA_VERSION)


def session_started(request, **kwargs) -> None:
    request.session[LOGIN_AT] = time.time()  # for the absolute session lifetime (middleware.session_lifetime)


def connect() -> None:
    from urbangrid.accounts import gridhistory

    gridhistory.connect()
    user_logged_in.connect(session_started, dispatch_uid="accounts.session_started")
    for model in (Appointment, CollectorProfile, Organisation, Suspension):
        post_save.connect(changed, sender=model, dispatch_uid=f"accounts.roster.save.{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"accounts.roster.delete.{model.__name__}")
