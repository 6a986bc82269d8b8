"""Queued work (django-tasks, database backend), run by `urbangrid worker` between periodic jobs.

django-tasks-db's own `db_worker` loop closes "old" database connections on every pass, which also
closes a connection that is inside a transaction (as in tests); the claim and the run are taken from
it, the loop is ours.
"""

from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception


def run_queued(worker_id: str, max_tasks: int = 100) -> int:
    """Run up to `max_tasks` queued tasks, oldest and most urgent first; returns how many ran."""
    runner = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=max_tasks, worker_id=worker_id[:64], excluded_queue_names=[],
    )
    done = 0
    while done < max_tasks:
        claimed = _claim_next(worker_id[:64])
        if claimed is None:
            break
        runner.run_task(claimed)
        done += 1
    return done


def _claim_next(worker_id: str) -> DBTaskResult | None:
    ready = DBTaskResult.objects.ready().filter(backend_name="default")
    try:
        with exclusive_transaction(ready.db):
            task_result = ready.get_locked()  # SKIP LOCKED on PostgreSQL: workers never take the same task
            if task_result is not None:
                task_result.claim(worker_id)
            return task_result
    except OperationalError as e:
        if is_locked_database_exception(e):
            return None  # SQLite busy with another writer: try again next round
        raise
