"""Shared pieces of the benchmarks: timing, goal rows, and the results file.

Every goal is a ratio ours / baseline measured in the same run on the same data, so it does not
depend on the speed of the machine. Results go to bench/results/latest.json, a JSON list of rows
{"goal", "ours", "baseline", "unit", "ratio", "target_ratio", "pass"}; each benchmark replaces its
own rows and keeps the others'.
"""

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"

# Every row reported in this process, for bench/run.py to judge.
REPORTED: list["Goal"] = []


@dataclass(frozen=True)
class Goal:
    goal: str
    ours: float
    baseline: float
    unit: str
    target_ratio: float

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline

    @property
    def passed(self) -> bool:
        return self.ratio <= self.target_ratio

    def as_dict(self) -> dict:
        return {
            "goal": self.goal,
            "ours": round(self.ours, 6),
            "baseline": round(self.baseline, 6),
            "unit": self.unit,
            "ratio": round(self.ratio, 4),
            "target_ratio": self.target_ratio,
            "pass": self.passed,
        }


def _batch_seconds(fn: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(repeat):
        fn()
    return (time.perf_counter_ns() - start) / 1e9 / repeat


def time_per_call(fn: Callable[[], object], repeat: int = 1, batches: int = 5) -> float:
    """Seconds per call of fn: the median over batches of `repeat` calls, after one warm-up call."""
    fn()
    return statistics.median(_batch_seconds(fn, repeat) for _ in range(batches))


def compare(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    repeat: int = 1,
    batches: int = 5,
) -> tuple[float, float]:
    """Seconds per call of ours and of baseline, batches alternating so that drifts in machine speed
    (other processes, CPU clock) fall on both alike; the order inside a pair alternates too."""
    ours()
    baseline()
    ours_times: list[float] = []
    baseline_times: list[float] = []
    for batch in range(batches):
        pair = [(ours, ours_times), (baseline, baseline_times)]
        for fn, times in pair if batch % 2 == 0 else pair[::-1]:
            times.append(_batch_seconds(fn, repeat))
    return statistics.median(ours_times), statistics.median(baseline_times)


def report(rows: Sequence[Goal]) -> None:
    header = ("goal", "ours", "baseline", "unit", "ratio", "target", "result")
    lines = [
        (r.goal, f"{r.ours:.4g}", f"{r.baseline:.4g}", r.unit, f"{r.ratio:.3f}", f"≤ {r.target_ratio}", _verdict(r))
        for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    for line in (header, *lines):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
    REPORTED.extend(rows)
    _save(rows)


def _verdict(row: Goal) -> str:
    return "pass" if row.passed else "FAIL"


def _save(rows: Sequence[Goal]) -> None:
    try:
        kept = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        kept = []
    names = {r.goal for r in rows}
    merged = [row for row in kept if isinstance(row, dict) and row.get("goal") not in names]
    merged += [r.as_dict() for r in rows]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
