"""Erasing reporters' personal data some time after their case ends (等保 2.0; 个人信息保护法 art. 19: no longer
than needed). `urbangrid worker` runs it hourly; CASES_REPORTER_RETENTION_DAYS sets the time (0: never erase).

Only the name and phone a citizen gave are erased, each case in its own transaction through cases.actions (so
the erasure is an event of the case, chained like the others); counts and indicators keep every case.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from urbangrid.cases import actions
from urbangrid.cases.models import Case
from urbangrid.core.workflow import TERMINAL

NAME = "erase_personal_data"
BATCH = 500  # cases per run; the next run takes the rest


@dataclass(frozen=True)
class Erased:
    cases: int
    cutoff: datetime | None


def due(cutoff: datetime) -> list[int]:
    """Finished cases, finished before `cutoff`, that still hold a reporter's name or phone."""
    holding = ~Q(reporter_name="") | ~Q(reporter_phone="")
    found = Case.objects.filter(holding, state__in=[str(s) for s in TERMINAL], state_since__lt=cutoff)
    return list(found.order_by("state_since", "pk").values_list("pk", flat=True)[:BATCH])


def erase_due(now: datetime | None = None) -> Erased:
    days = settings.CASES_REPORTER_RETENTION_DAYS
    if not days:
        return Erased(0, None)
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    ids = due(cutoff)
    for case_id in ids:
        actions.erase_personal_data(case_id, now)
    return Erased(len(ids), cutoff)
