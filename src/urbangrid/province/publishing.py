"""What a city publishes to its province (城市运行管理服务平台): aggregates only, never personal data.

For a month: the evaluation of its districts (counts, rates, 综合指标值 and grade, as the city's own report shows
them), the month's counts by matter/component class and by source, and the cases open now by district and
state. Served at /province/published.json to a caller presenting the city's publishing token
(settings.PROVINCE_PUBLISH_TOKEN), or written to a file by `urbangrid province publish`.
"""

from datetime import date

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid.cases.models import Case
from urbangrid.core import evaluation as core
from urbangrid.evaluation import report, rules
from urbangrid.grid.models import Area

FORMAT = 1
TERMINAL = ("closed", "rejected", "voided")


def aggregates(city_code: str, city_name: str, month: date) -> dict:
    period = core.period("month", month)
    ruleset = rules.current()
    districts = report.table(period, "district", ruleset)
    return {
        "format": FORMAT,
        "city": {"code": city_code, "name": city_name},
        "month": period.first.isoformat(),
        "published_at": timezone.now().isoformat(),
        "ruleset": str(ruleset),
        "districts": [_row(r) for r in districts],
        "totals": _row(report.totals_row(districts)),
        "by_class": [_row(r, scored=False) for r in report.table(period, "class", ruleset)],
        "by_source": [_row(r, scored=False) for r in report.table(period, "source", ruleset)],
        "open_by_state": _open_by_district_and_state(),
    }


def _row(row: report.Row, scored: bool = True) -> dict:
    found = {"key": row.key, "label": row.label, "counts": dict(row.counts),
             "rates": {k: None if v is None else str(v) for k, v in row.rates.items()}}
    if scored:
        found.update(score=None if row.score is None else str(row.score), grade=row.grade, rank=row.rank)
    return found


def _open_by_district_and_state() -> list[dict]:
    rows = (Case.objects.exclude(state__in=TERMINAL).order_by()
            .values("state", district=Substr("grid_code", 1, 6)).annotate(n=Count("id")))
    names = dict(Area.objects.filter(level="district").values_list("code", "name"))
    return sorted(({"district": r["district"], "district_name": names.get(r["district"], r["district"]),
                    "state": r["state"], "count": r["n"]} for r in rows),
                  key=lambda r: (r["district"], r["state"]))
