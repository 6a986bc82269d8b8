"""Run every bench/bench_*.py module's main() and print one table of every goal (`make bench`).

SCALE=ci (the default here) or SCALE=city is passed on to every module. Exits non-zero if a goal fails or a
module crashes; with --check-baseline (.ci/run), if a module crashes or a goal's ratio is more than REGRESSION
worse than in bench/results/baseline.json (a goal missing from the baseline is reported, not failed).
--save-baseline writes this run's ratios into the baseline, replacing those goals and keeping the others (commit
it when a change makes things faster or slower on purpose).
"""

import argparse
import importlib.util
import json
import os
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import common  # noqa: E402

BASELINE = BENCH / "results" / "baseline.json"
REGRESSION = 0.30  # a ratio more than 30 % above the baseline's fails the CI run
# ... unless it stays below this share of its target: a ratio of 0.0004 against a target of 0.01 (a reference that
# is 2,000 times slower) moves by multiples with the reference's noise (measured: 5× between two runs under load),
# and a goal that far inside its target is not threatened.
NOISE_FLOOR = 0.5
# A regression is confirmed by running its modules once more: on a shared 2-core machine a single run's ratio has
# moved by a third with nothing changed (intake vs a bare insert on PostgreSQL: 4.75 then 6.37 in two quiet runs).
# Only a ratio that is worse both times fails.


def run_module(path: Path) -> bool:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # worker processes unpickle functions by module name
    try:
        spec.loader.exec_module(module)
        module.main()
    except Exception:
        traceback.print_exc()
        return False
    return True


def _baseline_rows(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []


def load_baseline(path: Path) -> dict[str, float]:
    """goal → its ratio, from ours / baseline (the stored ratio is rounded)."""
    return {row["goal"]: float(row["ours"]) / float(row["baseline"]) for row in _baseline_rows(path)}


def fixed_budgets(path: Path) -> dict[str, float]:
    """goal → its baseline, for every goal of the committed baseline: a goal whose baseline is the same number
    in this run is a fixed budget (200 ms a page, 2 µs a deadline), not a measurement."""
    return {row["goal"]: float(row["baseline"]) for row in _baseline_rows(path)}


def regressions(rows: list[common.Goal], baseline: dict[str, float]) -> dict[str, float]:
    """goal → its ratio against the baseline's, for the goals more than REGRESSION worse. Only ratios against a
    baseline measured in the same run count: a fixed budget's ratio is this machine's absolute speed of the
    moment (a 2 µs budget measured 1.8 then 2.7 µs in two quiet runs); its pass or fail is in the table."""
    budgets = fixed_budgets(BASELINE)
    worse = {}
    for row in rows:
        before = baseline.get(row.goal)
        if budgets.get(row.goal) == row.baseline:
            continue
        if before and row.ratio > before * (1 + REGRESSION) and row.ratio > row.target_ratio * NOISE_FLOOR:
            worse[row.goal] = row.ratio / before
    return worse


def table(rows: list[common.Goal], baseline: dict[str, float], crashed: list[str]) -> list[str]:
    header = ("goal", "ours", "baseline", "unit", "ratio", "target", "result", "vs committed")
    lines = []
    worse = regressions(rows, baseline)
    for r in rows:
        before = baseline.get(r.goal)
        change = f"{r.ratio / before:.2f}×" if before else "new"
        if r.goal in worse:
            change += " REGRESSION"
        verdict = "pass" if r.passed else "FAIL"
        lines.append((r.goal, f"{r.ours:.4g}", f"{r.baseline:.4g}", r.unit, f"{r.ratio:.3f}", f"≤ {r.target_ratio}",
                      verdict, change))
    lines += [(f"{name} crashed before reporting its goals", "", "", "", "", "", "FAIL", "") for name in crashed]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    return ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in (header, *lines)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-baseline", action="store_true",
                        help=f"fail on a ratio more than {REGRESSION:.0%} worse than bench/results/baseline.json")
    parser.add_argument("--save-baseline", action="store_true", help="write this run's goals as the baseline")
    parser.add_argument("--only", nargs="*", help="module names (bench_geo …) to run; all by default")
    arguments = parser.parse_args()
    os.environ.setdefault("SCALE", "ci")
    started = time.perf_counter()
    paths = sorted(BENCH.glob("bench_*.py"))
    if arguments.only:
        paths = [p for p in paths if p.stem in arguments.only]
    if not paths:
        print("no bench/bench_*.py modules found")
        return 1
    origin: dict[str, Path] = {}  # goal → the module that reported it
    crashed = []
    for path in paths:
        first = len(common.REPORTED)
        if not run_module(path):
            crashed.append(path.name)
        origin.update((row.goal, path) for row in common.REPORTED[first:])
    rows = common.REPORTED
    baseline = load_baseline(BASELINE)
    if arguments.check_baseline and (suspects := regressions(rows, baseline)):
        again = sorted({origin[goal] for goal in suspects})
        print(f"\nconfirming {len(suspects)} regression(s) by running {', '.join(p.stem for p in again)} again")
        first_run = {row.goal: row for row in rows}
        common.REPORTED[:] = [row for row in rows if origin[row.goal] not in again]
        crashed += [path.name for path in again if not run_module(path)]
        second = {row.goal: row for row in common.REPORTED}
        # worse only if worse twice: each goal keeps the better of its two runs
        common.REPORTED[:] = [min(row, second.get(goal, row), key=lambda r: r.ratio) for goal, row in first_run.items()]
        rows = common.REPORTED
    print(f"\nSCALE={os.environ['SCALE']}: {len(rows)} goals from {len(paths)} modules in "
          f"{time.perf_counter() - started:.0f} s")
    for line in table(rows, baseline, crashed):
        print(line)
    failed = [row for row in rows if not row.passed]
    worse = regressions(rows, baseline) if arguments.check_baseline else {}
    print(f"{len(rows) - len(failed)} pass, {len(failed)} fail, {len(crashed)} crashed"
          + (f", {len(worse)} regressed more than {REGRESSION:.0%} against {BASELINE.relative_to(BENCH.parent)}"
             if arguments.check_baseline else ""))
    print(f"results: {common.RESULTS.relative_to(BENCH.parent)}")
    if arguments.save_baseline:  # this run's goals replace theirs; the other modules' goals are kept
        names = {r.goal for r in rows}
        kept = [row for row in _baseline_rows(BASELINE) if row["goal"] not in names]
        BASELINE.write_text(json.dumps(kept + [r.as_dict() for r in rows], ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
        print(f"baseline written: {BASELINE.relative_to(BENCH.parent)}")
    if arguments.check_baseline:  # CI: crashes and regressions fail; goals that already failed before do not
        return 1 if crashed or worse else 0
    return 1 if failed or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
