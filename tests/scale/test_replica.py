"""The read replica router against a real PostgreSQL streaming replica started here.

The replica is made with pg_basebackup -R from the PostgreSQL cluster on 127.0.0.1:5432 and started with pg_ctl
on a free port, as the postgres OS user. If that cluster refuses replication connections (no `replication` line
in its pg_hba.conf, as on a developer's machine with trust for `all` only), the primary is a throwaway cluster
made with initdb beside it instead: the streaming is as real, only the primary differs (the test says which).
Skipped, with the reason, only when no replica can be started at all (no PostgreSQL binaries, not root/postgres).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("replica_probe.py")
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))
    return found[-1].parent if found else None


def _as_postgres(*command, check=True, timeout=120) -> subprocess.CompletedProcess:
    prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    return subprocess.run([*prefix, *map(str, command)], capture_output=True, text=True, check=check,
                          timeout=timeout)


def _wait_ready(bin_dir: Path, port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if subprocess.run([bin_dir / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:
            return
        time.sleep(0.3)
    raise RuntimeError(f"PostgreSQL on port {port} did not become ready")


class Cluster:
    def __init__(self, bin_dir: Path, data: Path, port: int):
        self.bin_dir, self.data, self.port = bin_dir, data, port

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1"
        _as_postgres(self.bin_dir / "pg_ctl", "-D", self.data, "-o", options, "-l", self.data.parent /
                     f"{self.data.name}.log", "-w", "start")
        _wait_ready(self.bin_dir, self.port)

    def stop(self) -> None:
        _as_postgres(self.bin_dir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)


@pytest.fixture(scope="module")
def streaming():
    """(primary port, replica port, how the primary was found); both clusters stopped afterwards."""
    bin_dir = _bin_dir()
    if bin_dir is None or (shutil.which("runuser") is None and os.geteuid() == 0):
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin) to start a replica with")
    work = Path(tempfile.mkdtemp(prefix="urbangrid-replica-"))
    work.chmod(0o777)
    started: list[Cluster] = []
    try:
        if os.geteuid() == 0:
            shutil.chown(work, "postgres")
        # Always a primary of our own: a base backup of the machine's shared cluster would copy every database
        # on it (a benchmark city is 11 GB) and needs a replication line in its pg_hba.conf.
        primary_port, how = _free_port(), "a throwaway primary"
        _as_postgres(bin_dir / "initdb", "-D", work / "primary", "-A", "trust", "-U", "postgres")
        primary = Cluster(bin_dir, work / "primary", primary_port)
        primary.start()
        started.append(primary)
        replica = work / "replica"
        _as_postgres(bin_dir / "pg_basebackup", "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres",
                     "-D", replica, "-R", "-X", "stream")
        standby = Cluster(bin_dir, replica, _free_port())
        standby.start()
        started.append(standby)
    except (subprocess.CalledProcessError, RuntimeError, OSError, LookupError) as error:
        for cluster in reversed(started):
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
        detail = getattr(error, "stderr", "") or error
        pytest.skip(f"a streaming replica could not be started on this machine: {detail}")
    yield primary_port, standby, how
    for cluster in reversed(started):
        cluster.stop()
    shutil.rmtree(work, ignore_errors=True)


def _probe(step: str, primary_port: int, replica_port: int, name: str, work: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/{name}",
           "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{replica_port}/{name}",
           "URBANGRID_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "urbangrid.settings"}
    done = subprocess.run([sys.executable, PROBE, step], env=env, capture_output=True, text=True, timeout=600,
                          cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.startswith("PROBE ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("PROBE "):])


def test_reads_go_to_the_replica_and_writes_to_the_primary(streaming, tmp_path):
    import psycopg

    primary_port, standby, how = streaming
    print(f"primary: {how}; replica on port {standby.port}")
    name = f"ug_replica_{os.getpid()}"
    admin = f"postgres://postgres@127.0.0.1:{primary_port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        assert _probe("migrate", primary_port, standby.port, name, tmp_path)["migrated"]
        out = _probe("reads", primary_port, standby.port, name, tmp_path)
        assert out["on_replica"] is True
        assert out["replica_in_recovery"] is True  # it really is a standby
        # A write inside replica_reads() goes to the primary; the replica sees it only by streaming.
        assert any(sql.startswith("INSERT") for sql in out["write_inside"]["default"])
        assert out["write_inside"]["replica"] == []
        assert out["count_inside"] == 1 and out["count_outside"] == 1
        assert out["read_inside"]["default"] == [] and len(out["read_inside"]["replica"]) == 1
        assert out["read_outside"]["replica"] == [] and len(out["read_outside"]["default"]) == 1
        # The evaluation report's raw reads (report.fetch, past the ORM) follow the router too.
        assert out["report_fetch_inside"] == [[7, True]] and out["report_fetch_outside"] == [[7, False]]
        assert out["map_tallies_primary_untouched"] is True  # and the map's, by the same path
        # Who is signed in is always read from the primary.
        assert out["user_read_inside"]["replica"] == [] and out["user_read_inside"]["default"]
        # The middleware: GET of a map page reads from the replica; a POST or another page does not.
        assert out["map_get"]["default"] == [] and out["map_get"]["replica"]
        assert out["map_post"]["replica"] == [] and out["map_post"]["default"]
        assert out["other_get"]["replica"] == [] and out["other_get"]["default"]
        standby.stop()
        down = _probe("fallback", primary_port, standby.port, name, tmp_path)
        assert down["on_replica"] is False  # the replica is down: the same read from the primary, no error
        assert down["count_inside"] == 1 and len(down["read_inside"]["default"]) == 1
        assert down["report_fetch_inside"] == [[7, False]]
        assert down["replica_connected"] is False
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
