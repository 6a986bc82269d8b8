"""Case numbers (案卷编号): year, month and day of intake in the city's time, then the day's sequence.

"2026-1129-000123" is the 123rd case reported on 29 November 2026. The number is what an operator reads out
on the phone, so it sorts by date, carries no check digit and never reuses a sequence within a day.
"""

import re
from datetime import date

from urbangrid.core.codes import CodeError, gettext_noop

SEQUENCE_DIGITS = 6
PATTERN = re.compile(r"^(\d{4})-(\d{2})(\d{2})-(\d{6})$")


def case_number(day: date, seq: int) -> str:
    if not 1 <= seq < 10**SEQUENCE_DIGITS:
        raise ValueError(f"a day's case sequence runs from 1 to {10**SEQUENCE_DIGITS - 1}, got {seq}")
    return f"{day:%Y-%m%d}-{seq:0{SEQUENCE_DIGITS}d}"


def parse_case_number(value: str, field: str = "number") -> tuple[date, int]:
    match = PATTERN.match(str(value).strip())
    if match is None:
        raise CodeError(field, gettext_noop("a case number looks like 2026-1129-000123"))
    year, month, day, seq = map(int, match.groups())
    try:
        return date(year, month, day), seq
    except ValueError:
        raise CodeError(field, gettext_noop("a case number looks like 2026-1129-000123")) from None
