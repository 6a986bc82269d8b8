"""The evaluation pages on an existing city: `DATABASE_URL=… python bench/evaluation_pages.py [--user U] [--limit S]`.

Not a bench_* module (make bench does not run it): it reads a database built beforehand, typically the benchmark
city of `urbangrid generate`, and times the real pages through Django's test client as a leader (the demo's
zheng.lingdao by default):
- the report (`GET /evaluation/?kind=…&day=…&by=…`: table, summary, the 12-period trend, the ranking chart) for
  every period kind and dimension;
- the drill-down to the cases behind a number (`/evaluation/cases/?…`) for a district, a department and a person;
- the accountability report (art. 32), the XLSX export and the public page.
One warm-up, then the median of 5 (wall time and this process's CPU time); a page whose warm-up takes longer
than a second is timed once more and reported as such, and one that takes longer than --limit seconds is cut
off and reported as a timeout. Periods are counted back from today, so "current" means not yet over. Figures:
bench/README.md (bench_evaluation).
"""

import argparse
import contextlib
import os
import signal
import statistics
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from urbangrid.accounts.models import User  # noqa: E402
from urbangrid.cases.models import Case  # noqa: E402


class TooSlow(Exception):
    pass


def _too_slow(*_args):
    raise TooSlow


def reports(today: date) -> list[tuple[str, str]]:
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
        ("last full year, by street", f"kind=year&day={last_year}&by=street"),
        ("last full year, by community", f"kind=year&day={last_year}&by=community"),
        ("last full year, by class", f"kind=year&day={last_year}&by=class"),
        ("last full year, by source", f"kind=year&day={last_year}&by=source"),
        ("last month, by district", f"kind=month&day={last_month}&by=district"),
        ("last month, by street", f"kind=month&day={last_month}&by=street"),
        ("last month, by grid", f"kind=month&day={last_month}&by=grid"),
        ("current week, by district", f"kind=week&day={week}&by=district"),
        ("current week, by source", f"kind=week&day={week}&by=source"),
        ("custom range of 240 days, by district", f"{custom}&by=district"),
        ("custom range of 240 days, by street", f"{custom}&by=street"),
    ]


def behind(today: date) -> list[tuple[str, str]]:
    """Drill-downs and the other report pages; keys taken from the city's newest case and its department."""
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    last_year = today.replace(year=today.year - 1, month=1, day=1)
    grid, = Case.objects.order_by("-id").values_list("grid_code", flat=True)[:1]
    department = Case.objects.exclude(department_id=None).order_by("-id").values_list("department_id", flat=True)[0]
    collector = Case.objects.filter(source="collector").order_by("-id").values_list("reporter_id", flat=True)[0]
    district = grid[:6]
    pages = []
    # 上报 has cases behind it in any city; on a generated one (one report event a case) the others are empty.
    for n in ("reported", "accepted", "closed", "closed_on_time", "reworked", "overdue_unhandled", "due_to_close"):
        pages.append((f"cases behind {n}, last month, a district",
                      f"/evaluation/cases/?kind=month&day={last_month}&by=district&key={district}&n={n}"))
    pages += [
        ("cases behind reported, last full year, a district",
         f"/evaluation/cases/?kind=year&day={last_year}&by=district&key={district}&n=reported"),
        ("cases behind accepted, last full year, a district",
         f"/evaluation/cases/?kind=year&day={last_year}&by=district&key={district}&n=accepted"),
        ("cases behind closed, last month, a department",
         f"/evaluation/cases/?kind=month&day={last_month}&by=department&key={department}&n=closed"),
        ("cases behind missed, last full year, a collector",
         f"/evaluation/cases/?kind=year&day={last_year}&by=post&key={collector}:collector&n=missed"),
        ("accountability, current month", f"/evaluation/accountability/?kind=month&day={month}"),
        ("accountability, last month", f"/evaluation/accountability/?kind=month&day={last_month}"),
        ("accountability, last full year", f"/evaluation/accountability/?kind=year&day={last_year}"),
        ("XLSX export, last month", f"/evaluation/export.xlsx?kind=month&day={last_month}"),
        ("public page (published bulletins and rankings)", "/evaluation/public/"),
    ]
    return pages


def timed(client: Client, url: str, limit: int) -> tuple[float, float, int]:
    """(wall s, CPU s, status) of one GET, cut off after `limit` seconds."""
    signal.alarm(limit)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        status = client.get(url).status_code
    finally:
        signal.alarm(0)
    return time.perf_counter() - wall, time.process_time() - cpu, status


def _abandon_query() -> None:
    """After a timeout the connection is still inside the cut-off query: cancel it and start afresh."""
    for connection in connections.all():
        raw = connection.connection
        if raw is not None and hasattr(raw, "cancel"):
            with contextlib.suppress(Exception):  # a connection in any state: it is closed next anyway
                raw.cancel()
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="zheng.lingdao")
    parser.add_argument("--limit", type=int, default=120, help="seconds before a page counts as a timeout")
    args = parser.parse_args()
    settings.DEBUG = False
    signal.signal(signal.SIGALRM, _too_slow)
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    print(f"{Case.objects.count():,} cases; load average {os.getloadavg()[0]:.2f}")
    today = date.today()
    failed = 0
    for name, url in [*[(n, f"/evaluation/?{q}") for n, q in reports(today)], *behind(today)]:
        try:
            wall, _cpu, status = timed(client, url, args.limit)
            if status != 200:
                print(f"{name}: {url} answered {status}")
                failed += 1
                continue
            runs = [timed(client, url, args.limit) for _ in range(5 if wall < 1 else 1)]
        except TooSlow:
            print(f"{name:52s}  timeout after {args.limit} s", flush=True)
            _abandon_query()
            failed += 1
            continue
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        how = "median of 5" if len(runs) == 5 else "once"
        print(f"{name:52s} {1000 * statistics.median(walls):9.1f} ms wall {1000 * statistics.median(cpus):8.1f} ms CPU"
              f"  ({how})", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
