"""The benchmark city's history generator (urbangrid.demo.history) and `urbangrid generate`."""

import json
import re
from datetime import UTC

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import DateTimeField, JSONField

from tests.cases.helpers import GRID1
from urbangrid.cases import auditing
from urbangrid.cases.models import Case, CaseEvent, CaseSequence
from urbangrid.core import evaluation as core
from urbangrid.demo import history
from urbangrid.demo.history import Spec
from urbangrid.evaluation import counting, rollup
from urbangrid.evaluation.models import FACT_KEY, POST_KEY, PostTally, Tally, TallyMonth
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^\d{4}-\d{4}-\d{6}$")


def facts() -> dict:
    return {tuple(row[k] for k in FACT_KEY): tuple(row[n] for n in core.FACT_NAMES)
            for row in Tally.objects.values(*FACT_KEY, *core.FACT_NAMES) if any(row[n] for n in core.FACT_NAMES)}


def sums() -> dict:
    """Every table of summed fact counts (rollup.FACT_SUMS: the daily counters, the monthly, community and
    day sums), row by row."""
    names = (*core.FACT_NAMES, *core.FLOW_NAMES)
    return {s.model: {tuple(row[k] for k in s.key): tuple(row[n] for n in names)
                      for row in s.model.objects.values(*s.key, *names) if any(row[n] for n in names)}
            for s in rollup.FACT_SUMS}


def posts() -> dict:
    return {tuple(row[k] for k in POST_KEY): tuple(row[n] for n in core.POST_NAMES)
            for row in PostTally.objects.values(*POST_KEY, *core.POST_NAMES) if any(row[n] for n in core.POST_NAMES)}


def test_history_is_complete_consistent_and_counted(cast, now):
    spec = Spec(total=3_000, open=120, years=1, seed=7, now=int(now().timestamp()))
    written = history.write_history(spec)
    history.roll_up()

    assert written.cases == Case.objects.count() == 3_000
    assert Case.objects.exclude(state__in=["closed", "rejected", "voided"]).count() == 120
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 3_000 and all(NUMBER.match(n) for n in numbers)
    # One report event per case, by the collector for the collectors' reports.
    assert CaseEvent.objects.filter(action="report", seq=1).count() == 3_000
    collector = Case.objects.filter(source="collector")
    assert collector.exists() and not collector.filter(reporter__isnull=True).exists()
    assert set(CaseEvent.objects.filter(case__source="collector").values_list("actor_id", flat=True)) == {cast.li.pk}
    # Every case lies in a grid that exists, so district, street and community are its code's prefixes.
    grids = set(Area.objects.filter(level="grid").values_list("code", flat=True))
    assert set(Case.objects.values_list("grid_code", flat=True)) <= grids
    assert set(Case.objects.values_list("source", flat=True)) >= {"collector", "hotline", "public"}
    # The day sequences are what intake leaves: the last number of each day.
    last = {s.day: s.last for s in CaseSequence.objects.all()}
    assert sum(last.values()) == 3_000
    # The counters equal a recount from the event log, and the monthly roll-up was made.
    generated, generated_posts = facts(), posts()
    assert sum(v[core.FACT_NAMES.index("reported")] for v in generated.values()) == 3_000
    # The collectors' 上报数, per day of the report (Li is the only collector of the cast).
    assert sum(v[core.POST_NAMES.index("reports")] for v in generated_posts.values()) == collector.count()
    assert {key[1:] for key in generated_posts} == {(cast.li.pk, "collector")}
    assert TallyMonth.objects.exists()
    written = sums()
    assert all(written.values())  # the generator wrote every table of sums (its roll-up)
    for s in rollup.FACT_SUMS:
        s.model.objects.all().delete()
    PostTally.objects.all().delete()
    counting.recount()
    assert facts() == generated
    assert sums() == written
    assert posts() == generated_posts


