"""Run by tests/scale/test_replica.py in a process of its own (Django has one set of databases per process):
`python replica_probe.py migrate|reads|fallback` with DATABASE_URL (the primary) and DATABASE_REPLICA_URL set.
Prints one JSON line: where each query went."""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.settings")

import django

django.setup()

from django.db import connections  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from urbangrid import dbrouter  # noqa: E402


def captured(fn, aliases=("default", "replica")):
    """(result, {alias: [sql, …]}) of fn()."""
    contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}
    for context in contexts.values():
        context.__enter__()
    try:
        result = fn()
    finally:
        for context in contexts.values():
            context.__exit__(None, None, None)
    return result, {alias: [q["sql"] for q in c.captured_queries] for alias, c in contexts.items()}


def reads() -> dict:
    from datetime import date

    from urbangrid.accounts.models import User
    from urbangrid.evaluation.models import Tally
    from urbangrid.grid.models import Area

    out = {}
    with dbrouter.replica_reads() as on_replica:
        out["on_replica"] = on_replica
        _, out["write_inside"] = captured(lambda: Tally.objects.create(
            day=date(2026, 11, 1), grid_code="410105001001001", source="collector", reported=7))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the replica has replayed the write
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM evaluation_tally WHERE reported = 7")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.2)
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        out["replica_in_recovery"] = cursor.fetchone()[0]
    with dbrouter.replica_reads():
        out["count_inside"], out["read_inside"] = captured(lambda: Tally.objects.filter(reported=7).count())
        _, out["user_read_inside"] = captured(lambda: User.objects.filter(username="nobody").exists())
        out["report_fetch_inside"] = report_fetch()
    out["map_tallies_primary_untouched"] = map_tallies()
    out["count_outside"], out["read_outside"] = captured(lambda: Tally.objects.filter(reported=7).count())
    out["report_fetch_outside"] = report_fetch()

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(str(Area.objects.count()))

    handler = dbrouter.middleware(view)
    factory = RequestFactory()
    _, out["map_get"] = captured(lambda: handler(factory.get("/map/areas")))
    _, out["map_post"] = captured(lambda: handler(factory.post("/map/areas")))
    _, out["other_get"] = captured(lambda: handler(factory.get("/work/")))
    return out


def map_tallies() -> bool:
    """The map's open cases per area inside replica_reads (a raw read past the ORM): True if the primary was
    not even connected to."""
    from django.utils import timezone

    from urbangrid.maps import caselayer

    caselayer.forget_tallies()
    connections["default"].close()
    with dbrouter.replica_reads() as on_replica:
        assert on_replica
        caselayer.tallies(timezone.now())
    return connections["default"].connection is None


def report_fetch() -> list:
    """The evaluation report's raw read (report.fetch: straight from the driver, past Django's query log), with
    the server saying whether it is a standby: [[reported, in recovery], …]."""
    from django.db.models import Sum
    from django.db.models.expressions import RawSQL

    from urbangrid.evaluation import report
    from urbangrid.evaluation.models import Tally

    rows = (Tally.objects.filter(reported=7).values("grid_code")
            .annotate(n=Sum("reported"), standby=RawSQL("pg_is_in_recovery()", [])))
    return [[row["n"], row["standby"]] for row in report.fetch(rows)]


def fallback() -> dict:
    from urbangrid.evaluation.models import Tally

    out = {}
    with dbrouter.replica_reads() as on_replica:
        out["on_replica"] = on_replica
        out["count_inside"], out["read_inside"] = captured(lambda: Tally.objects.filter(reported=7).count(),
                                                           aliases=("default",))
        out["report_fetch_inside"] = report_fetch()
    out["replica_connected"] = connections["replica"].connection is not None
    return out


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        result = {"migrated": True}
    else:
        result = {"reads": reads, "fallback": fallback}[step]()
    print("PROBE " + json.dumps(result), flush=True)
