"""Running one benchmark per database, each in a process of its own (Django has one default database per
process): the throwaway databases, the worker process and its goals, the log lines on one clock."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import Goal


def log(message: str, since: float) -> None:
    print(f"  [{time.perf_counter() - since:6.1f} s] {message}", flush=True)


def postgres_server() -> str | None:
    """A server URL (its database part is replaced): DATABASE_URL's if it is PostgreSQL, else a local one."""
    url = os.getenv("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return None
    return "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def safe(url: str) -> str:
    """The URL without credentials, for the log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme != "sqlite" else "SQLite"


def run_worker(script: str, url: str, arguments: list[str], var_dir: Path, result: str, since: float) -> list[Goal]:
    """Run `script --database URL ARGUMENTS…` on its own database and settings; echo what it prints and return
    the goals it prints as JSON on the line that starts with `result`."""
    env = {**os.environ, "DATABASE_URL": url, "URBANGRID_VAR_DIR": str(var_dir / "var"),
           "DJANGO_SETTINGS_MODULE": "urbangrid.settings"}
    found = None
    command = [sys.executable, script, "--database", url, *arguments]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, bufsize=1) as worker:
        for line in worker.stdout:
            if line.startswith(result):
                found = json.loads(line[len(result):])
            else:
                print(line, end="", flush=True)
    if worker.returncode or found is None:
        raise RuntimeError(f"the benchmark process for {safe(url)} failed (exit status {worker.returncode})")
    log(f"{safe(url)} done", since)
    return [Goal(**row) for row in found]


def on_throwaway_postgres(server: str, name: str, run: Callable[[str, Path], list[Goal]], since: float) -> list[Goal]:
    """Create database `name` on the server, run(url, work folder), then drop both; [] if it cannot be made."""
    import psycopg

    admin, url = with_database(server, "postgres"), with_database(server, name)
    try:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        log(f"PostgreSQL at {safe(server)}: cannot create a database ({error}), skipped", since)
        return []
    work = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    try:
        return run(url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
