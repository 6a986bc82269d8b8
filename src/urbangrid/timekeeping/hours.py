"""Working hours as an administrator types them: "08:00-12:00,14:00-18:00".

Periods are ordered and may touch but not overlap, as core.workcalendar requires; the messages are English
msgids with {placeholders}, translated where they are shown (the admin, the commands).
"""

import itertools
import re
from datetime import time

from django.utils.translation import gettext_noop

DEFAULT_HOURS = "08:00-12:00,14:00-18:00"
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})$")
_SEPARATORS = re.compile(r"\s*[,，;；、]\s*")


class HoursError(ValueError):
    def __init__(self, message: str, **params: object):
        self.message, self.params = message, params
        super().__init__(message.format(**params))


def parse_hours(text: str) -> tuple[tuple[time, time], ...]:
    parts = [part for part in _SEPARATORS.split(str(text).strip()) if part]
    if not parts:
        raise HoursError(gettext_noop("give at least one period, e.g. {example}"), example=DEFAULT_HOURS)
    periods = tuple(_period(part) for part in parts)
    for (_start, end), (following, _end) in itertools.pairwise(periods):
        if following < end:
            raise HoursError(
                gettext_noop("periods must be in order and must not overlap: {period} starts before {end}"),
                period=_format(following, _end), end=f"{end:%H:%M}",
            )
    return periods


def format_hours(periods: tuple[tuple[time, time], ...]) -> str:
    return ",".join(_format(start, end) for start, end in periods)


def _period(text: str) -> tuple[time, time]:
    match = _PERIOD.match(text)
    if not match:
        raise HoursError(gettext_noop("{period} is not a period like 08:00-12:00"), period=text)
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise HoursError(gettext_noop("{period} is not a time of day"), period=text)
    start, end = time(h1, m1), time(h2, m2)
    if not start < end:
        raise HoursError(gettext_noop("{period} ends before it starts"), period=text)
    return start, end


def _format(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"
