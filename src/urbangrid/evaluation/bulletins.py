"""Published bulletins (定期公布, art. 30): frozen aggregates of a period, with the rule set version used.

Only regions and departments are published (aggregate numbers, no personal data); posts stay internal.
`recompute` scores the bulletin's period again under the bulletin's own rule set version, which is how a
published result can always be checked, even after the rules changed.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from urbangrid.accounts.models import User
from urbangrid.cases import clock
from urbangrid.core import evaluation as core
from urbangrid.evaluation import report, rules
from urbangrid.evaluation.models import Bulletin, RuleSet

PUBLISHED_TABLES = ("district", "department")


def content(period: core.Period, ruleset: RuleSet) -> dict:
    tables = {name: [_row(r) for r in report.table(period, name, ruleset)] for name in PUBLISHED_TABLES}
    totals = report.totals_row(report.table(period, "district", ruleset))
    return {"tables": tables, "totals": _row(totals)}


@transaction.atomic
def publish(period: core.Period, user: User | None = None, ruleset: RuleSet | None = None) -> Bulletin:
    ruleset = ruleset or rules.current()
    return Bulletin.objects.create(
        period_kind=str(period.kind), first_day=period.first, last_day=period.last, ruleset=ruleset,
        content=content(period, ruleset), published_at=clock.now(), published_by=user,
    )


JOB = "evaluation.bulletins"
SCHEDULED = (core.PeriodKind.WEEK, core.PeriodKind.MONTH)


def scheduled() -> list[Bulletin]:
    """The worker's job: publish last week's and last month's bulletin once each, when they are over."""
    today = timezone.localdate(clock.now())
    made = []
    for kind in SCHEDULED:
        period = core.period(kind, today).previous()
        if not Bulletin.objects.filter(period_kind=kind, first_day=period.first, last_day=period.last).exists():
            made.append(publish(period))
    return made


def period_of(bulletin: Bulletin) -> core.Period:
    return core.Period(core.PeriodKind(bulletin.period_kind), bulletin.first_day, bulletin.last_day)


def recompute(bulletin: Bulletin) -> dict:
    """The bulletin's content as it is computed now under the rule set it was published with."""
    return content(period_of(bulletin), bulletin.ruleset)


def _row(row: report.Row) -> dict:
    return {
        "key": row.key, "label": row.label, "counts": row.counts,
        "rates": {name: _text(value) for name, value in row.rates.items()},
        "score": _text(row.score), "grade": row.grade, "rank": row.rank,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
