"""Case intake and the overdue sweep on a real database: SQLite always, PostgreSQL when a server is reachable.

Django has one default database per process, so each database is benchmarked in a process of its own
(`python bench/bench_cases.py --database URL --cases N`, which prints its goals as JSON on its last line);
main() makes the throwaway databases (a temporary SQLite file; `urbangrid_bench_<pid>` on the server of
DATABASE_URL or on 127.0.0.1:5432), runs the processes, reports their goals and drops the databases.

Data, made here from a fixed seed, in a database migrated from scratch:
- a city of 904 unit grids (≈9 km²): the small city of tests.factories (金水区 ▸ 经八路街道 ▸ 省委社区, 4 grids)
  and 9 more communities of 10 × 10 grids; the cast of tests.cases (监督员 Li reports) grown to a district's
  staff: 15 departments of 5 handlers each, sharing the 30 matter classes used here, and 4 dispatchers,
  3 shift leaders and 5 intake operators in the centres; a street office, and four dispatch rules;
- SCALE cases of the past three years (200,000 by default, `ci`; SCALE=city for 10,000,000, or a number), written
  by the benchmark city's generator (urbangrid.demo.history: binary COPY on PostgreSQL, executemany on SQLite, the
  indexes rebuilt after), with one report event each and their counters: 95 % closed, rejected or voided, 5 %
  open in a handling or centre state. The open cases' deadlines are spread over the three years (the backlog),
  a sixth of them within a week of now (the work in hand; see NEAR_NOW). Reports arrive at an even rate, so the
  last 72 hours hold their share for the duplicate check;
- 3,000 reports by the collector at random points of the city, of 30 classes with Zipf weights, one in ten
  within 20 m of an earlier report of the same class; each carries an idempotency key, as the app sends.

Goals, per database:
- backfill: the generator's whole history write (cases with their place and number, report events, day
  sequences, counters, index rebuild) against the issue's 30,000 cases/s;
- intake: actions.report() (locate, duplicate check, case number, insert case, first event, suggested
  dispatch; one durable transaction per report) against the issue's rate (2,000/s SQLite, 1,000/s PostgreSQL),
  and against a bare one-row INSERT of a case row committed on its own (the floor of any durable intake);
- sweep: sweep.passed_between() for 1,000 random one-minute windows (a list of ids) against the raw
  indexed SELECT it needs on the DB-API cursor (median of each), and the whole sweep() run for 300
  consecutive minutes (both windows, the inbox messages, the mark) against the issue's 20 ms (median).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]  # common, and tests.factories / tests.cases.helpers for the cast

import processes  # noqa: E402
from common import Goal, compare, report  # noqa: E402
from processes import log, postgres_server  # noqa: E402

from urbangrid.demo.mixes import OPEN_STATES, TERMINAL_STATES  # noqa: E402, F401 - bench_pages reads them here

SEED = 20261201
SCALES = {"ci": 200_000, "city": 10_000_000}
RESULT = "BENCH_CASES_RESULT "
STARTED = time.time()  # main() resets it; the workers log on this clock

# intake
INTAKE_BATCH = 500  # reports per timed batch; one warm-up batch and INTAKE_BATCHES timed ones
INTAKE_BATCHES = 5
INTAKE_TARGET_PER_S = {"sqlite": 2_000, "postgresql": 1_000}
# Both commit once. A report writes three rows (case, event, the day's sequence) and reads about a dozen
# small indexed ones, together some 5 bare inserts' worth of database work; twice that leaves the ORM's Python
# as much again. (The issue's own rates ask for 2–3× on the machines measured so far: see bench/README.md.)
BARE_TARGET = 10.0
REPEATS = 0.1  # share of reports made within 20 m of an earlier report of the same class
CLASSES = 30

# backfill (the generator's history) and sweep
BACKFILL_PER_S = 30_000  # issue 8: history backfill ≥ 30,000 cases/s including location and hierarchy
OPEN_SHARE = 0.05
# The deadlines a sweep finds: at 5,000,000 cases in three years the city takes ~4,600 reports a day; with ~6
# timed steps per case and ~10 % of them running late, ~1.9 deadlines pass per minute with the case still in
# the step. A sixth of the open cases' deadlines within a week of now gives ~2.1 a minute (0.2 at 500,000).
NEAR_NOW = 1 / 6
YEARS = 3
WINDOWS = 1_000  # one-minute windows timed for passed_between
SWEEPS = 300  # consecutive one-minute sweep() calls
SWEEP_BUDGET_MS = 20.0
RAW_TARGET = 2.0

# The city: the small city's 2 × 2 grids at the north-west corner, then a 3 × 3 block of communities of
# 10 × 10 grids to the east of it (tests.factories.CELL squares, columns from ORIGIN eastwards).
COMMUNITY_GRIDS = 10
COMMUNITY_BLOCKS = 3
FIRST_COLUMN = 2

EXTRA_DEPARTMENTS = (
    "住建局", "交通运输局", "水利局", "环保局", "城管局", "燃气公司", "供电公司", "通信公司", "自来水公司", "公安分局",
    "市场监管局", "卫健委",
)
DESCRIPTIONS = ("路边堆放建筑垃圾", "人行道占道经营", "井盖破损", "绿化带缺株", "违规张贴小广告", "路灯不亮", "积水")


# ---------------------------------------------------------------------------------------------------------------
# The parent: throwaway databases, one process per database, the report.


def scale() -> int:
    value = os.getenv("SCALE", "ci").strip().lower()
    return SCALES[value] if value in SCALES else int(value.replace(",", "").replace("_", ""))


def main() -> list[Goal]:
    global STARTED
    since, STARTED = time.perf_counter(), time.time()
    cases = scale()
    print(f"bench_cases: intake and the overdue sweep over {cases:,} cases (SCALE={os.getenv('SCALE', 'ci')})")
    rows: list[Goal] = []
    failed: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="urbangrid-bench-cases-"))
    try:
        rows += run_worker(f"sqlite:///{work / 'bench.sqlite3'}", cases, work, since)
    except RuntimeError as error:
        failed.append(str(error))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    server = postgres_server()
    if server is None:
        log("PostgreSQL: no DATABASE_URL and nothing listening on 127.0.0.1:5432, skipped", since)
    else:
        try:
            rows += run_on_postgres(server, cases, since)
        except RuntimeError as error:
            failed.append(str(error))
    report(rows)
    if failed:  # after reporting the other database's goals; bench/run.py counts this module as crashed
        raise RuntimeError("; ".join(failed))
    return rows


def run_worker(url: str, cases: int, var_dir: Path, since: float) -> list[Goal]:
    arguments = ["--cases", str(cases), "--started", str(STARTED)]
    if os.getenv("BENCH_PROFILE"):
        arguments.append("--profile")
    return processes.run_worker(__file__, url, arguments, var_dir, RESULT, since)


def run_on_postgres(server: str, cases: int, since: float) -> list[Goal]:
    def run(url: str, work: Path) -> list[Goal]:
        return run_worker(url, cases, work, since)

    return processes.on_throwaway_postgres(server, f"urbangrid_bench_{os.getpid()}", run, since)


# ---------------------------------------------------------------------------------------------------------------
# The worker: one database, set up from scratch.


def worker(url: str, cases: int, profile: bool, started: float) -> list[dict]:
    since = time.perf_counter() - (time.time() - started)  # log on the parent's clock
    os.environ["DATABASE_URL"] = url  # settings read it at setup; never the developer's own database
    if "URBANGRID_VAR_DIR" not in os.environ:  # run by hand: keep the secret key and static dir out of ./var
        os.environ["URBANGRID_VAR_DIR"] = tempfile.mkdtemp(prefix="urbangrid-bench-cases-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.introspection.table_names():
        message = "is not empty: the benchmark writes millions of rows; give it a new database"
        raise SystemExit(f"{processes.safe(url)} {message}")
    # Nobody logs in; PBKDF2 would spend a quarter of a second on each of the ~80 people made here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vendor = connection.vendor
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[vendor]
    print(f" {name}:", flush=True)
    call_command("migrate", verbosity=0)
    log("migrated", since)
    rng = np.random.default_rng(SEED)
    city = make_city()
    log(f"city of {len(city.grids):,} grids, the cast, {len(city.classes)} classes, rules", since)
    now = datetime.now(UTC).replace(microsecond=0)
    backfill = load_cases(city, cases, now, rng, since)
    rows = [backfill]
    rows += bench_sweep(city, name, cases, now, rng, since)  # first: the sweep's windows must not meet the reports
    rows += bench_intake(city, name, cases, rng, since, profile)
    return [
        {"goal": r.goal, "ours": r.ours, "baseline": r.baseline, "unit": r.unit, "target_ratio": r.target_ratio}
        for r in rows
    ]


class City:
    def __init__(self, areas, cast, classes, grids, bounds, departments):
        self.areas, self.cast, self.classes, self.grids, self.bounds = areas, cast, classes, grids, bounds
        self.departments = departments


def make_city() -> City:
    import shapely

    from tests.cases.helpers import make_cast
    from tests.factories import (
        CELL,
        ORIGIN,
        OrganisationFactory,
        UserFactory,
        appoint,
        make_area,
        make_small_city,
        square,
    )
    from urbangrid.catalog.models import CatalogClass
    from urbangrid.dispatch.models import DispatchRule
    from urbangrid.grid.versions import bump

    areas = make_small_city()
    street = areas["street"]
    grids = [areas[f"grid{n}"].code for n in range(1, 5)]
    side = COMMUNITY_GRIDS
    for block in range(COMMUNITY_BLOCKS * COMMUNITY_BLOCKS):
        col0, row0 = FIRST_COLUMN + (block % COMMUNITY_BLOCKS) * side, (block // COMMUNITY_BLOCKS) * side
        west, north = ORIGIN[0] + col0 * CELL, ORIGIN[1] - row0 * CELL
        shape = shapely.box(west, north - side * CELL, west + side * CELL, north)
        community = make_area(f"{street.code}{block + 2:03d}", f"社区{block + 2}", shape, street)
        for n in range(side * side):
            code = f"{community.code}{n + 1:03d}"
            make_area(code, f"第{n + 1}网格", square(col0 + n % side, row0 + n // side), community)
            grids.append(code)
    bump("areas")
    cast = make_cast(areas)
    # A district's staff, not a test's: 15 departments of 5 handlers each, and more people in the centres.
    departments = [cast.shizheng, cast.yuanlin, cast.law]
    departments += [OrganisationFactory(name=f"金水区{name}") for name in EXTRA_DEPARTMENTS]
    for department in departments[3:]:
        department.territory.set([areas["district"]])
    staff = [(f"h{d}-{n}", "department_handler", org) for d, org in enumerate(departments) for n in range(4 + (d >= 3))]
    staff += [(f"d{n}", "dispatcher", cast.command) for n in range(3)]
    staff += [(f"s{n}", "shift_leader", cast.supervision) for n in range(2)]
    staff += [(f"w{n}", "intake_operator", cast.supervision) for n in range(4)]
    for username, post, organisation in staff:
        appoint(UserFactory(username=username, display_name=username), post, organisation)
    step = max(1, CatalogClass.objects.filter(kind="matter", active=True).count() // CLASSES)
    classes = list(CatalogClass.objects.filter(kind="matter", active=True).order_by("code")[::step][:CLASSES])
    for i, department in enumerate(departments):
        department.responsibilities.set(classes[i::len(departments)])
    OrganisationFactory(kind="street_office", name="经八路街道办事处", area=street, party_type="territory")
    DispatchRule.objects.create(name="紧急 → 市政局", priority=10, urgency="urgent", department=cast.shizheng)
    DispatchRule.objects.create(
        name="绿化 → 园林局", priority=20, class_codes=",".join(c.code for c in classes[15:18]),
        department=cast.yuanlin,
    )
    DispatchRule.objects.create(name="区内 → 主管部门", priority=50, area_prefix="410105", party="competent")
    DispatchRule.objects.create(name="其余 → 属地", priority=90, party="territory")
    columns = FIRST_COLUMN + COMMUNITY_BLOCKS * side
    bounds = (ORIGIN[0], ORIGIN[1] - COMMUNITY_BLOCKS * side * CELL, ORIGIN[0] + columns * CELL, ORIGIN[1])
    return City(areas, cast, classes, grids, bounds, departments)


def grid_codes(city: City, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The grid code of each point (the layout is regular); points west of the communities fall in the
    small city's 2 × 2 grids, or in none north-south of them (None)."""
    from tests.factories import CELL, ORIGIN

    col = np.floor((lon - ORIGIN[0]) / CELL).astype(int)
    row = np.floor((ORIGIN[1] - lat) / CELL).astype(int)
    codes = np.full(lon.size, None, dtype=object)
    side = COMMUNITY_BLOCKS * COMMUNITY_GRIDS
    small = (col >= 0) & (col < FIRST_COLUMN) & (row >= 0) & (row < 2)
    codes[small] = [f"410105001001{1 + c + 2 * r:03d}" for c, r in zip(col[small], row[small], strict=True)]
    big = (col >= FIRST_COLUMN) & (col < FIRST_COLUMN + side) & (row >= 0) & (row < side)
    c, r = col[big] - FIRST_COLUMN, row[big]
    block = (c // COMMUNITY_GRIDS) + (r // COMMUNITY_GRIDS) * COMMUNITY_BLOCKS
    n = (c % COMMUNITY_GRIDS) + (r % COMMUNITY_GRIDS) * COMMUNITY_GRIDS
    codes[big] = [f"410105001{b + 2:03d}{k + 1:03d}" for b, k in zip(block, n, strict=True)]
    return codes


def random_points(city: City, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    west, south, east, north = city.bounds
    lons, lats, codes = [], [], []
    while sum(map(len, lons)) < n:
        lon, lat = rng.uniform(west, east, n), rng.uniform(south, north, n)
        found = grid_codes(city, lon, lat)
        keep = found != None  # noqa: E711 - element-wise on an object array
        lons.append(lon[keep])
        lats.append(lat[keep])
        codes.append(found[keep])
    return np.concatenate(lons)[:n], np.concatenate(lats)[:n], np.concatenate(codes)[:n]


def zipf_weights(n: int) -> np.ndarray:
    weights = 1 / np.arange(1, n + 1)
    return weights / weights.sum()


# ---------------------------------------------------------------------------------------------------------------
# SCALE cases of the past three years, written with raw SQL.

def stamp_format(vendor: str):
    """Seconds since the epoch → the value the backend stores (the generator's; bench_pages uses it)."""
    from urbangrid.demo.history import _stamps

    return _stamps(vendor)


def _drop_indexes(vendor: str) -> list[str]:
    """The case table's plain indexes dropped, their DDL (the generator's; bench_pages uses it)."""
    from urbangrid import db

    return db.drop_indexes("cases_case")


def history_spec(city: City, total: int, now: int):
    """The generator's history for this benchmark: OPEN_SHARE open over the whole span, their deadlines spread
    as the sweep needs (NEAR_NOW), the benchmark's classes, matters only."""
    from urbangrid.demo.history import Spec

    return Spec(total=total, open=round(total * OPEN_SHARE), years=YEARS, seed=SEED, now=now, open_among=total,
                spread_deadlines=True, near_now=NEAR_NOW, matter_classes=[c.pk for c in city.classes],
                components=False)


def load_cases(city: City, total: int, now: datetime, rng: np.random.Generator, since: float) -> Goal:
    """The history, by urbangrid.demo.history (the benchmark city's generator); the backfill goal."""
    from django.db import connection

    from urbangrid.demo import generate

    written = generate.make_history(history_spec(city, total, int(now.timestamp())))
    seconds = sum(written.seconds[k] for k in ("write", "index", "counters"))
    log(f"{total:,} cases, events and counters written and indexed in {seconds:.1f} s "
        f"({total / seconds:,.0f} cases/s; {', '.join(f'{k} {v:.1f} s' for k, v in written.seconds.items())})",
        since)
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    return Goal(f"backfill on {name}, {total:,} cases: history (cases, events, counters, indexes) vs 30,000/s",
                seconds / total * 1e6, 1e6 / BACKFILL_PER_S, "µs/case", 1.0)


# ---------------------------------------------------------------------------------------------------------------
# Intake.


def report_inputs(city: City, n: int, rng: np.random.Generator) -> list[dict]:
    from tests.factories import CELL

    lon, lat, _codes = random_points(city, n, rng)
    classes = rng.choice(len(city.classes), n, p=zipf_weights(len(city.classes)))
    inputs = []
    for i in range(n):
        x, y, k = float(lon[i]), float(lat[i]), int(classes[i])
        if i and rng.random() < REPEATS:  # the same problem seen again: an earlier report's class, ≤ 20 m off
            earlier = inputs[int(rng.integers(0, i))]
            k = earlier["k"]
            x = earlier["lon"] + rng.uniform(-0.14, 0.14) * CELL
            y = earlier["lat"] + rng.uniform(-0.12, 0.12) * CELL
            if grid_codes(city, np.array([x]), np.array([y]))[0] is None:  # jittered off the city's edge
                x, y = earlier["lon"], earlier["lat"]
        inputs.append({
            "k": k, "source": "collector", "kind": "matter", "class_code": city.classes[k].code,
            "description": DESCRIPTIONS[i % len(DESCRIPTIONS)], "lon": round(x, 7), "lat": round(y, 7),
            "urgency": "urgent" if rng.random() < 0.05 else "normal", "idempotency_key": f"bench-{i:06d}",
        })
    return inputs


def bench_intake(city: City, name: str, cases: int, rng: np.random.Generator, since: float,
                 profile: bool) -> list[Goal]:
    from django.db import connection

    from urbangrid.cases import actions
    from urbangrid.cases.models import Case

    vendor, li = connection.vendor, city.cast.li
    total = INTAKE_BATCH * (INTAKE_BATCHES + 1 + profile)  # a warm-up batch, and the profiled one
    inputs = iter(report_inputs(city, total, rng))
    created = []

    def ours():
        for _ in range(INTAKE_BATCH):
            fields = dict(next(inputs))
            del fields["k"]
            _case, new = actions.report(li, **fields)
            created.append(new)

    from urbangrid.demo import history

    columns = history.CASE_COLUMNS[1:]  # the table gives the id
    bare_rows = iter(row[1:] for row in history.case_rows(history_spec(city, total, int(time.time())), 0, total))
    number_at, state_at, klass_at = (columns.index(c) for c in ("number", "state", "klass_id"))
    marks = ", ".join(["?" if vendor == "sqlite" else "%s"] * len(columns))
    insert = f"INSERT INTO cases_case ({', '.join(columns)}) VALUES ({marks})"
    connection.ensure_connection()
    raw = connection.connection.cursor()  # the DB-API cursor: autocommit, so one commit per row

    def bare():
        for _ in range(INTAKE_BATCH):
            row = list(next(bare_rows))
            # A case nobody will find: its own number, rejected, no class (outside duplicate checks and sweeps).
            row[number_at], row[state_at], row[klass_at] = "X" + row[number_at], "rejected", None
            raw.execute(insert, row)

    if profile:
        _profile(ours, since)
    ours_s, bare_s = compare(ours, bare, batches=INTAKE_BATCHES)
    raw.close()
    per_report_us, bare_us = ours_s / INTAKE_BATCH * 1e6, bare_s / INTAKE_BATCH * 1e6
    flagged = Case.objects.filter(idempotency_key__contains=":bench-", suspected_duplicate_of__isnull=False).count()
    if not all(created):
        raise AssertionError("a report with a fresh idempotency key returned an existing case")
    log(f"intake: {1e6 / per_report_us:,.0f} reports/s ({per_report_us:,.0f} µs each), bare insert "
        f"{bare_us:,.0f} µs; {flagged / len(created):.1%} of {len(created):,} reports flagged as probable duplicates",
        since)
    target, size = INTAKE_TARGET_PER_S[vendor], f"{cases:,} cases"
    return [
        Goal(f"intake on {name}, {size}: report(), vs the {target:,}/s target", per_report_us, 1e6 / target,
             "µs/report", 1.0),
        Goal(f"intake on {name}, {size}: report() vs a bare one-row insert", per_report_us, bare_us, "µs/report",
             BARE_TARGET),
    ]


def _profile(fn, since: float) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    log(f"profile of {INTAKE_BATCH} reports (cumulative):", since)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)


# ---------------------------------------------------------------------------------------------------------------
# The overdue sweep.


def bench_sweep(city: City, name: str, cases: int, now: datetime, rng: np.random.Generator,
                since: float) -> list[Goal]:
    from django.db import connection

    from urbangrid.cases import sweep

    vendor = connection.vendor
    mark = "?" if vendor == "sqlite" else "%s"
    handling, centre = ", ".join([mark] * len(sweep.HANDLING)), ", ".join([mark] * len(sweep.CENTRE))
    sql = (
        f"SELECT id FROM cases_case WHERE (state IN ({handling}) AND due_at > {mark} AND due_at <= {mark}) "
        f"OR (state IN ({centre}) AND step_due_at > {mark} AND step_due_at <= {mark})"
    )
    adapt = connection.ops.adapt_datetimefield_value
    raw = connection.connection.cursor()

    def ours(start: datetime, end: datetime) -> list[int]:
        return sweep.passed_between(start, end)

    def baseline(start: datetime, end: datetime):
        """The hand-written SELECT for the window on the DB-API cursor (parameters made untimed)."""
        a, b = adapt(start), adapt(end)
        params = [*sweep.HANDLING, a, b, *sweep.CENTRE, a, b]

        def run() -> list[int]:
            raw.execute(sql, params)
            return [row[0] for row in raw.fetchall()]

        return run

    explain = "EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN "
    query = sweep.PASSED_SQL
    params = [*sweep.HANDLING, adapt(now), adapt(now), *sweep.CENTRE, adapt(now), adapt(now)]
    with connection.cursor() as cursor:
        cursor.execute(explain + query, params)
        plan = [row[-1] for row in cursor.fetchall()]
    print("  plan of passed_between():", " | ".join(line.strip() for line in plan), flush=True)
    offsets = rng.integers(-7 * 86400, 7 * 86400 - 60, WINDOWS)
    windows = [(now + timedelta(seconds=int(s)), now + timedelta(seconds=int(s) + 60)) for s in offsets]
    times: dict[str, list[int]] = {"ours": [], "raw": []}
    found = 0
    for i, (start, end) in enumerate(windows):
        calls = [("ours", partial(ours, start, end)), ("raw", baseline(start, end))]
        results = []
        for label, fn in calls[i % 2:] + calls[:i % 2]:  # alternate the order from one window to the next
            began = time.perf_counter_ns()
            results.append(sorted(fn()))
            times[label].append(time.perf_counter_ns() - began)
        if not results[0] == results[1]:
            raise AssertionError(f"passed_between disagrees with the raw query on ({start}, {end}]")
        found += len(results[0])
    raw.close()
    ours_ms, raw_ms = (statistics.median(times[k]) / 1e6 for k in ("ours", "raw"))
    log(f"passed_between: median {ours_ms:.3f} ms, the bare SELECT on the DB-API cursor {raw_ms:.3f} ms; "
        f"{found / WINDOWS:.2f} cases per window", since)
    sweep_ms, counts = time_sweeps(now - timedelta(days=3))
    log(f"sweep(): median {sweep_ms:.2f} ms, 95th percentile {counts['p95']:.2f} ms, max {counts['max']:.2f} ms; "
        f"{counts['overdue']} overdue and {counts['escalated']} escalated in {SWEEPS} sweeps", since)
    size = f"{cases:,} cases"
    return [
        Goal(f"sweep on {name}, {size}: passed_between() vs raw indexed SQL", ours_ms, raw_ms, "ms/window",
             RAW_TARGET),
        Goal(f"sweep on {name}, {size}: sweep() each minute, vs 20 ms", sweep_ms, SWEEP_BUDGET_MS, "ms/sweep", 1.0),
    ]


def time_sweeps(start: datetime) -> tuple[float, dict]:
    from urbangrid.cases import sweep
    from urbangrid.cases.models import SweepMark

    SweepMark.objects.update_or_create(name=sweep.NAME, defaults={"swept_until": start})
    sweep.sweep(start + timedelta(seconds=30))  # warm-up: the first query of each kind
    times, overdue, escalated = [], 0, 0
    for minute in range(1, SWEEPS + 1):
        began = time.perf_counter_ns()
        result = sweep.sweep(start + timedelta(seconds=30 + 60 * minute))
        times.append((time.perf_counter_ns() - began) / 1e6)
        overdue, escalated = overdue + result.overdue, escalated + result.escalated
    times.sort()
    return statistics.median(times), {
        "p95": times[int(len(times) * 0.95)], "max": times[-1], "overdue": overdue, "escalated": escalated,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="run one database's benchmark (a worker process) and print JSON")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--profile", action="store_true", help="cProfile one batch of reports")
    parser.add_argument("--started", type=float, default=time.time(), help="the parent's start (epoch seconds)")
    arguments = parser.parse_args()
    if arguments.database:
        found = worker(arguments.database, arguments.cases or scale(), arguments.profile, arguments.started)
        print(RESULT + json.dumps(found), flush=True)
        sys.exit(0)
    sys.exit(0 if all(row.passed for row in main()) else 1)
