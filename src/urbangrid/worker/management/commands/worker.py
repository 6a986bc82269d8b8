"""`urbangrid worker`: run periodic jobs (overdue sweep, escalations) and queued tasks (notifications)."""

import os
import signal
import socket
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.commandbase import Command as BaseCommand
from urbangrid.worker import queue, schedule


class Command(BaseCommand):
    help = gettext_lazy(
        "Run the periodic jobs (overdue sweep, escalations) and the queued tasks (notifications). "
        "Several workers may run at once: each periodic job still runs once per period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("do one round and exit"))
        parser.add_argument(
            "--tick", type=float, default=None, help=_("seconds between rounds (default: WORKER_TICK_SECONDS)")
        )

    def handle(self, *args, once: bool, tick: float | None, **options):
        holder = f"{socket.gethostname()}:{os.getpid()}"
        tick = settings.WORKER_TICK_SECONDS if tick is None else tick
        self.stdout.write(_("Worker {holder}: jobs {jobs}").format(holder=holder, jobs=", ".join(schedule.JOBS)))
        # systemd stops a worker with SIGTERM: finish the job or task in hand, then leave (a lease or a claimed
        # task left half-done would wait for its expiry). A second signal, or SIGKILL, stops it at once.
        stopping = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_args: _stop(stopping))
        while not stopping.is_set():
            for name, result in schedule.run_due(holder).items():
                self.stdout.write(f"{name}: {result.splitlines()[-1] if result != 'ok' else 'ok'}")
            queue.run_queued(holder)
            if once:
                return
            stopping.wait(tick)
            close_old_connections()  # a connection the database dropped while we slept is reopened
        self.stdout.write(_("Worker {holder} stopped.").format(holder=holder))


def _stop(stopping: threading.Event) -> None:
    if stopping.is_set():
        raise SystemExit(1)  # asked twice: do not wait any longer
    stopping.set()
