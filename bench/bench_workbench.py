"""The operators' workbench on a big city: the server time of each page against the issue's 200 ms.

Data: bench_pages' (the demo city of Zhengzhou without its cases, with the demo logins, then SCALE cases with
their report events written by raw SQL: 1,000,000 by default, SCALE=ci for 100,000 in the demo's small scope, or
a number), so both benchmarks measure the same city. SQLite always, PostgreSQL when a server is reachable (a
throwaway database, as bench_cases does). Each database is set up in a process of its own.

Pages are requested in-process through Django's test client, signed in as the post that works them: the time
is the whole request (middleware, session, view, queries, template, the navigation's queue counts), what
the server spends on it. Median of REPEATS requests after one warm-up request.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import bench_pages  # noqa: E402
import processes  # noqa: E402
from common import Goal, report  # noqa: E402

SCALES = {"ci": 100_000, "city": 1_000_000}
BUDGET_MS = 200.0
REPEATS = 7
RESULT = "BENCH_WORKBENCH_RESULT "


def scale() -> int:
    value = os.getenv("SCALE", "city")
    return SCALES[value] if value in SCALES else int(value)


def main() -> list[Goal]:
    since, cases = time.perf_counter(), scale()
    print(f"bench_workbench: the workbench's pages over {cases:,} cases")
    rows: list[Goal] = []
    work = Path(tempfile.mkdtemp(prefix="urbangrid-bench-workbench-"))
    try:
        rows += run_worker(f"sqlite:///{work / 'bench.sqlite3'}", cases, work, since)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    server = processes.postgres_server()
    if server is not None:
        rows += on_postgres(server, cases, since)
    report(rows)
    return rows


def run_worker(url: str, cases: int, work: Path, since: float) -> list[Goal]:
    return processes.run_worker(__file__, url, ["--cases", str(cases)], work, RESULT, since)


def on_postgres(server: str, cases: int, since: float) -> list[Goal]:
    def run(url: str, work: Path) -> list[Goal]:
        return run_worker(url, cases, work, since)

    return processes.on_throwaway_postgres(server, f"urbangrid_bench_wb_{os.getpid()}", run, since)


def worker(cases: int) -> list[dict]:
    since = time.perf_counter()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.introspection.table_names():
        raise SystemExit("the database is not empty: the benchmark writes a million rows, give it a new one")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    print(f" {name}:", flush=True)
    call_command("migrate", verbosity=0)
    bench_pages.make_demo_city(small=cases < SCALES["city"])
    processes.log("demo city without cases", since)
    bench_pages.load_cases(cases, datetime.now(UTC).replace(microsecond=0), np.random.default_rng(1), since)
    return [
        {"goal": f"workbench {page} ({name}, {cases:,} cases)", "ours": ms, "baseline": BUDGET_MS, "unit": "ms",
         "target_ratio": 1.0}
        for page, ms in time_pages(since)
    ]


def time_pages(since: float) -> list[tuple[str, float]]:
    from django.test import Client

    from urbangrid.accounts.models import User
    from urbangrid.cases import clock, queries
    from urbangrid.cases.models import Case

    user = {name: User.objects.get(username=name) for name in (
        "wang.shouli", "zhao.zhiban", "sun.paiqian", "zhou.chuzhi", "wu.quzhihui", "li.jiandu")}
    wang, sun = user["wang.shouli"], user["sun.paiqian"]
    first = {state: Case.objects.filter(state=state).values_list("pk", flat=True).first()
             for state in ("reported", "open", "handling")}
    klass = Case.objects.filter(state="open").values_list("klass__code", flat=True).first()
    second = f"/work/queue/intake_operator/?after={queries.queue(wang, 'intake_operator', clock.now(), {})[1]}"
    pages = [
        ("my queues, intake operator", wang, "/work/"),
        ("queue of the intake operator", wang, "/work/queue/intake_operator/"),
        ("queue of the intake operator, page 2", wang, second),
        ("queue of the shift leader", user["zhao.zhiban"], "/work/queue/shift_leader/"),
        ("queue of the dispatcher", sun, "/work/queue/dispatcher/"),
        ("queue of the dispatcher, yellow only", sun, "/work/queue/dispatcher/?light=yellow"),
        ("queue of the dispatcher, area and class", sun, f"/work/queue/dispatcher/?area=410105&class_code={klass}"),
        ("queue of a department", user["zhou.chuzhi"], "/work/queue/department_handler/"),
        ("queue of the district centre", user["wu.quzhihui"], "/work/queue/district_operator/"),
        ("queue of a collector", user["li.jiandu"], "/work/queue/collector/"),
        ("queue table refresh (htmx)", wang, "/work/queue/intake_operator/#hx"),
        ("case file, intake operator", wang, f"/work/cases/{first['reported']}/"),
        ("case file, dispatcher (suggestion)", sun, f"/work/cases/{first['open']}/"),
        ("case file, handling", sun, f"/work/cases/{first['handling']}/"),
    ]
    found = []
    for page, who, url in pages:
        client = Client()
        client.force_login(who)
        headers = {"HX-Request": "true"} if url.endswith("#hx") else {}
        url = url.removesuffix("#hx")
        ms, cpu = _median_ms(lambda: _get(client, url, headers))  # noqa: B023 - called at once
        found.append((page, ms))
        processes.log(f"{page}: {ms:.1f} ms (CPU of this process {cpu:.1f} ms)", since)
    return found


def _get(client, url: str, headers: dict) -> None:
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")


def _median_ms(fn) -> tuple[float, float]:
    """(wall, CPU) milliseconds, medians. On a busy machine the wall time waits for the CPU; the CPU time of
    this process (the view, and SQLite's own work; not a PostgreSQL server's) shows what the page costs."""
    fn()
    walls, cpus = [], []
    for _ in range(REPEATS):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    parser.add_argument("--cases", type=int)
    arguments = parser.parse_args()
    if arguments.database is None:
        main()
    else:
        print(RESULT + json.dumps(worker(arguments.cases)), flush=True)
