"""Blanking callers' numbers some time after the call (个人信息保护法 art. 19), on the cases' schedule: the same
CASES_REPORTER_RETENTION_DAYS (0: kept). The call itself stays, so the hotline's counts stay right."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from urbangrid.hotline.models import Call

NAME = "erase_caller_numbers"


def erase_due(now: datetime | None = None) -> int:
    days = settings.CASES_REPORTER_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Call.objects.filter(at__lt=cutoff).exclude(phone="").update(phone="")
