"""GET /api/v1/evaluation: the report tables of a period, the indicator definitions, and the cases behind a number.

The same rules as the report pages (evaluation/views.py): reports are for the city-wide posts of the
centres (cases.access.CITY_WIDE), the definitions are public, and a drill-down lists only the cases the
user may see. The numbers come from evaluation.report, exactly as the pages show them.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from urbangrid.api import auth
from urbangrid.api.errors import ApiError
from urbangrid.api.locate import ErrorOut
from urbangrid.api.params import one_of
from urbangrid.cases import access
from urbangrid.cases.labels import state_label
from urbangrid.core import evaluation as core
from urbangrid.core.posts import Post
from urbangrid.evaluation import drilldown, report, rules

router = Router(tags=["evaluation"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
BY = [*report.DIMENSIONS, "post"]
INDICATOR_NAMES = [*core.DEFINITIONS, *core.POST_DEFINITIONS]
MAX_CASES = 5000
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class PeriodIn(Schema):
    kind: str = Field("month", json_schema_extra={"enum": [str(k) for k in core.PeriodKind]})
    # Bounded: the period's end in city time must stay a representable datetime.
    day: date = Field(description="A day of the period (its first day for a custom period).", ge=FIRST_DAY,
                      le=LAST_DAY)
    last: date | None = Field(None, description="The last day of a custom period.", ge=FIRST_DAY, le=LAST_DAY)


class ReportIn(PeriodIn):
    by: str = Field("district", json_schema_extra={"enum": BY})


class CasesIn(ReportIn):
    key: str = Field("", description="The `key` of the row; empty for the whole city.")
    indicator: str = Field(description="A count's name, e.g. closed_on_time.",
                           json_schema_extra={"enum": INDICATOR_NAMES})
    after: int = Field(0, ge=0, description="The `next_after` of the previous page; 0 for the first page.")


class PeriodOut(Schema):
    kind: str
    first: date
    last: date


class RowOut(Schema):
    key: str = Field(description="Area code, department id, class id, source, or user:post for posts.")
    label: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None] = Field(description="Percent, two decimals; null when nothing to divide by.")
    score: Decimal | None = Field(description="综合指标值 by the rule set in use (regions, departments, posts).")
    grade: str
    rank: int | None
    extra: dict


class ReportOut(Schema):
    period: PeriodOut
    by: str
    ruleset: str
    rows: list[RowOut]
    totals: RowOut | None = Field(description="The whole city (not for posts).")


class IndicatorOut(Schema):
    name: str
    term: str = Field(description="The standard's Chinese term.")
    label: str
    text: str = Field(description="When a case counts; for a rate, its numerator / denominator.")
    per_post: bool


class CaseRefOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    grid_code: str


class CasesOut(Schema):
    count: int = Field(description="The number in the report: every case counted, seen or not.")
    items: list[CaseRefOut] = Field(description="Those of them you may see, a page of at most 5,000 in the "
                                                "list's order.")
    next_after: int | None = Field(description="Pass as `after` for the next page; null on the last page.")


def _evaluator(request) -> None:
    if not {Post(a.post) for a in access.appointments(request.auth)} & access.CITY_WIDE:
        raise ApiError(403, "forbidden", _("The evaluation reports are for the supervision and command centres."))


def _period(query: PeriodIn) -> core.Period:
    try:
        return core.period(query.kind, query.day, query.last)
    except ValueError as error:  # an unknown kind, or a custom period without a valid last day
        field = "kind" if query.kind not in list(core.PeriodKind) else "last"
        raise ApiError(422, "invalid_input", _(str(error)), field) from error


def _row(row: report.Row) -> dict:
    return {"key": row.key, "label": row.label, "counts": row.counts, "rates": row.rates, "score": row.score,
            "grade": row.grade, "rank": row.rank, "extra": {k: str(v) for k, v in row.extra.items()}}


@router.get("/report", auth=auth.USER, response={200: ReportOut, **ERRORS}, summary="A report table")
def report_table(request, query: Query[ReportIn]):
    """One row per district / street / community / grid / department / class / source / person and post, with
    counts, rates, 综合指标值, grade and rank, for the period."""
    _evaluator(request)
    period, by = _period(query), one_of(query.by, BY, "by")
    ruleset = rules.current()
    if by == "post":
        rows, totals = report.post_table(period, ruleset), None
    else:
        rows = report.table(period, by, ruleset)
        totals = _row(report.totals_row(rows))
    return {"period": {"kind": str(period.kind), "first": period.first, "last": period.last}, "by": by,
            "ruleset": str(ruleset), "rows": [_row(r) for r in rows], "totals": totals}


@router.get("/indicators", response=list[IndicatorOut], summary="What every count and rate means")
def indicators(request):
    found = [
        {"name": d.name, "term": d.term, "label": _(d.label), "text": _(d.text), "per_post": per_post}
        for definitions, per_post in ((core.DEFINITIONS, False), (core.POST_DEFINITIONS, True))
        for d in definitions.values()
    ]
    for rates, per_post in ((core.RATES, False), (core.POST_RATES, True)):
        found += [{"name": r.name, "term": r.term, "label": _(r.label), "text": f"{r.numerator} / {r.denominator}",
                   "per_post": per_post} for r in rates]
    return found


@router.get("/cases", auth=auth.USER, response={200: CasesOut, **ERRORS}, summary="The cases behind a number")
def cases_behind(request, query: Query[CasesIn]):
    _evaluator(request)
    period, by = _period(query), one_of(query.by, BY, "by")
    one_of(query.indicator, INDICATOR_NAMES, "indicator")
    try:
        found = report.cases_listing(period, by, query.key, query.indicator)
    except ValueError:  # an indicator not counted for this table, or a malformed post key
        found = drilldown.Listing(0, ids=[])
    ids, last = found.page(query.after, MAX_CASES)  # a year's list is paged, never read whole
    visible = access.visible_cases(request.auth).filter(pk__in=ids).values_list("id", "number", "state", "grid_code")
    position = {pk: i for i, pk in enumerate(ids)}
    rows = sorted(visible, key=lambda row: position[row[0]])
    items = [{"id": i, "number": n, "state": s, "state_label": state_label(s), "grid_code": g} for i, n, s, g in rows]
    return {"count": found.count, "items": items, "next_after": last}
