"""Issuing, checking and revoking API tokens. A token reads `ugt_<prefix>_<secret>`; only its digest is kept."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from urbangrid.accounts.models import User
from urbangrid.api.models import SCOPES, ApiToken

MARK = "ugt"
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is coarse: one UPDATE a minute per token, not one per request


class TokenError(Exception):
    def __init__(self, code: str, msgid: str):
        super().__init__(msgid)
        self.code, self.msgid = code, msgid


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue(user: User, name: str, scope: str = "read", expires_at: datetime | None = None,
          rate_limit: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the clear token is returned once and never stored."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    prefix = secrets.token_hex(4)
    token = f"{MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, digest=digest(token), scope=scope, expires_at=expires_at,
        rate_limit=rate_limit,
    )
    return record, token


def check(token: str, now: datetime) -> ApiToken:
    """The live token for this secret, or TokenError (the same for unknown and revoked tokens)."""
    found = ApiToken.objects.select_related("user").filter(digest=digest(token.strip())).first()
    if found is None or found.revoked_at is not None or not found.user.is_active:
        raise TokenError("invalid_token", gettext_noop("This API token is not valid: it is unknown or revoked."))
    if found.expires_at is not None and found.expires_at <= now:
        raise TokenError("token_expired", gettext_noop("This API token has expired; create a new one."))
    if found.last_used_at is None or found.last_used_at <= now - TOUCH_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found


def revoke(prefix: str, user: User | None = None) -> int:
    tokens = ApiToken.objects.filter(prefix=prefix, revoked_at=None)
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens.update(revoked_at=timezone.now())
