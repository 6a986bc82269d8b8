"""Collectors' 上报数, 漏报 and 网格立案数: maintained as events come, for the collectors responsible for the case's
grid on the event's day (a change of grids counts from the next day), and the same from the table, the
drill-down and a recount.

Li (A) holds grid 001 since before; Mon 11-30 (D) the centre gives it to Ma (B), effective Tue:
- D 10:00 a hotline report in 001, confirmed on site by Ma (who patrols it from today) → 漏报 for Li;
- D+1 10:00 another, confirmed by Ma → 漏报 for Ma;
- D+2 10:00 Ma reports in 001, the case is opened → 网格立案数 for Ma, 上报数 and 有效上报 for Ma;
- D 09:30 Li reports in grid 004 (hers), never opened → 上报数 for Li.
So Li: 上报数 1, 漏报 1, 网格立案数 0; Ma: 上报数 1, 有效上报 1, 核实 2, 漏报 1, 网格立案数 1.
"""

import datetime as dt
import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from tests.cases.builders import CLASSIFY, photo
from tests.cases.helpers import GRID1, GRID4, person
from tests.evaluation.test_recount import snapshots
from tests.evaluation.walker import walk
from tests.factories import appoint, certified_collector
from urbangrid.accounts.models import Appointment
from urbangrid.cases import actions
from urbangrid.core import evaluation as core
from urbangrid.evaluation import counting, report
from urbangrid.evaluation.models import PostTally, PostTallyMonth

pytestmark = pytest.mark.django_db
WEEK = core.period("week", dt.date(2026, 11, 30))
NAMES = ("reports", "valid_reports", "verifications", "missed", "opened_in_grids")


def act(case, actor, action, **inputs):
    kinds = {"verify": ["evidence"]}.get(action, [])
    inputs["attachments"] = [photo(case, actor, kind).pk for kind in kinds]
    return actions.act(case.pk, actor, action, case.version, **inputs)


def hotline_confirmed(cast, by):
    case, _ = actions.report(cast.wang, source="hotline", kind="matter", description="井盖破损", lon=GRID1[0],
                             lat=GRID1[1])
    for actor, action in ((cast.wang, "accept"), (cast.wang, "send_verification"), (by, "verify")):
        case = act(case, actor, action)
    return case


@pytest.fixture
def story(cast, now):
    ma = person("ma", "监督员马")
    appoint(ma, "collector", Appointment.objects.get(user=cast.li).organisation)
    profile = certified_collector(ma, dt.date(2030, 12, 31))
    grid1 = cast.areas["grid1"]
    cast.li.collector.grids.remove(grid1)  # Monday 09:00: from Tuesday on, 001 is Ma's
    profile.grids.add(grid1)
    now.at = now.at.replace(hour=9, minute=30)
    li_report, _ = actions.report(cast.li, source="collector", kind="matter", description="棚子", lon=GRID4[0],
                                  lat=GRID4[1])
    now.at = now.at.replace(hour=10)
    first = hotline_confirmed(cast, ma)
    now.move(days=1)
    second = hotline_confirmed(cast, ma)
    now.move(days=1)
    opened, _ = actions.report(ma, source="collector", kind="matter", description="棚子", lon=GRID1[0],
                               lat=GRID1[1])
    opened = act(opened, cast.wang, "accept")
    opened = act(opened, cast.zhao, "open", **CLASSIFY)
    return {"ma": ma, "li_report": li_report, "first": first, "second": second, "opened": opened}


def counts(row) -> dict:
    return {n: row.counts[n] for n in NAMES}


def test_the_counts_follow_the_grids_held_on_the_day(cast, story):
    rows = {row.key: row for row in report.post_table(WEEK)}
    li, ma = rows[f"{cast.li.pk}:collector"], rows[f"{story['ma'].pk}:collector"]
    assert counts(li) == {"reports": 1, "valid_reports": 0, "verifications": 0, "missed": 1, "opened_in_grids": 0}
    assert counts(ma) == {"reports": 1, "valid_reports": 1, "verifications": 2, "missed": 1, "opened_in_grids": 1}
    assert li.rates["missed_rate"] is None and ma.rates["missed_rate"] == 100
    # The days on their own: Monday's confirmation is Li's, Tuesday's Ma's.
    monday = {row.key: counts(row) for row in report.post_table(core.period("day", dt.date(2026, 11, 30)))}
    assert monday[f"{cast.li.pk}:collector"]["missed"] == 1 and monday[f"{story['ma'].pk}:collector"]["missed"] == 0


def test_the_drill_down_lists_the_cases_behind_each_number(cast, story):
    li, ma = f"{cast.li.pk}:collector", f"{story['ma'].pk}:collector"
    assert report.cases_behind(WEEK, "post", li, "missed") == [story["first"].pk]
    assert report.cases_behind(WEEK, "post", li, "opened_in_grids") == []
    assert report.cases_behind(WEEK, "post", li, "reports") == [story["li_report"].pk]
    assert report.cases_behind(WEEK, "post", ma, "missed") == [story["second"].pk]
    assert report.cases_behind(WEEK, "post", ma, "opened_in_grids") == [story["opened"].pk]
    assert report.cases_behind(WEEK, "post", ma, "reports") == [story["opened"].pk]


def test_a_recount_finds_the_same_counts(cast, story):
    maintained = snapshots()
    counting.recount()
    assert snapshots() == maintained


def test_the_migration_counts_the_log_as_a_recount_does(cast, now):
    """A database of before: the new columns are 0. (The spells are as accounts 0005 left them, and then some
    grid changes: the migration reads them like a recount.)"""
    ma = person("ma", "监督员马")
    profiles = (cast.li.collector, certified_collector(ma, dt.date(2030, 12, 31)))

    def move_grids(rng: random.Random) -> None:
        if rng.random() < 0.1:
            grid = rng.choice([cast.areas["grid1"], cast.areas["grid4"]])
            giver, taker = rng.sample(profiles, 2)
            giver.grids.remove(grid)
            taker.grids.add(grid)

    walk(cast, now, random.Random(17), cases=12, steps=30, between=move_grids)
    maintained = snapshots()
    assert sum(v[core.POST_NAMES.index("opened_in_grids")] for v in maintained[PostTally].values()) > 0
    for model in (PostTally, PostTallyMonth):
        model.objects.update(reports=0, missed=0, opened_in_grids=0)
    migration = importlib.import_module("urbangrid.evaluation.migrations.0009_collector_counts")
    migration.count_collectors(apps, SimpleNamespace(connection=connection))
    assert snapshots() == maintained
