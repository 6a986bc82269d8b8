"""Prometheus metrics: request latency (counted in each process) and the state of the work (read from the
database at scrape time, so every process reports the same figures).

With several web processes (gunicorn workers), set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by
them before they start: prometheus_client then keeps each process's histogram in a file there and a scrape of any
process adds them all up (docs/production.md). Without it, each process reports only its own requests.
"""

import os

from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Not registered anywhere at import: each scrape builds its registry (below), so tests and several
# registries never collide.
REQUEST_SECONDS = Histogram(
    "urbangrid_http_request_duration_seconds", "Time to answer an HTTP request, by view, method and status class.",
    ["view", "method", "status"], registry=None,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def observe(view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(view, method if method in METHODS else "other", f"{status // 100}xx").observe(seconds)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> bytes:
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(WorkCollector())
    return generate_latest(registry)


class WorkCollector:
    """Cases, queued tasks and periodic jobs, each from one cheap indexed query."""

    def collect(self):
        # Imported here: prometheus_client's multiprocess mode is set up before Django's apps are ready.
        from django.db.models import Count
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from urbangrid.cases import clock
        from urbangrid.cases.models import Case
        from urbangrid.cases.queries import overdue
        from urbangrid.core.workflow import TERMINAL
        from urbangrid.worker.models import JobLease

        now = clock.now()
        open_cases = GaugeMetricFamily("urbangrid_cases_open", "Cases not closed, rejected or voided, by state.",
                                       labels=["state"])
        by_state = Case.objects.exclude(state__in=[str(s) for s in TERMINAL]).values_list("state")
        for state, count in sorted(by_state.annotate(n=Count("id")).values_list("state", "n")):
            open_cases.add_metric([state], count)
        yield open_cases

        yield GaugeMetricFamily("urbangrid_cases_overdue", "Open cases past their handling or step deadline.",
                                value=overdue(now).count())

        queued = GaugeMetricFamily("urbangrid_tasks_queued", "Queued tasks waiting for a worker, by queue.",
                                   labels=["queue"])
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list("queue_name")
        for queue, count in sorted(ready.annotate(n=Count("id")).values_list("queue_name", "n")):
            queued.add_metric([queue], count)
        yield queued

        held = GaugeMetricFamily("urbangrid_worker_job_lease_held",
                                 "1 while a worker holds the periodic job's lease (it runs).", labels=["job"])
        finished = GaugeMetricFamily("urbangrid_worker_job_last_finished_timestamp_seconds",
                                     "When the periodic job last finished (Unix time).", labels=["job"])
        failing = GaugeMetricFamily("urbangrid_worker_job_failing", "1 if the periodic job's last run failed.",
                                    labels=["job"])
        for lease in JobLease.objects.order_by("name"):
            held.add_metric([lease.name], int(lease.lease_until is not None and lease.lease_until > now))
            if lease.last_finished_at is not None:
                finished.add_metric([lease.name], lease.last_finished_at.timestamp())
            failing.add_metric([lease.name], int(bool(lease.last_error)))
        yield from (held, finished, failing)
