"""Handling deadlines on the working calendar, against the minute-by-minute reference they must equal.

Data, made here from a fixed seed, on the chinesecalendar data (2004–2026) plus one override in 2027, which
the package does not cover:
- 100,000 checked cases: starts clustered around the holidays and 调休 days of 2025–2026 and the New Year of
  2027, a third of them given in UTC, every unit, a suspension in two cases of five (some still running) and an
  extension in one of four. deadline() must equal reference_deadline() on every one, warnings included.
- 2,000 timed cases in a realistic mix: 5 % suspended once, 5 % extended once, the rest plain.

Goals: the median time of one deadline against the issue's budget of 2 µs, and the mean time against the
reference on the same cases.
"""

import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from chinese_calendar import constants

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Goal, compare, report

from urbangrid.core.deadlines import Pause, TimeLimit, deadline, reference_deadline
from urbangrid.core.limits import LimitUnit
from urbangrid.core.workcalendar import SHANGHAI, WorkCalendar

SEED = 20260215
CHECKED_CASES = 100_000
TIMED_CASES = 2_000
REFERENCE_TIMED_CASES = 200
BUDGET_US = 2.0
REFERENCE_TARGET = 0.01
CALENDAR = WorkCalendar(constants.holidays, constants.workdays, overrides={date(2027, 2, 8): False})

HOTSPOTS = [date(2025, 1, 20), date(2025, 9, 24), date(2026, 2, 8), date(2026, 9, 15), date(2026, 12, 24)]
LIMITS = [
    (LimitUnit.URGENT_HOURS, (1, 2, 4, 24, 48)),
    (LimitUnit.WORK_HOURS, (0.5, 1, 2, 4, 8, 16)),
    (LimitUnit.WORK_DAYS, (0.5, 1, 2, 3, 5, 10)),
    (LimitUnit.CALENDAR_DAYS, (1, 3, 7)),
]


def log(message: str, since: float) -> None:
    print(f"  [{time.perf_counter() - since:6.1f} s] {message}", flush=True)


def random_start(rng: random.Random) -> datetime:
    origin = rng.choice(HOTSPOTS) if rng.random() < 0.7 else date(2025, 1, 1) + timedelta(days=rng.randrange(760))
    start = datetime(origin.year, origin.month, origin.day, tzinfo=SHANGHAI)
    start += timedelta(seconds=rng.randrange(21 * 86400))
    return start.astimezone(UTC) if rng.random() < 0.3 else start


def random_limit(rng: random.Random) -> TimeLimit:
    unit, values = rng.choice(LIMITS)
    return TimeLimit(rng.choice(values), unit)


def random_pause(rng: random.Random, start: datetime) -> Pause:
    begin = start + timedelta(minutes=rng.randrange(-1440, 6 * 1440))
    return Pause(begin, None if rng.random() < 0.1 else begin + timedelta(minutes=rng.randrange(4 * 1440)))


def checked_case(rng: random.Random) -> tuple:
    start = random_start(rng)
    pauses = [random_pause(rng, start) for _ in range(rng.choice((0, 0, 0, 1, 2)))]
    extensions = [random_limit(rng) for _ in range(rng.choice((0, 0, 0, 1)))]
    return start, random_limit(rng), pauses, extensions


def timed_case(rng: random.Random) -> tuple:
    start = random_start(rng)
    pauses = [random_pause(rng, start)] if rng.random() < 0.05 else []
    extensions = [random_limit(rng)] if rng.random() < 0.05 else []
    return start, random_limit(rng), pauses, extensions


def mismatches(cases: list[tuple]) -> list[tuple]:
    return [case for case in cases if deadline(*case[:2], CALENDAR, *case[2:]) != reference(case)]


def reference(case: tuple):
    return reference_deadline(*case[:2], CALENDAR, *case[2:])


def check_equality(rng: random.Random, since: float) -> None:
    cases = [checked_case(rng) for _ in range(CHECKED_CASES)]
    workers = os.cpu_count() or 1
    chunks = [cases[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        wrong = [case for chunk in pool.map(mismatches, chunks) for case in chunk]
    unknown = sum(deadline(*case[:2], CALENDAR, *case[2:]).at is None for case in cases[:10_000])
    warned = sum(bool(deadline(*case[:2], CALENDAR, *case[2:]).warnings) for case in cases[:10_000])
    print(f"  of the first 10,000: {unknown:,} left open by a running suspension, {warned:,} with warnings")
    if wrong:
        raise AssertionError(f"{len(wrong):,} of {len(cases):,} deadlines differ from the reference, e.g. {wrong[0]}")
    log(f"deadline() equals the reference on {len(cases):,} cases ({workers} processes)", since)


def median_per_case(cases: list[tuple], repeat: int = 50) -> tuple[float, float]:
    """Median and 90th percentile over cases of the seconds one deadline takes (median of 3 batches)."""
    per_case = []
    for start, limit, pauses, extensions in cases:
        batches = []
        for _ in range(3):
            began = time.perf_counter_ns()
            for _ in range(repeat):
                deadline(start, limit, CALENDAR, pauses, extensions)
            batches.append((time.perf_counter_ns() - began) / repeat / 1e9)
        per_case.append(statistics.median(batches))
    per_case.sort()
    return statistics.median(per_case), per_case[int(len(per_case) * 0.9)]


def bench_speed(rng: random.Random, since: float) -> list[Goal]:
    cases = [timed_case(rng) for _ in range(TIMED_CASES)]
    median_s, p90_s = median_per_case(cases)
    log(f"median {median_s * 1e6:.2f} µs, 90th percentile {p90_s * 1e6:.2f} µs per deadline", since)
    sample = cases[:REFERENCE_TIMED_CASES]

    def ours():
        for case in sample:
            deadline(*case[:2], CALENDAR, *case[2:])

    def slow():
        for case in sample:
            reference(case)

    ours_s, slow_s = compare(ours, slow, batches=3)
    log("fast and reference on the same cases", since)
    return [
        Goal("deadline: median of one case, vs the 2 µs budget", median_s * 1e6, BUDGET_US, "µs/deadline", 1.0),
        Goal(
            "deadline vs minute-by-minute reference",
            ours_s / len(sample) * 1e6,
            slow_s / len(sample) * 1e6,
            "µs/deadline",
            REFERENCE_TARGET,
        ),
    ]


def main() -> list[Goal]:
    since = time.perf_counter()
    print("bench_deadlines: handling deadlines on the working calendar")
    rng = random.Random(SEED)
    check_equality(rng, since)
    rows = bench_speed(rng, since)
    report(rows)
    return rows


if __name__ == "__main__":
    sys.exit(0 if all(row.passed for row in main()) else 1)
