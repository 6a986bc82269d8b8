"""A component import killed part-way (SIGKILL) leaves nothing half-imported, and running it again completes it."""

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.cases.test_processes import database_url
from tests.components.conftest import GRID_CENTRES, row, write_csv
from urbangrid.components.models import Component

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30_000
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def inventory(path: Path) -> Path:
    grids = list(GRID_CENTRES)
    data = []
    for i in range(1, ROWS + 1):
        grid = grids[i % 4]
        lon, lat = GRID_CENTRES[grid]
        data.append(row(i, grid=grid, lon=lon + (i % 400) * 1e-6, lat=lat + (i // 400 % 400) * 1e-6))
    return write_csv(path / "inventory.csv", data)


def started_writing(process: subprocess.Popen, terminal: int) -> bool:
    """Read the progress bars (shown on a terminal only: hence the pty) until the write phase begins."""
    seen, deadline = b"", time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([terminal], [], [], 0.5)
        if ready:
            try:
                seen += os.read(terminal, 65536)
            except OSError:  # the process closed its end: it ended
                return False
            if b"Writing" in seen:
                return True
    return False


def test_a_killed_import_writes_nothing_and_a_rerun_completes(city, tmp_path):
    path = inventory(tmp_path)
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "urbangrid.settings",
           "LANGUAGE_CODE": "en", "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    connection.close()
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # else tqdm draws 0 columns
    process = subprocess.Popen([sys.executable, "-m", "django", "components", "import", str(path)], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    try:
        assert started_writing(process, controller), "the import never reached its write phase"
        time.sleep(0.3)  # some batches in
    finally:
        process.kill()  # SIGKILL in the middle of writing
        process.wait()
        os.close(controller)
    assert Component.objects.count() == 0  # its one transaction never committed: nothing half-imported
    call_command("components", "import", str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)
    assert Component.objects.count() == ROWS
