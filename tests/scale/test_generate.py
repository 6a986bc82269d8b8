"""The benchmark city's history generator (urbangrid.demo.history) and `urbangrid generate`."""

import re

import pytest
from django.core.management import call_command

from tests.cases.helpers import GRID1
from urbangrid.cases.models import Case, CaseEvent, CaseSequence
from urbangrid.core import evaluation as core
from urbangrid.demo import history
from urbangrid.demo.history import Spec
from urbangrid.evaluation import counting
from urbangrid.evaluation.models import FACT_KEY, Tally, TallyMonth
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^\d{4}-\d{4}-\d{6}$")


def facts() -> dict:
    return {tuple(row[k] for k in FACT_KEY): tuple(row[n] for n in core.FACT_NAMES)
            for row in Tally.objects.values(*FACT_KEY, *core.FACT_NAMES) if any(row[n] for n in core.FACT_NAMES)}


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
    generated = facts()
    assert sum(v[core.FACT_NAMES.index("reported")] for v in generated.values()) == 3_000
    assert TallyMonth.objects.exists()
    Tally.objects.all().delete()
    counting.recount()
    assert facts() == generated


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
    assert Area.objects.filter(level="grid").count() > 2000  # the demo's two streets of 金水区
    assert Case.objects.count() == 2_000
    assert Case.objects.exclude(state__in=["closed", "rejected", "voided"]).count() == 50
