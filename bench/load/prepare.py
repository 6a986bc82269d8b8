"""Prints the load test's plan as JSON: API tokens of the demo posts, where collectors report, whom to dispatch to.

Run by run.py in the load test's own environment (DATABASE_URL, URBANGRID_VAR_DIR), after the city is made.
"""

import json
import os
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")
django.setup()

from urbangrid.accounts.models import Organisation, User  # noqa: E402
from urbangrid.api import tokens  # noqa: E402
from urbangrid.catalog.models import FilingCondition  # noqa: E402
from urbangrid.grid.models import Area  # noqa: E402

POSTS = {"intake": "wang.shouli", "shift": "zhao.zhiban", "dispatch": "sun.paiqian", "collector": "li.jiandu"}


def main() -> None:
    people = {role: User.objects.get(username=name) for role, name in POSTS.items()}
    plan = {"tokens": {role: tokens.issue(user, f"load-{role}", scope="write")[1] for role, user in people.items()},
            "collector_id": people["collector"].pk}
    boxes = Area.objects.filter(level="grid").values_list("min_lon", "min_lat", "max_lon", "max_lat")[:5000]
    points = [((w + e) / 2, (s + n) / 2) for w, s, e, n in boxes]  # a box's middle: inside nearly every grid
    random.Random(7).shuffle(points)
    plan["points"] = points[:500]
    # Matter classes whose first 立案条件 exists, so the shift leader can open what collectors report.
    plan["classes"] = sorted(set(FilingCondition.objects.filter(seq=1).values_list("matter__code", flat=True)))[:30]
    plan["departments"] = list(Organisation.objects.filter(kind="department", active=True).values_list("pk", flat=True))
    json.dump(plan, sys.stdout)


if __name__ == "__main__":
    main()
