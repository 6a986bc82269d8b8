import datetime as dt

import pytest

from urbangrid.core.codes import CodeError
from urbangrid.core.numbering import case_number, parse_case_number


def test_a_number_is_the_day_and_its_sequence():
    assert case_number(dt.date(2026, 11, 29), 123) == "2026-1129-000123"
    assert parse_case_number(" 2026-1129-000123 ") == (dt.date(2026, 11, 29), 123)


@pytest.mark.parametrize("seq", [0, 1_000_000])
def test_a_sequence_out_of_range_is_refused(seq):
    with pytest.raises(ValueError):
        case_number(dt.date(2026, 1, 1), seq)


@pytest.mark.parametrize("value", ["2026-1129-123", "2026-1332-000001", "abc"])
def test_malformed_numbers_are_refused(value):
    with pytest.raises(CodeError):
        parse_case_number(value)
