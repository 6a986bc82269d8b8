"""The evaluation page's trend (trend.city_totals: the city's totals of several periods in a few queries)
equals each period's district table's totals, on the scripted history and after random workflows."""

import datetime as dt
import random
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.evaluation.history import WEEK1, WEEK2, play
from tests.evaluation.walker import walk
from urbangrid.cases.models import CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.evaluation import report, rollup, trend

pytestmark = pytest.mark.django_db


def from_tables(periods):
    return [report.totals_row(report.table(p, "district")) for p in periods]


def same(found, expected) -> None:
    for got, want in zip(found, expected, strict=True):
        assert (got.counts, got.rates) == (want.counts, want.rates)


def test_the_trend_of_the_scripted_weeks_by_hand(cast, now):
    play(cast, now)
    w1, w2 = (core.period("week", d) for d in (WEEK1, WEEK2))
    first, second = trend.city_totals([w1, w2])
    # Week 1: A and B closed (A on time) of 应结案 4 (+ F, I overdue); week 2: F closed late, I overdue.
    assert (first.rates["close_rate"], first.rates["close_on_time_rate"]) == (D("50.00"), D("25.00"))
    assert (second.rates["close_rate"], second.rates["close_on_time_rate"]) == (D("50.00"), D("0.00"))
    assert (first.counts["overdue_unhandled"], second.counts["overdue_unhandled"]) == (2, 1)


def test_the_trend_equals_the_district_tables_on_the_scripted_history(cast, now):
    play(cast, now)  # the clock stops Mon 12-07 09:15: December and week 2 are not over
    december = core.period("month", WEEK2)
    kinds = [
        core.period("week", WEEK2),  # current week, not over; the one before it cuts November
        december,  # current month, read from its sums
        core.period("day", WEEK1 + dt.timedelta(days=1)),
        core.period("custom", dt.date(2026, 11, 5), dt.date(2026, 12, 3)),  # cuts two months
        core.period("quarter", WEEK2), core.period("year", WEEK2),
    ]
    for period in kinds:
        periods = [period]
        for _ in range(5):
            periods.insert(0, periods[0].previous())
        with CaptureQueriesContext(connection) as queries:
            found = trend.city_totals(periods)
        same(found, from_tables(periods))
        assert len(queries) <= 4 + len(periods), (period, len(queries))  # not a table per period
    assert rollup.split(kinds[3]) == ([dt.date(2026, 11, 1)], [(dt.date(2026, 12, 1), dt.date(2026, 12, 3))],
                                      [(dt.date(2026, 11, 1), dt.date(2026, 11, 4))])


def test_the_trend_equals_the_district_tables_after_random_workflows(cast, now):
    walk(cast, now, random.Random(21), cases=15, steps=30)
    first = timezone.localdate(CaseEvent.objects.order_by("at").first().at)
    today = timezone.localdate(now.at)
    rng = random.Random(21)
    periods = [core.period("custom", a, a + dt.timedelta(days=rng.randrange(1, 20)))
               for a in sorted(first + dt.timedelta(days=rng.randrange((today - first).days + 5)) for _ in range(8))]
    periods += [core.period("week", today), core.period("month", today), core.period("week", first)]
    same(trend.city_totals(periods), from_tables(periods))


def test_the_pages_trend_chart_is_the_district_tables_rates(cast, now):
    from urbangrid.evaluation import charts, views
    from urbangrid.evaluation.labels import term

    play(cast, now)
    period = core.period("custom", dt.date(2026, 11, 28), dt.date(2026, 12, 2))
    periods = [period]
    for _ in range(views.TREND_PERIODS - 1):
        periods.insert(0, periods[0].previous())
    tables = from_tables(periods)
    expected = charts.trend([p.first.strftime("%m-%d") for p in periods], {
        term("close_rate"): [t.rates["close_rate"] for t in tables],
        term("close_on_time_rate"): [t.rates["close_on_time_rate"] for t in tables]})
    assert views._trend(period) == expected
    assert [t.rates["close_rate"] for t in tables][-1] == D("50.00")  # A B closed, F I overdue on 12-02
