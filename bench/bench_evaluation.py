"""Evaluation reports from the maintained counters, against DuckDB, on SQLite and PostgreSQL.

Like bench_cases.py, each database runs in a process of its own (`python bench/bench_evaluation.py --database
URL --cases N` prints its goals as JSON on its last line) in a throwaway database migrated from scratch.

Data (fixed seed): SCALE cases of three years (300,000 by default, SCALE=city for 10,000,000, or a number)
in a city the size of Zhengzhou's grid (116,159 unit grids in 13 districts), 30 classes, 15 departments,
4 sources, 200 collectors. Each case is one row of flags (reported, accepted, opened, dispatched, handled on
time or late, closed on time or late, reworked, extended, suspended, voided, returned) drawn at fixed rates.
What the event receiver would have written for it goes into the counters the way it would: the intake
events under (report day, grid, no class, no department, source), 立案 under the class, and the
department's events under (the day of handling, grid, class, department, source); the per-post counters get
the collectors' 有效上报. The baseline is DuckDB (in memory) over the raw case rows.

Goals, per database:
- full year, all fact counts, by district × department × month plus per collector: ours (the report's SQL
  on the counters) against DuckDB's GROUP BY over the case rows (≤ 4×), and against 1 s and 50 ms;
- one month, the same: against 100 ms;
- one event's counter upsert (what intake adds) against a bare one-row INSERT into a table of the same
  shape, committed alike.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import processes
from common import Goal, compare, report, time_per_call
from processes import log, postgres_server

SEED = 20261129
SCALES = {"ci": 300_000, "city": 10_000_000}
RESULT = "BENCH_EVALUATION_RESULT "
FIRST_DAY = date(2024, 1, 1)
DAYS = 3 * 365
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH = (date(2025, 11, 1), date(2025, 11, 30))
GRIDS, DISTRICTS, CLASSES, DEPARTMENTS, COLLECTORS = 116_159, 13, 30, 15, 200
SOURCES = ("collector", "hotline", "public", "system")
RATES = {  # of all cases
    "accepted": 0.97, "opened": 0.90, "dispatched": 0.88, "handled": 0.84, "handled_on_time": 0.76,
    "closed": 0.82, "closed_on_time": 0.74, "reworked": 0.03, "extended": 0.04, "parked": 0.01,
    "voided": 0.02, "returned": 0.05,
}
DEPARTMENT_COUNTS = ("dispatched", "handled", "handled_on_time", "closed", "closed_on_time", "closed_late",
                     "reworked", "extended", "parked", "returned")


def scale() -> int:
    value = os.getenv("SCALE", "ci").strip().lower()
    return SCALES[value] if value in SCALES else int(value.replace(",", "").replace("_", ""))


def main() -> list[Goal]:
    since = time.perf_counter()
    cases = scale()
    print(f"bench_evaluation: reports over {cases:,} cases (SCALE={os.getenv('SCALE', 'ci')})")
    rows: list[Goal] = []
    work = Path(tempfile.mkdtemp(prefix="urbangrid-bench-evaluation-"))
    try:
        rows += run_worker(f"sqlite:///{work / 'bench.sqlite3'}", cases, work, since)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    server = postgres_server()
    if server is None:
        log("PostgreSQL: nothing to connect to, skipped", since)
    else:
        rows += run_on_postgres(server, cases, since)
    report(rows)
    return rows


def run_worker(url: str, cases: int, work: Path, since: float) -> list[Goal]:
    return processes.run_worker(__file__, url, ["--cases", str(cases)], work, RESULT, since)


def run_on_postgres(server: str, cases: int, since: float) -> list[Goal]:
    def run(url: str, work: Path) -> list[Goal]:
        return run_worker(url, cases, work, since)

    return processes.on_throwaway_postgres(server, f"urbangrid_bench_eval_{os.getpid()}", run, since)


# ---------------------------------------------------------------------------------------------------------------
# The worker


def make_cases(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    grid = rng.integers(0, GRIDS, n)
    draw = rng.random(n)  # one draw for the steps in order: a case that was closed was also dispatched, …
    nested = ("accepted", "opened", "dispatched", "handled", "handled_on_time", "closed", "closed_on_time")
    flags = {name: (draw < RATES[name]).astype(np.int32) for name in nested}
    for name in ("reworked", "extended", "parked", "voided", "returned"):
        flags[name] = (rng.random(n) < RATES[name]).astype(np.int32)
    flags["closed_late"] = flags["closed"] - flags["closed_on_time"]
    day = rng.integers(0, DAYS, n)
    return {
        "day": day, "handled_day": np.minimum(day + rng.integers(0, 4, n), DAYS - 1),
        "district": grid % DISTRICTS, "grid": grid, "klass": rng.integers(1, CLASSES + 1, n),
        "department": rng.integers(1, DEPARTMENTS + 1, n), "source": rng.choice(4, n, p=[0.7, 0.15, 0.1, 0.05]),
        "collector": rng.integers(1, COLLECTORS + 1, n), **flags,
    }


def grid_code(i: int) -> str:
    district = i % DISTRICTS
    rest = i // DISTRICTS
    return f"4101{district + 1:02d}{rest // 1000 % 1000:03d}{rest // 100 % 10:03d}{rest % 100:03d}"


def duckdb_table(cases: dict[str, np.ndarray]):
    import duckdb

    con = duckdb.connect()
    con.register("frame", dict(cases))
    first = FIRST_DAY.isoformat()
    con.execute(f"CREATE TABLE cases AS SELECT * EXCLUDE (day, handled_day), DATE '{first}' + day::INTEGER AS day, "
                f"DATE '{first}' + handled_day::INTEGER AS handled_day FROM frame")
    con.unregister("frame")
    return con


def tally_rows(con) -> tuple[list[tuple], list[tuple]]:
    """The counter rows the event receiver would have written for these cases (DuckDB does the grouping)."""
    sums = ", ".join(f"sum({c})" for c in DEPARTMENT_COUNTS)
    intake = con.execute(
        "SELECT day, grid, 0, 0, source, count(*), sum(CASE WHEN source IN (1, 2) THEN 1 ELSE 0 END), "
        "sum(accepted) FROM cases GROUP BY ALL").fetchall()
    opened = con.execute(
        "SELECT day, grid, klass, 0, source, sum(opened), sum(voided) FROM cases WHERE opened = 1 GROUP BY ALL"
    ).fetchall()
    handling = con.execute(
        f"SELECT handled_day, grid, klass, department, source, {sums} FROM cases WHERE dispatched = 1 GROUP BY ALL"
    ).fetchall()
    zeros = (0,) * len(DEPARTMENT_COUNTS)
    rows: dict[tuple, list] = {}
    for day, grid, klass, dept, source, reported, public, accepted in intake:
        rows[(day, grid, klass, dept, source)] = [reported, public, accepted, 0, 0, *zeros]
    for day, grid, klass, dept, source, opened_n, voided in opened:
        rows.setdefault((day, grid, klass, dept, source), [0, 0, 0, 0, 0, *zeros])[3:5] = [opened_n, voided]
    for day, grid, klass, dept, source, *counts in handling:
        row = rows.setdefault((day, grid, klass, dept, source), [0, 0, 0, 0, 0, *zeros])
        row[5:] = [int(c) for c in counts]
    tally = [(d, grid_code(g), k, dp, SOURCES[s], *map(int, v)) for (d, g, k, dp, s), v in rows.items()]
    posts = con.execute(
        "SELECT day, collector, sum(opened) FROM cases WHERE opened = 1 AND source = 0 GROUP BY ALL").fetchall()
    return tally, [(d, u, "collector", int(n)) for d, u, n in posts]


TALLY_COLUMNS = ("day", "grid_code", "class_id", "department_id", "source", "reported", "public_reported",
                 "accepted", "opened", "voided", *DEPARTMENT_COUNTS)


def load(tally: list[tuple], posts: list[tuple], since: float) -> None:
    from django.db import connection, transaction

    from urbangrid.core import evaluation as core
    from urbangrid.evaluation.models import PostTally, Tally

    rest = [n for n in core.FACT_NAMES if n not in TALLY_COLUMNS]
    columns = (*TALLY_COLUMNS, *rest)
    padding = (0,) * len(rest)
    table, q = Tally._meta.db_table, connection.ops.quote_name
    sql = f"INSERT INTO {q(table)} ({', '.join(map(q, columns))}) VALUES ({', '.join(['%s'] * len(columns))})"
    post_rest = [n for n in core.POST_NAMES if n != "valid_reports"]
    post_columns = ("day", "user_id", "post", "valid_reports", *post_rest)
    post_sql = (f"INSERT INTO {q(PostTally._meta.db_table)} ({', '.join(map(q, post_columns))}) "
                f"VALUES ({', '.join(['%s'] * len(post_columns))})")
    post_rows = [(*row, *(0,) * len(post_rest)) for row in posts]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: executemany would take minutes
            connection.ensure_connection()
            raw = connection.connection.cursor()
            for name, cols, rows in ((table, columns, ((*r, *padding) for r in tally)),
                                     (PostTally._meta.db_table, post_columns, post_rows)):
                with raw.copy(f"COPY {q(name)} ({', '.join(map(q, cols))}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            for start in range(0, len(tally), 50_000):
                cursor.executemany(sql, [(*row, *padding) for row in tally[start:start + 50_000]])
            cursor.executemany(post_sql, post_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"{len(tally):,} counter rows and {len(posts):,} rows of posts written", since)


def our_report(first: date, last: date) -> tuple[list, list]:
    """What the report pages read, by district × department × month, plus the per-collector table: the
    monthly sums for the months that are over and rolled up, the daily counters for the rest."""
    from django.db.models import CharField, Sum
    from django.db.models.functions import Cast, Substr

    from urbangrid.core import evaluation as core
    from urbangrid.evaluation import rollup
    from urbangrid.evaluation.models import PostTally, Tally, TallyMonth

    sums = {f"s_{n}": Sum(n) for n in core.FACT_NAMES}
    months, days = rollup.split(core.period("custom", first, last), rollup.rolled_months())
    facts = list(TallyMonth.objects.filter(month__in=months).values("district", "department_id", "month")
                 .annotate(**sums))
    for day_first, day_last in days:
        # 'YYYY-MM' of the ISO date: native on both databases (TruncMonth is a Python function on SQLite)
        facts += list(Tally.objects.filter(day__gte=day_first, day__lte=day_last)
                      .values("department_id", district=Substr("grid_code", 1, 6),
                              month=Substr(Cast("day", CharField()), 1, 7))
                      .annotate(**sums))
    posts = (PostTally.objects.filter(day__gte=first, day__lte=last).values("user_id", "post")
             .annotate(**{f"s_{n}": Sum(n) for n in core.POST_NAMES}))
    return facts, list(posts)


def duck_report(con, first: date, last: date) -> tuple[list, list]:
    sums = ", ".join(f"sum({c})" for c in (*RATES, "closed_late"))
    facts = con.execute(
        f"SELECT district, department, date_trunc('month', day) AS m, count(*), {sums} FROM cases "
        "WHERE day BETWEEN ? AND ? GROUP BY ALL", [first, last]).fetchall()
    posts = con.execute(
        "SELECT collector, sum(opened), count(*) FROM cases WHERE source = 0 AND day BETWEEN ? AND ? GROUP BY ALL",
        [first, last]).fetchall()
    return facts, posts


def bench_upsert(name: str) -> Goal:
    """One event's counter upsert against a bare insert of a row of the same shape, each in its own commit."""
    from collections import Counter

    from django.db import connection, transaction

    from urbangrid.evaluation import counting
    from urbangrid.evaluation.models import FACT_KEY, Tally

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (day date, grid_code varchar(15), class_id integer, "
                       "department_id integer, source varchar(12), reported integer)")
    rng = np.random.default_rng(SEED + 1)
    keys = [(date(2026, 11, 29), grid_code(int(g)), 0, 0, "collector") for g in rng.integers(0, GRIDS, 100_000)]
    position = {"ours": 0, "bare": 0}

    def ours():
        for _ in range(200):
            key = keys[position["ours"] % len(keys)]
            position["ours"] += 1
            with transaction.atomic():
                counting.bump(Tally, FACT_KEY, key, Counter(reported=1))

    def bare():
        for _ in range(200):
            key = keys[position["bare"] % len(keys)]
            position["bare"] += 1
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_bare VALUES (%s, %s, %s, %s, %s, 1)",
                               [connection.ops.adapt_datefield_value(key[0]), *key[1:]])

    mine, base = compare(ours, bare, batches=5)
    return Goal(f"{name}: counter upsert per event vs a bare one-row insert", mine / 200 * 1e6, base / 200 * 1e6,
                "µs/event", 2.0)


