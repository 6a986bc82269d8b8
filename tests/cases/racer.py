"""One of several processes racing on the same database (tests/cases/test_processes.py starts them).

    python -m tests.cases.racer dispatch START USER_ID DEPARTMENT_ID CASE_ID:VERSION …
    python -m tests.cases.racer worker START

Each waits until the epoch second START, so they all begin together, then prints one JSON line.
"""

import json
import sys
import time


def main() -> None:
    import django

    django.setup()
    mode, start = sys.argv[1], float(sys.argv[2])
    time.sleep(max(0.0, start - time.time()))
    if mode == "dispatch":
        print(json.dumps(dispatch(int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])))
    else:
        from django.core.management import call_command

        call_command("worker", "--once", verbosity=0)
        print(json.dumps({"worker": "done"}))


def dispatch(user_id: int, department_id: int, cases: list[str]) -> dict:
    from urbangrid.accounts.models import User
    from urbangrid.cases import actions
    from urbangrid.cases.errors import StaleCase

    user, won, lost = User.objects.get(pk=user_id), [], []
    for item in cases:
        case_id, version = map(int, item.split(":"))
        try:
            actions.act(case_id, user, "dispatch", version, department_id=department_id, reason="并发派遣")
            won.append(case_id)
        except StaleCase:
            lost.append(case_id)
    return {"won": won, "lost": lost}


if __name__ == "__main__":
    main()
