"""The centres' steps and the words of the calendar, with their translated labels."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from urbangrid.core.limits import LimitUnit


class Step(StrEnum):
    """The steps of the supervision and command centres that have a limit of their own (STANDARDS.md §4.2).

    核实 (verify) confirms a report before 立案; 核查 (check) confirms the fix after 处置: never swap them."""

    ACCEPT = "accept"  # 受理
    VERIFY = "verify"  # 核实
    OPEN = "open"  # 立案
    DISPATCH = "dispatch"  # 派遣
    CHECK = "check"  # 核查
    CLOSE = "close"  # 结案


STEP_LABELS = {
    Step.ACCEPT: _("Accept"),
    Step.VERIFY: _("Verify (before opening)"),
    Step.OPEN: _("Open the case"),
    Step.DISPATCH: _("Dispatch"),
    Step.CHECK: _("Check (after handling)"),
    Step.CLOSE: _("Close"),
}

HOLIDAY, WORKDAY = "holiday", "workday"
DAY_KIND_LABELS = {HOLIDAY: _("Day off"), WORKDAY: _("Workday")}

# A step limit is a number of minutes on one of two clocks; the day units would only restate them.
STEP_UNIT_LABELS = {
    LimitUnit.WORK_HOURS: _("minutes of the working clock"),
    LimitUnit.URGENT_HOURS: _("minutes of the continuous clock (nights and holidays count)"),
}


def choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(key), label) for key, label in labels.items()]