def worker(url: str, cases: int) -> list[dict]:
    since = time.perf_counter()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.introspection.table_names():
        raise SystemExit(f"{processes.safe(url)} is not empty: give the benchmark a new database")
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor] + f", {cases:,} cases"
    print(f" {name}:", flush=True)
    call_command("migrate", verbosity=0)
    log("migrated", since)
    rng = np.random.default_rng(SEED)
    data = make_cases(cases, rng)
    con = duckdb_table(data)
    log("case rows in DuckDB", since)
    tally, posts = tally_rows(con)
    load(tally, posts, since)
    from urbangrid.cases import clock
    from urbangrid.evaluation import rollup

    clock.now = lambda: datetime(2027, 1, 1, 12, tzinfo=UTC)  # the three years are over
    rolled = rollup.roll_up_past()
    log(f"{len(rolled)} months rolled up into the monthly sums (the worker does one a month)", since)
    year_ours, year_duck = compare(lambda: our_report(*YEAR), lambda: duck_report(con, *YEAR), batches=5)
    month_ours = time_per_call(lambda: our_report(*MONTH), batches=5)
    rows = [
        Goal(f"{name}: full-year report from the counters vs DuckDB GROUP BY on the case rows", year_ours * 1e3,
             year_duck * 1e3, "ms", 4.0),
        Goal(f"{name}: full-year report from the counters, vs 1 s", year_ours * 1e3, 1000, "ms", 1.0),
        Goal(f"{name}: full-year report from the counters, vs 50 ms", year_ours * 1e3, 50, "ms", 1.0),
        Goal(f"{name}: one month from the counters, vs 100 ms", month_ours * 1e3, 100, "ms", 1.0),
        bench_upsert(name),
    ]
    return [{"goal": r.goal, "ours": r.ours, "baseline": r.baseline, "unit": r.unit,
             "target_ratio": r.target_ratio} for r in rows]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="run one database's benchmark (a worker process) and print JSON")
    parser.add_argument("--cases", type=int, default=None)
    arguments = parser.parse_args()
    if arguments.database:
        print(RESULT + json.dumps(worker(arguments.database, arguments.cases or scale())), flush=True)
        sys.exit(0)
    sys.exit(0 if all(row.passed for row in main()) else 1)
