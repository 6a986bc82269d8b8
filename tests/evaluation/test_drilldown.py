"""The narrowed drill-down (evaluation.drilldown) lists exactly what a replay of every case with an event in the
period lists (the way it was done before, kept here as the reference), for every count and dimension, on random
histories; the map of the actions that can count in each count covers count_event; pages are keyset pages."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from tests.evaluation.test_pages import client
from tests.evaluation.walker import walk
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.core import workflow
from urbangrid.evaluation import counting, drilldown, report
from urbangrid.evaluation.models import Tally

pytestmark = pytest.mark.django_db


def test_the_actions_of_each_count_cover_every_count_an_event_can_make():
    assert (drilldown.ALL, drilldown.REGION_LENGTH) == (report.ALL, report.REGION_LENGTH)
    assert set(core.COUNTED_BY) == set(core.FACT_NAMES)
    at = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    for move in workflow.MOVES:
        for variant in range(16):
            event = core.Event(
                action=str(move.action), source=str(move.source), at=at, actor_id=1, post="dispatcher",
                data={"on_time": bool(variant & 1), "department": 7}, due_after=at if variant & 2 else None,
                case_source=("hotline", "collector")[variant >> 2 & 1], reporter_id=2, reworks=variant >> 3 & 1,
                returns=1 + (variant >> 3 & 1), last_dispatch=(1, "dispatcher"),
            )
            for fact in core.count_event(event).facts:
                assert str(move.action) in core.COUNTED_BY[fact], (move.action, fact)


def reference(items, period: core.Period, dimension: str, key: str, indicator: str) -> list[int]:
    """The drill-down as it was: replay every case with an event in the period (a region narrowed by the
    case's grid code), keep the events counted in the indicator for the key."""
    start, end = report.bounds(period)
    active = CaseEvent.objects.filter(at__gte=start, at__lt=end)
    if dimension in report.REGION_LENGTH:
        active = active.filter(case__grid_code__startswith=key)
    ids = set(active.values_list("case_id", flat=True))
    found = set()
    for item in items:
        if item.case_id in ids and period.first <= item.day <= period.last and indicator in item.counted.facts \
                and old_matches(item.key, dimension, key):
            found.add(item.case_id)
    return sorted(found)


def old_matches(fact_key: tuple, dimension: str, key: str) -> bool:
    _day, grid_code, class_id, department_id, source = fact_key
    if key == report.ALL:
        return True
    if dimension in report.REGION_LENGTH:
        return grid_code[: report.REGION_LENGTH[dimension]] == key
    return str({"department": department_id, "class": class_id, "source": source}[dimension]) == key


def keys_of(items, dimension: str) -> set[str]:
    """The rows the history has, the whole city, and a row with nothing."""
    nobody = "9" * report.REGION_LENGTH[dimension] if dimension in report.REGION_LENGTH else "999999"
    found = {report.ALL, "nobody" if dimension == "source" else nobody}
    for item in items:
        _day, grid_code, class_id, department_id, source = item.key
        if dimension in report.REGION_LENGTH:
            found.add(grid_code[: report.REGION_LENGTH[dimension]])
        else:
            found.add(str({"department": department_id, "class": class_id, "source": source}[dimension]))
    return found


def periods_of(now) -> list[core.Period]:
    days = sorted({timezone.localdate(at) for at in CaseEvent.objects.values_list("at", flat=True)})
    first, last, middle = days[0], timezone.localdate(now.at), days[len(days) // 2]
    return [
        core.period("week", first), core.period("month", middle), core.period("month", last),
        core.period("day", middle), core.period("custom", middle, last), core.period("year", last),
    ]


@pytest.mark.parametrize("seed", [4, 11])
def test_the_narrowed_drill_down_equals_the_replay_for_every_count_and_dimension(cast, now, seed):
    walk(cast, now, random.Random(seed), cases=16, steps=25)
    items = list(counting.replay(Case.objects.order_by("id").values_list("id", flat=True)))
    # Events long after the case's report: the first windows (WINDOWS) miss them, the counters say so.
    reported = dict(Case.objects.values_list("id", "reported_at"))
    late = {i.case_id for i in items if i.counted.facts and
            timezone.localdate(reported[i.case_id]) + dt.timedelta(days=8) <= i.day}
    assert late
    compared = defaultdict(int)
    for period in periods_of(now):
        for dimension in report.DIMENSIONS:
            for key in sorted(keys_of(items, dimension)):
                for indicator in core.FACT_NAMES:
                    expected = reference(items, period, dimension, key, indicator)
                    assert report.cases_behind(period, dimension, key, indicator) == expected, \
                        (period, dimension, key, indicator)
                    compared[bool(expected)] += 1
    assert compared[True] > 200


def test_counters_ahead_of_the_log_do_not_change_a_list(cast, now):
    walk(cast, now, random.Random(5), cases=10, steps=25)
    period = core.period("custom", dt.date(2020, 1, 1), timezone.localdate(now.at))
    items = list(counting.replay(Case.objects.order_by("id").values_list("id", flat=True)))
    before = {name: report.cases_behind(period, "district", report.ALL, name) for name in ("dispatched", "closed")}
    assert all(before.values())
    assert before == {name: reference(items, period, "district", report.ALL, name) for name in before}
    row = Tally.objects.filter(dispatched__gt=0).first()
    Tally.objects.filter(pk=row.pk).update(dispatched=row.dispatched + 5, closed=row.closed + 5)
    assert {name: report.cases_behind(period, "district", report.ALL, name) for name in before} == before


def test_reports_are_listed_from_the_case_rows_and_paged_by_id(cast, now):
    walk(cast, now, random.Random(6), cases=12, steps=3)
    period = core.period("custom", dt.date(2020, 1, 1), timezone.localdate(now.at))
    found = report.cases_listing(period, "district", "410105", "reported")
    assert found.query is not None  # read from the case rows, not replayed
    everything = sorted(Case.objects.values_list("id", flat=True))
    assert found.count == len(everything) > 10 and found.all() == everything
    pages, after = [], 0
    while after is not None:
        ids, after = found.page(after, 5)
        pages.append(ids)
    assert [i for ids in pages for i in ids] == everything and [len(p) for p in pages[:-1]] == [5] * (len(pages) - 1)
    assert report.cases_listing(period, "class", "0", "reported").all() == everything
    assert report.cases_listing(period, "class", "1", "reported").all() == []
    public = sorted(Case.objects.filter(source__in=["public", "hotline"]).values_list("id", flat=True))
    assert report.cases_listing(period, "source", report.ALL, "public_reported").all() == public
    assert report.cases_listing(period, "district", "410106", "reported").all() == []


def test_the_page_shows_the_count_and_links_to_the_next_page(cast, now):
    walk(cast, now, random.Random(7), cases=5, steps=2)
    ids = sorted(Case.objects.values_list("id", flat=True))
    day = timezone.localdate(now.at)
    query = f"kind=custom&day={day - dt.timedelta(days=60)}&last={day}&by=district&key=410105&n=reported"
    drilldown_page = drilldown.PAGE
    try:
        drilldown.PAGE = 2
        page = client(cast.zhao).get(f"/evaluation/cases/?{query}")
        assert page.status_code == 200 and page.context["count"] == len(ids) >= 5
        assert [row["case"].pk for row in page.context["rows"]] == ids[:2]
        assert page.context["next_page"].endswith(f"&after={ids[1]}") and not page.context["first_page"]
        last = client(cast.zhao).get(page.context["next_page"].replace(f"after={ids[1]}", f"after={ids[-3]}"))
        assert [row["case"].pk for row in last.context["rows"]] == ids[-2:]
        assert not last.context["next_page"] and last.context["first_page"]
    finally:
        drilldown.PAGE = drilldown_page