def test_each_case_is_written_as_planned(cast, now):
    """Every column of every case as the plan gives it (db.write_columns: binary COPY on PostgreSQL, constants
    in the statement on SQLite) against the same plan's rows read back through the ORM's own conversions."""
    spec = Spec(total=900, open=60, years=0.2, seed=5, now=int(now().timestamp()))
    history.write_history(spec)
    planned = history.case_rows(spec, 0, spec.total)  # one batch: its day sequences are the written ones
    fields = [Case._meta.get_field(name.removesuffix("_id")) for name in history.CASE_COLUMNS]
    stored = list(Case.objects.order_by("id").values_list(*(f.attname for f in fields)))
    assert len(stored) == len(planned) == 900

    def plain(field, value):
        if value is None:
            return None
        if isinstance(field, DateTimeField):
            value = field.to_python(value)
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(field, JSONField) and isinstance(value, str):
            return json.loads(value)
        return field.target_field.to_python(value) if field.is_relation else field.to_python(value)

    for row, values in zip(stored, planned, strict=True):
        assert list(row) == [plain(f, v) for f, v in zip(fields, values, strict=True)]
    # The mixes reach the columns that vary: nulls and values, Chinese text, both kinds.
    assert Case.objects.filter(due_at__isnull=True).exists() and Case.objects.filter(due_at__isnull=False).exists()
    assert Case.objects.filter(kind="component").exists() and Case.objects.filter(kind="matter").exists()


def test_the_tables_keep_their_indexes_and_constraints(cast, now):
    """The load drops indexes and unique constraints and makes them again: the same ones, as Django made them."""
    tables = [Case._meta.db_table, CaseEvent._meta.db_table, Tally._meta.db_table]

    def schema() -> dict:
        with connection.cursor() as cursor:
            return {t: connection.introspection.get_constraints(cursor, t) for t in tables}

    before = schema()
    assert any(c["unique"] and not c["primary_key"] for c in before[Case._meta.db_table].values())
    history.write_history(Spec(total=300, open=10, years=0.1, seed=2, now=int(now().timestamp())))
    assert schema() == before


def test_the_history_passes_the_audit(cast, now):
    """Each report event carries its audit link and each case its chain head, as intake leaves them: `urbangrid
    audit verify` finds the generated history intact, and still finds an event edited afterwards."""
    history.write_history(Spec(total=1_500, open=40, years=0.5, seed=11, now=int(now().timestamp())))
    assert list(auditing.breaks()) == []
    assert not CaseEvent.objects.filter(chain="").exists() and not Case.objects.filter(event_chain="").exists()
    edited = CaseEvent.objects.filter(actor__isnull=False).order_by("pk").first()
    with connection.cursor() as cursor:  # past the model, which refuses any change to an event
        cursor.execute("UPDATE cases_caseevent SET post = '' WHERE id = %s", [edited.pk])
    found = list(auditing.breaks())
    assert [(b.number, b.seq) for b in found] == [(edited.case.number, 1)]


def test_the_next_report_continues_the_days_numbering(cast, now):
    from urbangrid.cases import actions

    history.write_history(Spec(total=500, open=10, years=0.01, seed=3, now=int(now().timestamp())))
    case, _new = actions.report(cast.li, source="collector", kind="matter", description="井盖破损",
                                lon=GRID1[0], lat=GRID1[1])
    day = CaseSequence.objects.order_by("-day").first()
    assert case.number.endswith(f"{day.last:06d}") and Case.objects.filter(number=case.number).count() == 1


def test_a_city_with_cases_is_refused(cast, now):
    history.write_history(Spec(total=10, open=1, seed=1, now=int(now().timestamp())))
    with pytest.raises(history.HistoryError):
        history.write_history(Spec(total=10, open=1, seed=1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test here
def test_generate_command_builds_the_ci_city(capsys):
    call_command("generate", "--scale", "ci", "--cases", "2000", "--open", "50", verbosity=1)
    out = capsys.readouterr().out
    assert "2,000" in out
    call_command("audit", "verify")  # raises CommandError on any break
    assert "2000" in capsys.readouterr().out  # every case checked
    assert Area.objects.filter(level="grid").count() > 2000  # the demo's two streets of 金水区
    assert Case.objects.count() == 2_000
    assert Case.objects.exclude(state__in=["closed", "rejected", "voided"]).count() == 50
