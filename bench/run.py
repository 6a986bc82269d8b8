"""Run every bench/bench_*.py module's main() and fail if any goal fails (`make bench`)."""

import importlib.util
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import common  # noqa: E402


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


def main() -> int:
    started = time.perf_counter()
    paths = sorted(BENCH.glob("bench_*.py"))
    if not paths:
        print("no bench/bench_*.py modules found")
        return 1
    crashed = [path.name for path in paths if not run_module(path)]
    rows = common.REPORTED
    print(f"\n{len(rows)} goals from {len(paths)} modules in {time.perf_counter() - started:.0f} s:")
    for row in rows:
        print(f"  {'pass' if row.passed else 'FAIL'}  {row.goal}: ratio {row.ratio:.3f} (target ≤ {row.target_ratio})")
    for name in crashed:
        print(f"  FAIL  {name} crashed before reporting its goals")
    failed = [row for row in rows if not row.passed]
    print(f"results: {common.RESULTS.relative_to(BENCH.parent)}")
    return 1 if failed or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
