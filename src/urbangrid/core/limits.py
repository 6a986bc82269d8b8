"""Units of a handling time limit (处置时限), as written in 立案/结案 standard tables (STANDARDS.md §4.3)."""

from enum import StrEnum


class LimitUnit(StrEnum):
    URGENT_HOURS = "urgent_hours"  # 紧急工作时: clock hours, nights and holidays included
    WORK_HOURS = "work_hours"  # 工作时: hours of the working clock
    WORK_DAYS = "work_days"  # 工作日: N × the working minutes of one day, on the working clock
    CALENDAR_DAYS = "calendar_days"  # 自然日


class Urgency(StrEnum):
    NORMAL = "normal"  # 一般
    URGENT = "urgent"  # 紧急 (急要件, counted apart in reports)


class Party(StrEnum):
    """Which party a problem goes to first (部件先属主后属地, 事件先属地后属主)."""

    COMPETENT = "competent"  # 主管部门
    OWNER = "owner"  # 权属单位
    MAINTAINER = "maintainer"  # 养护单位
    TERRITORY = "territory"  # 属地 (street / district)
