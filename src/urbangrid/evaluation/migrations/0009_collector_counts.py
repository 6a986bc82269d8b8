"""Collectors' 上报数, 漏报 and 网格立案数 become maintained counts (PostTally, PostTallyMonth): count what the event
log already holds, as a recount would. Aggregated in the database (the 10,000,000-case city has ≈7,000,000
report events): the report events per city day and reporter; the confirmations and 立案 per city day and grid,
added to the grid's holders of the day (accounts.GridSpell, written by accounts 0005: today's grids, held
since before). Like every migration, run with nothing else writing."""

from collections import Counter, defaultdict

from django.db import migrations, models

NAMES = ("reports", "missed", "opened_in_grids")
FOR_GRID = {"verify": "missed", "open": "opened_in_grids"}  # the events counting 监督举报核实 and 立案


def count_collectors(apps, schema_editor):
    daily: dict[tuple, Counter] = defaultdict(Counter)  # (day, user) → counts
    _reports(apps, daily)
    _grids(apps, daily)
    monthly: dict[tuple, Counter] = defaultdict(Counter)
    for (day, user), counts in daily.items():
        monthly[(day.replace(day=1), user)].update(counts)
    _write(schema_editor.connection, apps.get_model("evaluation", "PostTally"), "day", daily)
    _write(schema_editor.connection, apps.get_model("evaluation", "PostTallyMonth"), "month", monthly)


def _reports(apps, daily) -> None:
    from django.db.models import Count, F
    from django.db.models.functions import TruncDate

    CaseEvent = apps.get_model("cases", "CaseEvent")
    found = (CaseEvent.objects.filter(action="report", case__source="collector", case__reporter_id__isnull=False)
             .values(d=TruncDate("at"), u=F("case__reporter_id")).annotate(n=Count("id")).order_by())
    for row in found.iterator(chunk_size=10000):
        daily[(row["d"], row["u"])]["reports"] += row["n"]


def _grids(apps, daily) -> None:
    """One pass over the confirmations and 立案 (grouped per city day and grid, streamed: no index picks them,
    so one scan, not one per collector), each group added to the grid's holders of that day."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import TruncDate

    CaseEvent = apps.get_model("cases", "CaseEvent")
    GridSpell = apps.get_model("accounts", "GridSpell")
    spells: dict[str, list[tuple]] = defaultdict(list)
    for user, code, began, ended in GridSpell.objects.values_list("user_id", "grid_code", "began", "ended"):
        spells[code].append((user, began, ended))
    sums = {name: Count("id", filter=Q(action=action)) for action, name in FOR_GRID.items()}
    found = (CaseEvent.objects.filter(action__in=list(FOR_GRID))
             .values(d=TruncDate("at"), g=F("case__grid_code")).annotate(**sums).order_by())
    for row in found.iterator(chunk_size=10000):
        for user, began, ended in spells.get(row["g"], ()):
            if (began is None or began <= row["d"]) and (ended is None or row["d"] < ended):
                daily[(row["d"], user)].update({n: row[n] for n in FOR_GRID.values()})


def _write(connection, model, first: str, rows: dict[tuple, Counter]) -> None:
    """Upsert (setting the new columns, adding the rows a collector had none of)."""
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = ", ".join(q(c) for c in (first, "user_id", "post", *NAMES))
    sets = ", ".join(f"{q(n)} = excluded.{q(n)}" for n in NAMES)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (3 + len(NAMES)))}) "
           f"ON CONFLICT ({q(first)}, {q('user_id')}, {q('post')}) DO UPDATE SET {sets}")
    values = [(connection.ops.adapt_datefield_value(when), user, "collector", *(counts[n] for n in NAMES))
              for (when, user), counts in sorted(rows.items()) if any(counts.values())]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 10000):
            cursor.executemany(sql, values[start:start + 10000])


def _field(verbose_name: str):
    return models.PositiveIntegerField(db_default=0, verbose_name=verbose_name)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_region_months"), ("accounts", "0005_grid_spells"),
                    ("cases", "0009_follow_up_index")]

    operations = [
        *(migrations.AddField(model_name=model, name=name, field=_field(term))
          for model in ("posttally", "posttallymonth")
          for name, term in (("missed", "漏报"), ("opened_in_grids", "网格立案数"), ("reports", "上报数"))),
        migrations.RunPython(count_collectors, migrations.RunPython.noop),
    ]
