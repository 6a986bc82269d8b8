"""The load test: a demo city with many cases, served on loopback, worked by operators and collectors for a
bounded time with locust; then nothing lost is checked and the figures printed (bench/README.md "Load").

    python bench/load/run.py                       # the full soak: 1,000,000 cases, 100 operators + 1,000
                                                   # collectors for 10 minutes (make soak)
    python bench/load/run.py --short               # CI: 10,000 cases, 6 operators + 60 collectors, 45 s

Options override either: --cases N --operators N --collectors N --seconds N --workers N. The database is a new
SQLite file under the work directory unless DATABASE_URL names a PostgreSQL server, in which case a throwaway
database `urbangrid_load_<pid>` is made there and dropped afterwards. Exits 1 on any failed request, any
acknowledged report missing or duplicated, or a server that did not start.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
FULL = {"cases": 1_000_000, "operators": 100, "collectors": 1_000, "seconds": 600, "workers": 2}
SHORT = {"cases": 10_000, "operators": 6, "collectors": 60, "seconds": 45, "workers": 2}


def log(message: str, since: float) -> None:
    print(f"  [{time.monotonic() - since:7.1f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database(work: Path) -> tuple[str, str | None]:
    """The load test's database URL, and the PostgreSQL database to drop afterwards (or None)."""
    url = os.getenv("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{work / 'load.sqlite3'}", None
    name = f"urbangrid_load_{os.getpid()}"
    parts = urlsplit(url)
    admin = [f"--host={parts.hostname or '127.0.0.1'}", f"--port={parts.port or 5432}",
             f"--username={parts.username or 'postgres'}"]
    subprocess.run(["psql", *admin, "-qc", f"CREATE DATABASE {name}", "postgres"], check=True)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", "")), name


def drop(name: str) -> None:
    parts = urlsplit(os.environ["DATABASE_URL"])
    subprocess.run(["psql", f"--host={parts.hostname or '127.0.0.1'}", f"--port={parts.port or 5432}",
                    f"--username={parts.username or 'postgres'}", "-qc", f"DROP DATABASE IF EXISTS {name}",
                    "postgres"], check=False)


def wait_ready(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url}/healthz within {seconds:.0f} s")


def percentile_row(stats_csv: Path) -> dict:
    with stats_csv.open(encoding="utf-8") as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1), "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]), "max_ms": round(float(total["Max Response Time"]), 1),
        "per_request": {name: {"count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                               "p50_ms": float(row["50%"]), "p99_ms": float(row["99%"])}
                        for name, row in rows.items() if name != "Aggregated"},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the shortened form for CI")
    for name in FULL:
        parser.add_argument(f"--{name}", type=int)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (database, logs)")
    options = parser.parse_args()
    size = {name: getattr(options, name) or (SHORT if options.short else FULL)[name] for name in FULL}
    since = time.monotonic()
    if not (BIN / "gunicorn").exists():
        raise SystemExit("the load test serves with gunicorn: pip install -e '.[prod]' (make soak does)")
    work = Path(tempfile.mkdtemp(prefix="urbangrid-load-"))
    url, dropped = database(work)
    env = {**os.environ, "DATABASE_URL": url, "URBANGRID_VAR_DIR": str(work / "var"), "DEBUG": "False",
           "API_RATE_LIMIT": "100000000", "DJANGO_SETTINGS_MODULE": "urbangrid.settings",
           "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}  # this checkout's code, not the venv's
    server = None
    try:
        log(f"database {'PostgreSQL' if dropped else 'SQLite'}, {size}", since)
        subprocess.run([BIN / "urbangrid", "migrate", "--no-input", "-v", "0"], env=env, check=True)
        open_cases = max(1_000, size["cases"] // 100)
        subprocess.run([BIN / "urbangrid", "generate", "--scale", "ci", "--cases", str(size["cases"]),
                        "--open", str(open_cases), "-v", "0"], env=env, check=True)
        log(f"city and {size['cases']:,} cases made", since)
        plan = work / "plan.json"
        plan.write_text(subprocess.run([sys.executable, HERE / "prepare.py"], env=env, check=True,
                                       capture_output=True, text=True).stdout)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # The production server: Django's runserver (a development server) drops connections under this load.
        command = [BIN / "gunicorn", "urbangrid.wsgi", "--workers", str(size["workers"]), "--threads", "4",
                   "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"]
        server = subprocess.Popen(command, env=env, cwd=work, stdout=(work / "server.log").open("w"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
        wait_ready(base)
        log(f"server up ({Path(command[0]).name}, {size['workers']} workers) on {base}", since)
        acks = work / "acks.json"
        users = size["operators"] + size["collectors"]
        load_before = os.getloadavg()
        subprocess.run([BIN / "locust", "-f", HERE / "locustfile.py", "--headless", "--host", base,
                        "-u", str(users), "-r", str(max(1, users // 20)), "-t", f"{size['seconds']}s",
                        "--csv", work / "locust", "--only-summary", "--stop-timeout", "30",
                        "--loglevel", "WARNING"],
                       env={**env, "LOAD_PLAN": str(plan), "LOAD_ACKS": str(acks),
                            "LOAD_OPERATORS": str(size["operators"])}, check=False)
        load_after = os.getloadavg()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
        server = None
        stats = percentile_row(work / "locust_stats.csv")
        with (work / "locust_failures.csv").open(encoding="utf-8") as file:
            stats["failure_kinds"] = [f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:300]}"
                                      for row in csv.DictReader(file)]
        checked = json.loads(subprocess.run([sys.executable, HERE / "verify.py", plan, acks], env=env, check=True,
                                            capture_output=True, text=True).stdout.strip().splitlines()[-1])
        result = {"size": size, "database": "postgresql" if dropped else "sqlite", **stats, "nothing_lost": checked,
                  "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
                  "loadavg_1_5_15_after": [round(x, 2) for x in load_after], "cpus": os.cpu_count()}
        print(json.dumps(result, ensure_ascii=False, indent=1))
        log("done", since)
        lost = checked["missing"] + checked["duplicated"] + checked["wrong_case"]
        return 1 if stats["failures"] or lost or not checked["acknowledged"] else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
        if dropped:
            drop(dropped)
        if options.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
