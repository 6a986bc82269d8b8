"""Periodic jobs: apps register them (in AppConfig.ready), `urbangrid worker` runs them when due.

However many workers run, a job runs once per period: a worker first takes the job's lease with one
conditional UPDATE (free, and not run within the period), and only the worker whose UPDATE changed the
row runs it. A crashed worker's lease runs out, so the job is not stuck for longer than the lease.
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from urbangrid.worker.models import JobLease

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]
    lease: timedelta  # longer than the job can take; a dead worker's claim expires after it


JOBS: dict[str, Job] = {}


def register(name: str, every: timedelta, run: Callable[[], object], lease: timedelta | None = None) -> None:
    JOBS[name] = Job(name, every, run, lease or max(every, timedelta(minutes=5)))


def claim(job: Job, holder: str, now: datetime) -> bool:
    """Take the job's lease if it is free and the job is due; exactly one of racing workers gets True."""
    _ensure_row(job.name)
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    # On PostgreSQL the second of two racing UPDATEs waits for the first, then re-checks the WHERE
    # against the committed row and changes nothing; on SQLite writers are serialised anyway.
    taken = JobLease.objects.filter(free & due, name=job.name).update(
        holder=holder, lease_until=now + job.lease, last_started_at=now
    )
    return taken == 1


def release(job: Job, holder: str, error: str = "") -> None:
    JobLease.objects.filter(name=job.name, holder=holder).update(
        lease_until=None, last_finished_at=timezone.now(), last_error=error
    )


def run_due(holder: str, now: datetime | None = None) -> dict[str, str]:
    """Run every due job this worker can claim; returns {job: "ok" | the error}. A failing job stops no other."""
    outcome = {}
    for job in list(JOBS.values()):
        if not claim(job, holder, now or timezone.now()):
            continue
        error = ""
        try:
            job.run()
        except Exception:  # a job's bug must not kill the worker or the other jobs
            error = traceback.format_exc()
            log.exception("periodic job %s failed", job.name)
        release(job, holder, error)
        outcome[job.name] = error or "ok"
    return outcome


def _ensure_row(name: str) -> None:
    if JobLease.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            JobLease.objects.create(name=name)
    except IntegrityError:
        pass  # another worker created it a moment ago
