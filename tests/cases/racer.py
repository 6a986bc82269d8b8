"""One of several processes racing on the same database (tests/cases/test_processes.py starts them).

    python -m tests.cases.racer dispatch START USER_ID DEPARTMENT_ID CASE_ID:VERSION …
    python -m tests.cases.racer worker START
    python -m tests.cases.racer burst START COLLECTOR_ID OPERATOR_ID LON LAT   (until killed)

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
    elif mode == "burst":
        burst(int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]))
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


def burst(collector_id: int, operator_id: int, lon: float, lat: float) -> None:
    """Report and accept, report and accept … as fast as possible, until the test kills the process."""
    from urbangrid.accounts.models import User
    from urbangrid.cases import actions

    collector, operator = User.objects.get(pk=collector_id), User.objects.get(pk=operator_id)
    n = 0
    while True:
        n += 1
        case, _ = actions.report(collector, source="collector", kind="matter", class_code="06001",
                                 description=f"第{n}处", lon=lon, lat=lat)
        actions.act(case.pk, operator, "accept", case.version)


if __name__ == "__main__":
    main()
