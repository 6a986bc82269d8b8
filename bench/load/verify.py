"""Nothing lost: every report the server acknowledged exists exactly once, as the case it answered with.

python bench/load/verify.py PLAN ACKS → prints one JSON line {"acknowledged", "found_once", "missing",
"duplicated", "wrong_case", "cases", "events"}; run in the load test's environment after the server stopped.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")
django.setup()

from urbangrid.cases.models import Case, CaseEvent  # noqa: E402


def main(plan_path: str, acks_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    acks = json.loads(Path(acks_path).read_text(encoding="utf-8"))
    answered = {f"{plan['collector_id']}:{key}": case_id for key, case_id in acks}
    found: Counter = Counter()
    ids: dict[str, int] = {}
    keys = list(answered)
    for start in range(0, len(keys), 500):
        for key, pk in Case.objects.filter(idempotency_key__in=keys[start:start + 500]).values_list(
                "idempotency_key", "pk"):
            found[key] += 1
            ids[key] = pk
    result = {
        "acknowledged": len(acks), "distinct_keys": len(answered),
        "found_once": sum(1 for key in answered if found[key] == 1),
        "missing": sum(1 for key in answered if found[key] == 0),
        "duplicated": sum(1 for key in answered if found[key] > 1),
        "wrong_case": sum(1 for key, pk in answered.items() if found[key] == 1 and ids[key] != pk),
        "cases": Case.objects.count(), "events": CaseEvent.objects.count(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:3])
