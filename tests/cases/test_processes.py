"""Several real processes on the same queues: every case is dispatched once, every overdue notice and every
webhook delivery is made once, and no update is lost (issue 7). Transactional: the processes must see commits."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.builders import make_case
from tests.webhooks.test_delivery import Receiver
from urbangrid.cases.models import Case, CaseEvent, SweepMark
from urbangrid.core.workflow import State
from urbangrid.notifications.models import Notification
from urbangrid.webhooks.models import Attempt, Delivery, Subscription

ROOT = Path(__file__).resolve().parents[2]
RACERS = 4
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    found = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{found['NAME']}"
    host = f"{found['HOST'] or '127.0.0.1'}:{found['PORT'] or 5432}"
    return f"postgres://{found['USER']}@{host}/{found['NAME']}"


def race(*arguments: str) -> list[dict]:
    """Start RACERS processes that begin at the same second; their JSON answers."""
    start = str(time.time() + 4)  # time enough for each to set Django up
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "urbangrid.settings",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "tests.cases.racer", arguments[0], start, *arguments[1:]]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(RACERS)]
    answers = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers


def test_racing_dispatchers_dispatch_each_case_once(cast):
    cases = [make_case(cast, State.OPEN) for _ in range(6)]
    seen = [f"{case.pk}:{case.version}" for case in cases]
    connection.close()  # let the processes have the database (SQLite) to themselves
    answers = race("dispatch", str(cast.sun.pk), str(cast.shizheng.pk), *seen)
    won = sorted(pk for answer in answers for pk in answer["won"])
    assert won == sorted(case.pk for case in cases)  # each case by exactly one process
    assert sum(len(answer["lost"]) for answer in answers) == len(cases) * (RACERS - 1)
    for case in cases:
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.state, fresh.version) == ("dispatched", case.version + 1)
        assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1


def test_racing_workers_send_each_overdue_notice_and_each_webhook_once(cast):
    receiver = Receiver()
    try:
        Subscription.objects.create(name="城市运行平台", url=receiver.url)
        cases = [make_case(cast, State.OPEN) for _ in range(3)]
        deliveries = Delivery.objects.count()
        assert deliveries == sum(case.version for case in cases)  # one per event, queued after each commit
        now = timezone.now()
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(step_due_at=now - timedelta(minutes=5))
        SweepMark.objects.update_or_create(name="overdue", defaults={"swept_until": now - timedelta(minutes=10)})
        connection.close()
        race("worker")
        notices = Notification.objects.filter(kind="overdue", case_id__in=[c.pk for c in cases])
        assert notices.count() == len(cases)  # the dispatcher, once per case
        assert sorted(notices.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
        assert Attempt.objects.count() == deliveries
        ids = [headers["X-UrbanGrid-Delivery"] for headers, _body in receiver.received]
        assert len(ids) == len(set(ids)) == deliveries
    finally:
        receiver.close()


@pytest.mark.parametrize("fault", ["sigkill", "connection_dropped"])
def test_a_burst_of_transitions_cut_short_leaves_no_half_written_case(cast, fault):
    """The writing process is killed (SIGKILL), or on PostgreSQL its connection is dropped mid-transaction."""
    from django.core.management import call_command

    if fault == "connection_dropped" and connection.vendor != "postgresql":
        pytest.skip("dropping a server connection is a PostgreSQL fault; SQLite has none")

    from tests.cases.helpers import GRID1

    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "urbangrid.settings",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "tests.cases.racer", "burst", "0", str(cast.li.pk), str(cast.wang.pk),
               str(GRID1[0]), str(GRID1[1])]
    connection.close()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while Case.objects.count() < 15 and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.05)
        if fault == "connection_dropped":
            with connection.cursor() as cursor:  # the server ends the burst's session, wherever it was
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            assert process.wait(timeout=60) != 0  # it died of the lost connection
        connection.close()
    finally:
        process.kill()  # SIGKILL: no cleanup, no rollback by the process itself
        process.wait()
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) >= 15
    for case in cases:
        events = list(case.events.order_by("seq"))
        assert [e.seq for e in events] == list(range(1, case.version + 1))  # no case without its events
        assert events[-1].target == case.state  # no event without its state, nor a state without its event
        assert case.state in ("reported", "accepted")
    call_command("audit", "verify", verbosity=0)  # every chain intact: raises CommandError otherwise
