"""The evaluation pages on an existing city: `DATABASE_URL=… python bench/evaluation_pages.py [user]`.

Not a bench_* module (make bench does not run it): it reads a database built beforehand, typically the benchmark
city of `urbangrid generate --scale city`, and times the real page (`GET /evaluation/?kind=…&day=…&by=…`:
table, summary, the 12-period trend, the ranking chart) through Django's test client as a leader (the demo's
zheng.lingdao by default): one warm-up, the median of 5, wall time and this process's CPU time. Periods are
counted back from today, so "current" means not yet over. Figures: bench/README.md (bench_evaluation).
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
from django.test import Client  # noqa: E402

from urbangrid.accounts.models import User  # noqa: E402


def pages(today: date) -> list[tuple[str, str]]:
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    year, last_year = today.replace(month=1, day=1), today.replace(year=today.year - 1, month=1, day=1)
    week = today - timedelta(days=today.weekday())
    custom = f"kind=custom&day={today - timedelta(days=250)}&last={today - timedelta(days=9)}"
    return [
        ("current month (not over), by district", f"kind=month&day={month}&by=district"),
        ("current month, by department", f"kind=month&day={month}&by=department"),
        ("current month, by post", f"kind=month&day={month}&by=post"),
        ("current year, by district", f"kind=year&day={year}&by=district"),
        ("current year, by department", f"kind=year&day={year}&by=department"),
        ("last full year, by district", f"kind=year&day={last_year}&by=district"),
        ("last full year, by post", f"kind=year&day={last_year}&by=post"),
        ("last month, by district", f"kind=month&day={last_month}&by=district"),
        ("current week, by district", f"kind=week&day={week}&by=district"),
        ("custom range of 240 days, by district", f"{custom}&by=district"),
    ]


def main() -> int:
    settings.DEBUG = False
    client = Client()
    client.force_login(User.objects.get(username=sys.argv[1] if len(sys.argv) > 1 else "zheng.lingdao"))
    print(f"load average {os.getloadavg()[0]:.2f}")
    urls = [(name, f"/evaluation/?{query}") for name, query in pages(date.today())]
    for name, url in [*urls, ("public page", "/evaluation/public/")]:
        response = client.get(url)
        if response.status_code != 200:
            print(f"{name}: {url} answered {response.status_code}")
            return 1
        walls, cpus = [], []
        for _ in range(5):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(f"{name:45s} {1000 * statistics.median(walls):8.1f} ms wall  "
              f"{1000 * statistics.median(cpus):7.1f} ms CPU (this process)", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
