"""Periodic jobs run once per period however many workers run, and a failing job stops no other."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from urbangrid.worker import schedule
from urbangrid.worker.models import JobLease


@pytest.fixture
def jobs(monkeypatch):
    registry = {}
    monkeypatch.setattr(schedule, "JOBS", registry)
    return registry


def counting_job(name: str, every=timedelta(minutes=1)) -> list:
    runs = []
    schedule.register(name, every, lambda: runs.append(timezone.now()))
    return runs


@pytest.mark.django_db
def test_a_job_runs_once_per_period_whoever_asks(jobs):
    runs = counting_job("sweep")
    now = timezone.now()
    assert schedule.run_due("worker-a", now) == {"sweep": "ok"}
    assert schedule.run_due("worker-b", now + timedelta(seconds=30)) == {}
    assert schedule.run_due("worker-b", now + timedelta(seconds=61)) == {"sweep": "ok"}
    assert len(runs) == 2


@pytest.mark.django_db
def test_a_held_lease_keeps_others_out_until_it_expires(jobs):
    counting_job("sweep")
    job = jobs["sweep"]
    now = timezone.now()
    assert schedule.claim(job, "worker-a", now)  # worker-a died holding it
    later = now + job.every + timedelta(seconds=1)
    assert not schedule.claim(job, "worker-b", later)
    assert schedule.claim(job, "worker-b", now + job.lease + timedelta(seconds=1))


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(jobs):
    schedule.register("broken", timedelta(minutes=1), lambda: 1 / 0)
    runs = counting_job("sweep")
    outcome = schedule.run_due("worker-a")
    assert "ZeroDivisionError" in outcome["broken"] and outcome["sweep"] == "ok"
    assert len(runs) == 1
    lease = JobLease.objects.get(name="broken")
    assert "ZeroDivisionError" in lease.last_error and lease.lease_until is None


@pytest.mark.django_db
def test_the_worker_command_does_a_round(jobs):
    runs = counting_job("sweep")
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "sweep: ok" in out.getvalue() and len(runs) == 1


# Transactional tests flush the database after; serialized_rollback restores the migrated data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_for_a_job_run_it_once(jobs):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    started = threading.Barrier(4)
    runs = counting_job("sweep")

    def worker(n):
        started.wait()
        schedule.run_due(f"worker-{n}")
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == 1


def test_sigterm_lets_the_worker_finish_its_round_and_leave(tmp_path):
    """What systemd does on stop: the worker exits cleanly between rounds, within a tick."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "URBANGRID_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "urbangrid.settings"}
    env.pop("DATABASE_URL", None)  # its own SQLite file
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, timeout=600)
    worker = subprocess.Popen([sys.executable, "-m", "django", "worker", "--tick", "30"], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert f":{worker.pid}" in worker.stdout.readline()  # "Worker host:pid: jobs …": up and in its loop
        time.sleep(1)
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=20)  # far less than the 30 s tick: the wait is interrupted
    finally:
        worker.kill()
    assert worker.returncode == 0
    assert "stopped" in out or "停止" in out
