"""Phones of the field app: registered at sign-in, checked on every submission, revoked when lost."""

import hashlib
import secrets
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from urbangrid.accounts.models import Device, User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register(user: User, session_key: str, label: str) -> tuple[Device, str]:
    """A new device and its token; the token is shown to the phone once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    device = Device.objects.create(user=user, label=label[:120], token_hash=token_hash(token), session_key=session_key)
    return device, token


def find(token: str) -> Device | None:
    """The unrevoked device holding `token` (its user loaded), or None; notes that it was seen."""
    if not token:
        return None
    device = Device.objects.filter(token_hash=token_hash(token), revoked_at=None).select_related("user").first()
    if device is not None:
        Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return device


@transaction.atomic
def revoke(device: Device, by: User | None) -> None:
    """End the device's session and its token's use, at once; the row stays as the record of the loss."""
    if device.revoked_at is not None:
        return
    Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now(), revoked_by=by)
    if device.session_key:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        store(session_key=device.session_key).delete()
