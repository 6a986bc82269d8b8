"""The pure parts: periods, rates, bands, composite scores, grades and ranks with ties."""

import datetime as dt
from decimal import Decimal as D

import pytest

from urbangrid.core import evaluation as core
from urbangrid.core.evaluation import Method, Term


def test_every_count_has_a_written_definition():
    for definition in (*core.FACT_COUNTS, *core.QUERY_TIME, *core.POST_COUNTS, *core.POST_QUERY_TIME):
        assert definition.term and definition.label and len(definition.text) > 10, definition.name
    names = [d.name for d in core.FACT_COUNTS]
    assert len(names) == len(set(names))
    known = {*core.FACT_NAMES, "overdue_unhandled", "due_to_handle", "due_to_close"}
    assert all(r.numerator in known and r.denominator in known for r in core.RATES)


@pytest.mark.parametrize(("kind", "day", "first", "last"), [
    ("day", dt.date(2026, 3, 4), dt.date(2026, 3, 4), dt.date(2026, 3, 4)),
    ("week", dt.date(2026, 12, 3), dt.date(2026, 11, 30), dt.date(2026, 12, 6)),  # Monday to Sunday
    ("month", dt.date(2028, 2, 10), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap year
    ("quarter", dt.date(2026, 11, 30), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ("year", dt.date(2026, 6, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
])
def test_periods(kind, day, first, last):
    period = core.period(kind, day)
    assert (period.first, period.last) == (first, last)


def test_previous_periods_and_custom_ranges():
    assert core.period("month", dt.date(2026, 3, 15)).previous().first == dt.date(2026, 2, 1)
    assert core.period("quarter", dt.date(2026, 1, 5)).previous().first == dt.date(2025, 10, 1)
    custom = core.period("custom", dt.date(2026, 1, 1), dt.date(2026, 1, 10))
    assert custom.days == 10 and custom.previous().first == dt.date(2025, 12, 22)
    with pytest.raises(ValueError):
        core.period("custom", dt.date(2026, 1, 10), dt.date(2026, 1, 1))


def test_rates_are_none_when_nothing_was_due():
    assert core.percent(0, 0) is None
    assert core.percent(1, 3) == D("33.33") and core.percent(2, 3) == D("66.67")


def test_bands_follow_the_standard_steps():
    region = [(t, D(s)) for t, s in core.REGION_BANDS_1]
    assert [core.band_score(n, Method.BANDS_DOWN, region) for n in (0, 2, 3, 4, 6, 8, 9)] == [
        100, 90, 75, 75, 60, 40, 0]
    intake = [(t, D(s)) for t, s in core.INTAKE_BANDS]
    assert [core.band_score(n, Method.BANDS_UP, intake) for n in (2001, 2000, 1201, 500, 101, 100)] == [
        100, 90, 90, 60, 40, 0]


def test_default_weights_add_up_to_100():
    for subject in core.SUBJECTS:
        assert sum(t.weight for t in core.default_terms(subject)) == 100, subject


def test_composite_leaves_out_terms_without_a_value():
    terms = [Term("a", D(60), Method.RATE), Term("b", D(40), Method.INVERSE_RATE)]
    assert core.composite(terms, {"a": D(80), "b": D(10)}) == D("84.00")  # 80×.6 + 90×.4
    assert core.composite(terms, {"a": D(80), "b": None}) == D("80.00")
    assert core.composite(terms, {}) is None


def test_grades_and_ranks_with_ties():
    assert [core.grade(D(s)) for s in (90, D("89.99"), 75, 60, 40, D("39.99"))] == list("ABBCDE")
    assert core.grade(None) == ""
    assert core.rank([D(90), D(90), D(80), None, D(95)]) == [2, 2, 4, None, 1]
    assert core.rank([D(1), D(1), D(0)]) == [1, 1, 3]


def test_indicators_md_is_current():
    from pathlib import Path

    from urbangrid.evaluation import docs

    path = Path(docs.__file__).with_name("INDICATORS.md")
    assert path.read_text(encoding="utf-8") == docs.markdown(), "python -m urbangrid.evaluation.docs > " + str(path)
