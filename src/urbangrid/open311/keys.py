"""Open311 API keys: `urbangrid open311 create-key NAME` issues one per client system; only its digest is kept."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_noop

from urbangrid.accounts.models import Appointment, Organisation, User
from urbangrid.core.posts import Post
from urbangrid.open311.models import SOURCES, Client

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
TOUCH_EVERY = timedelta(minutes=1)


class ClientError(ValueError):
    """Its message is an English msgid with {name} and {sources} placeholders."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"o311_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def create(name: str, source: str = "public", organisation: Organisation | None = None) -> tuple[Client, str]:
    """A new client system and its key (returned once). It reports in `organisation` with the reporting-system
    post: enough to enter reports, and no case to read or act on but its own reports (not an intake operator's
    city-wide post)."""
    if not NAME.match(name):
        message = gettext_noop("A client name is 1–40 letters, digits, - or _, starting with a letter or digit.")
        raise ClientError(message)
    if source not in SOURCES:
        raise ClientError(gettext_noop("The source is one of: {sources}."))
    if Client.objects.filter(name=name).exists():
        raise ClientError(gettext_noop("There is already a client called {name}; choose another name."))
    organisation = organisation or Organisation.objects.filter(kind="supervision_centre", active=True).first()
    if organisation is None:
        message = gettext_noop("There is no active supervision centre for the client's reporting post; name one.")
        raise ClientError(message)
    user = User(username=f"open311-{name}", display_name=f"Open311 {name}")
    user.set_unusable_password()  # it never signs in; only its key is used
    user.save()
    Appointment.objects.create(user=user, post=Post.REPORTING_SYSTEM, organisation=organisation)
    prefix, key = new_key()
    return Client.objects.create(name=name, user=user, prefix=prefix, digest=digest(key), source=source), key


def check(key: str, now: datetime) -> Client | None:
    if not key:
        return None
    client = Client.objects.select_related("user").filter(digest=digest(key.strip()), active=True).first()
    if client is None or not client.user.is_active:
        return None
    if client.last_used_at is None or client.last_used_at <= now - TOUCH_EVERY:
        Client.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


DEMO = "demo"


def demo_key() -> str:
    """A working key for the demo client, made anew on every run (the old one is not kept, so cannot be shown)."""
    client = Client.objects.filter(name=DEMO).first()
    if client is None:
        return create(DEMO)[1]
    prefix, key = new_key()
    Client.objects.filter(pk=client.pk).update(prefix=prefix, digest=digest(key), active=True)
    return key
