"""The class breakdown of a period (问题分类统计): the classes with the most cases opened (立案) in it, with how
many cases of the class were closed and the closing rate — the report page's third chart and a section of every
bulletin. Read from the class table (report.table(…, "class")), so each number is the one that table drills
down from."""

from decimal import Decimal

from urbangrid.core import evaluation as core
from urbangrid.evaluation import charts, report

TOP = 10


def top_classes(period: core.Period, rows: list[report.Row] | None = None) -> list[dict]:
    """The TOP classes by 立案 (ties by code), as plain values a bulletin can keep:
    [{"key", "label", "opened", "closed", "close_rate" (text or None)}]."""
    rows = report.table(period, "class") if rows is None else rows
    opened = sorted((r for r in rows if r.counts["opened"]), key=lambda r: (-r.counts["opened"], r.label))[:TOP]
    return [{"key": r.key, "label": r.label, "opened": r.counts["opened"], "closed": r.counts["closed"],
             "close_rate": None if r.rates["close_rate"] is None else str(r.rates["close_rate"])} for r in opened]


def chart(classes: list[dict]) -> dict:
    """Bars of 立案 per class, scaled to the largest."""
    top = max((c["opened"] for c in classes), default=0)
    return charts.bars([(c["label"], Decimal(c["opened"])) for c in classes], top=Decimal(top))
