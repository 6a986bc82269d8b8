"""The drill-down and accountability pages on an existing city: `DATABASE_URL=… python bench/drilldown_pages.py
[user]`.

Not a bench_* module (make bench does not run it): like bench/evaluation_pages.py it reads a database built
beforehand (`urbangrid generate --scale ci --cases 1000000`, or `--scale city`) and times the real pages through
Django's test client as a leader (zheng.lingdao by default): `GET /evaluation/cases/?…` (the first page of the
cases behind one number: last month and last year, by district and by department, for 上报, 受理, 结案, 按期结案,
返工, 超期未处置, 应结案) and `GET /evaluation/accountability/?…` (this month, last month, last year). One warm-up
run, then the median of 3 (the warm-up alone when it takes more than 3 s), wall time.
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from urbangrid.accounts.models import User  # noqa: E402
from urbangrid.cases.models import Case  # noqa: E402

INDICATORS = ("reported", "accepted", "closed", "closed_on_time", "reworked", "overdue_unhandled", "due_to_close")


def pages(today: date) -> list[tuple[str, str]]:
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    last_year = today.replace(year=today.year - 1, month=1, day=1)
    district = Case.objects.values_list("grid_code", flat=True).first()[:6]
    department = (Case.objects.exclude(department=None).values("department").annotate(n=Count("id"))
                  .order_by("-n").values_list("department", flat=True).first())
    found = []
    for label, period in (("last month", f"kind=month&day={last_month}"), ("last year", f"kind=year&day={last_year}")):
        for by, key in (("district", district), ("department", department)):
            for name in INDICATORS:
                found.append((f"cases {label} {by} {name}", f"/evaluation/cases/?{period}&by={by}&key={key}&n={name}"))
    for label, period in (("this month", f"kind=month&day={month}"), ("last month", f"kind=month&day={last_month}"),
                          ("last year", f"kind=year&day={last_year}")):
        found.append((f"accountability {label}", f"/evaluation/accountability/?{period}"))
    return found


def main() -> int:
    setup_test_environment()  # the client records the templates' context: the count shown
    settings.DEBUG = False
    client = Client(raise_request_exception=True)
    client.force_login(User.objects.get(username=sys.argv[1] if len(sys.argv) > 1 else "zheng.lingdao"))
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    print(f"load average {os.getloadavg()[0]:.2f}; {Case.objects.count():,} cases", flush=True)
    for name, url in pages(date.today()):
        if only not in name:
            continue
        wall = time.perf_counter()
        try:
            response = client.get(url)
        except Exception as error:  # a page that fails is a figure too
            print(f"{name:50s} {1000 * (time.perf_counter() - wall):9.1f} ms  failed: {error}", flush=True)
            continue
        first = time.perf_counter() - wall
        if response.status_code != 200:
            print(f"{name}: {url} answered {response.status_code}")
            return 1
        walls = [first]
        if first < 3:
            walls = []
            for _ in range(3):
                wall = time.perf_counter()
                client.get(url)
                walls.append(time.perf_counter() - wall)
        context = response.context
        count = context["count"] if context is not None and "count" in context else "-"
        print(f"{name:50s} {1000 * statistics.median(walls):9.1f} ms  ({count} cases)", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
