"""Evaluation report pages, the drill-down to cases, XLSX export, indicator definitions, public bulletins.

The report pages are for the city-wide posts of the supervision and command centres (领导, 值班长, 派遣员,
受理员: cases.access.CITY_WIDE), who may see every case anyway; the drill-down still lists only what
cases.access lets the user see. Published bulletins are public (art. 30) and hold aggregates only; the
same staff make bulletins as drafts and a leader approves or rejects them (evaluation.bulletins).
"""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from urbangrid.cases import access, clock
from urbangrid.cases.labels import state_label
from urbangrid.core import evaluation as core
from urbangrid.core.posts import Post
from urbangrid.evaluation import (
    accountability,
    breakdown,
    bulletins,
    charts,
    drilldown,
    export,
    maintenance,
    report,
    rules,
    trend,
)
from urbangrid.evaluation.columns import BULLETIN_COLUMNS, COUNT_COLUMNS, POST_COLUMNS, RATE_COLUMNS, SUMMARY
from urbangrid.evaluation.labels import DIMENSION_LABELS, PERIOD_LABELS, term
from urbangrid.evaluation.models import Bulletin
from urbangrid.grid.models import Area

EVALUATORS = access.CITY_WIDE
REVIEWERS = frozenset({Post.LEADER})  # approve or reject a draft bulletin (never their own)
PDF = "application/pdf"
BY_CHOICES = [(d, DIMENSION_LABELS[d]) for d in (*report.DIMENSIONS, "post")]
TREND_PERIODS = 6


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=[(str(k), v) for k, v in PERIOD_LABELS.items()])
    day = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=gettext_lazy("Last day (custom)"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=gettext_lazy("Table"), choices=BY_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        kind, day, last = cleaned.get("kind"), cleaned.get("day"), cleaned.get("last")
        if kind is None or day is None:
            return cleaned
        if kind == core.PeriodKind.CUSTOM and last is None:
            self.add_error("last", _("A custom period needs its last day."))
            return cleaned
        try:
            cleaned["period"] = core.period(kind, day, last)
        except ValueError as error:
            self.add_error("last", _(str(error)))
        return cleaned


def evaluator(view):
    """Login, then a city-wide post of the centres; anyone else gets 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not _posts(request.user) & EVALUATORS:
            raise PermissionDenied(_("The evaluation reports are for the supervision and command centres."))
        return view(request, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _posts(user) -> set[Post]:
    return {Post(a.post) for a in access.appointments(user)}


def _form(request) -> tuple[PeriodForm, core.Period | None, str]:
    today = timezone.localdate(clock.now())
    data = {"kind": "month", "day": today.isoformat(), "by": "district", **request.GET.dict()}
    form = PeriodForm(data)
    if not form.is_valid():
        return form, None, data.get("by") or "district"
    return form, form.cleaned_data["period"], form.cleaned_data.get("by") or "district"


def _query(period: core.Period, **extra) -> str:
    params = {"kind": str(period.kind), "day": period.first.isoformat()}
    if period.kind == core.PeriodKind.CUSTOM:
        params["last"] = period.last.isoformat()
    return urlencode({**params, **extra})


@require_GET
@evaluator
def index(request):
    """GET /evaluation/?kind=month&day=2026-11-01&by=district: tables, ranking, trend; numbers link to cases."""
    form, period, by = _form(request)
    context = {"form": form, "period": period, "by": by, "by_label": DIMENSION_LABELS.get(by, by),
               "dimensions": BY_CHOICES, "can_draft": True}
    if period is None:
        return render(request, "evaluation/index.html", context, status=400)
    ruleset = rules.current()
    context.update(ruleset=ruleset, query=_query(period), period_label=_period_label(period))
    district_rows = report.table(period, "district", ruleset)
    totals = report.totals_row(district_rows)
    context["summary"] = [_cell(period, "district", report.ALL, name, totals.counts[name]) for name in SUMMARY]
    context["trend"] = _trend(period)
    class_rows = None
    if by == "post":
        context["post_groups"] = _post_groups(period, report.post_table(period, ruleset))
        ranked = [(f"{g['label']} {r['label']}", r["score"]) for g in context["post_groups"] for r in g["rows"]]
    else:
        within = _within(request, by)
        rows = district_rows if by == "district" else report.table(period, by, ruleset, within=within)
        class_rows = rows if by == "class" else None
        context["table"] = _table(period, by, rows, within)
        context.update(within=within, within_label=_area_name(within))
        ranked = [(row.label, row.score if row.score is not None else row.rates["close_rate"]) for row in rows]
    context["ranking"] = charts.bars(ranked)
    context["classes"] = breakdown.chart(breakdown.top_classes(period, class_rows))
    return render(request, "evaluation/index.html", context)


def _period_label(period: core.Period) -> str:
    if period.first == period.last:
        return period.first.isoformat()
    return f"{period.first.isoformat()} – {period.last.isoformat()}"


def _cell(period: core.Period, by: str, key: str, name: str, value) -> dict:
    url = reverse("evaluation:cases") + "?" + _query(period, by=by, key=key, n=name)
    return {"name": name, "heading": term(name, by == "post"), "value": value, "url": url}


def _table(period: core.Period, by: str, rows: list[report.Row], within: str = "") -> dict:
    body = []
    inner = INNER.get(by)
    for row in sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.key)):
        # A region's row opens the table of the regions inside it (a community's: its grids).
        deeper = "?" + _query(period, by=inner, within=row.key) if inner and row.key else ""
        body.append({"row": row, "cells": _cells_html(period, by, row), "deeper": deeper})
    totals = report.totals_row(rows)
    # Within a region the totals are that region's: their cases are its cases.
    total_by = _level_of(within) if within else by
    total = _cells_html(period, total_by, report.Row(within or report.ALL, "", totals.counts, totals.rates))
    return {"headings": [term(n) for n in COUNT_COLUMNS], "rate_headings": [term(n) for n in RATE_COLUMNS],
            "rows": body, "totals": total, "scored": any(r.score is not None for r in rows)}


def _cells_html(period: core.Period, by: str, row: report.Row) -> str:
    """The count and rate cells of one row, each a link to its cases, as the template would write them, but
    made here: a city's community table has ≈1,000 rows of 30 linked cells, and reverse(), urlencode() and
    the template engine per cell took ≈1 ms a row. The link differs between cells only in its last value,
    the indicator (a name, nothing to escape)."""
    prefix = escape(reverse("evaluation:cases") + "?" + _query(period, by=by, key=row.key, n=""))
    # Counts as the template writes integers (no thousand separator: settings.USE_THOUSAND_SEPARATOR is off).
    cells = [f'<td><a href="{prefix}{n}">{row.counts[n]}</a></td>' for n in COUNT_COLUMNS]
    for name in RATE_COLUMNS:
        value = row.rates[name]
        if value is None:
            cells.append('<td class="rate">—</td>')
        else:
            numerator = core.RATE_BY_NAME[name].numerator
            cells.append(f'<td class="rate"><a href="{prefix}{numerator}">{localize(value)}%</a></td>')
    return mark_safe("".join(cells))  # the links escaped above, the rest numbers and indicator names


INNER = {"district": "street", "street": "community", "community": "grid"}


def _level_of(code: str) -> str:
    """The region dimension of an area code (6 district, 9 street, 12 community)."""
    return {length: level for level, length in report.REGION_LENGTH.items()}[len(code)]


def _within(request, by: str) -> str:
    """?within=CODE: only the regions inside that district, street or community (ignored where it cannot
    apply: a city-wide table then)."""
    within = request.GET.get("within", "").strip()
    try:
        report.check_within(by, within)
    except ValueError:
        return ""
    return within


def _area_name(code: str) -> str:
    if not code:
        return ""
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


def _post_groups(period: core.Period, rows: list[report.Row]) -> list[dict]:
    groups = []
    for post, (counts, rates) in POST_COLUMNS.items():
        mine = [r for r in rows if r.extra["post"] == post]
        if not mine:
            continue
        body = []
        for row in sorted(mine, key=lambda r: (r.rank is None, r.rank or 0, r.label)):
            body.append({
                "label": row.label, "score": row.score, "grade": row.grade, "rank": row.rank,
                "counts": [_post_cell(period, row, n) for n in counts],
                "rates": [{"value": row.rates[n]} for n in rates],
            })
        groups.append({"label": mine[0].extra["post_label"], "headings": [term(n, True) for n in counts],
                       "rate_headings": [term(n, True) for n in rates], "rows": body})
    return groups


def _post_cell(period: core.Period, row: report.Row, name: str) -> dict:
    if name in ("accurate_opened", "accurate_dispatched"):
        return {"value": row.counts[name], "url": ""}
    return _cell(period, "post", row.key, name, row.counts[name])


def _trend(period: core.Period) -> dict:
    """The city's two closing rates over this period and the ones before (trend.city_totals: a few queries,
    the same numbers as each period's district table's totals)."""
    periods = [period]
    for _i in range(TREND_PERIODS - 1):
        periods.insert(0, periods[0].previous())
    totals = trend.city_totals(periods)
    closing = [t.rates["close_rate"] for t in totals]
    on_time = [t.rates["close_on_time_rate"] for t in totals]
    labels = [p.first.strftime("%m-%d") if p.kind in ("day", "week", "custom") else p.first.strftime("%Y-%m")
              for p in periods]
    return charts.trend(labels, {term("close_rate"): closing, term("close_on_time_rate"): on_time})


@require_GET
@evaluator
def cases(request):
    """GET /evaluation/cases/?kind&day&by&key&n: the exact cases behind one number of a report."""
    form, period, by = _form(request)
    name, key = request.GET.get("n", ""), request.GET.get("key", "")
    known = {*core.DEFINITIONS, *core.POST_DEFINITIONS}
    if period is None or name not in known:
        return render(request, "evaluation/index.html", {"form": form, "dimensions": BY_CHOICES}, status=400)
    try:
        found = report.cases_listing(period, by, key, name)
    except ValueError:
        found = drilldown.Listing(0, ids=[])
    after = _after(request)
    ids, last = found.page(after)
    shown = access.visible_cases(request.user).filter(pk__in=ids).select_related("klass", "department")
    here = reverse("evaluation:cases") + "?" + _query(period, by=by, key=key, n=name)
    context = {
        "rows": [{"case": c, "state": state_label(c.state)} for c in sorted(shown, key=lambda c: ids.index(c.pk))],
        "count": found.count, "name": term(name, by == "post"),
        "definition": _definition(name, by == "post"),
        "period_label": _period_label(period), "by_label": DIMENSION_LABELS.get(by, by), "key": key,
        "back": reverse("evaluation:index") + "?" + _query(period, by=by),
        "first_page": here if after else "", "next_page": f"{here}&after={last}" if last is not None else "",
    }
    return render(request, "evaluation/cases.html", context)


def _after(request) -> int:
    """The keyset of a drill-down page: the cases after this one in the list's order (drilldown.Listing.page)."""
    try:
        return max(int(request.GET.get("after", "0")), 0)
    except ValueError:
        return 0


def _definition(name: str, post: bool) -> str:
    found = (core.POST_DEFINITIONS if post else core.DEFINITIONS).get(name)
    return _(found.text) if found else ""


@require_GET
@evaluator
def export_xlsx(request):
    """GET /evaluation/export.xlsx?kind&day: the period's tables as a workbook, a sheet per table."""
    form, period, _by = _form(request)
    if period is None:
        return render(request, "evaluation/index.html", {"form": form, "dimensions": BY_CHOICES}, status=400)
    content = export.workbook(period, rules.current())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"evaluation-{period.kind}-{period.first.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@evaluator
def accountable(request):
    """GET /evaluation/accountability/?kind&day: repeated returns, rework loops, overdue without action, idle
    cases, by department and person (art. 32)."""
    form, period, _by = _form(request)
    if period is None:
        return render(request, "evaluation/index.html", {"form": form, "dimensions": BY_CHOICES}, status=400)
    found = accountability.flagged(period)
    sections = [
        ("returns", _("Returned again and again (回退 twice or more)"), _("returns")),
        ("reworks", _("Rework loops (返工 twice or more)"), _("reworks")),
        ("overdue", _("Overdue with nothing done since the deadline"), _("days overdue")),
        ("idle", _("Idle for {days} days or more").format(days=accountability.IDLE_DAYS), _("days idle")),
    ]
    context = {
        "form": form, "period_label": _period_label(period), "query": _query(period),
        "sections": [{"key": key, "title": title, "unit": unit, "flags": found[key]} for key, title, unit in sections],
        "departments": accountability.by_department(found),
    }
    return render(request, "evaluation/accountability.html", context)


MAINTENANCE_TERMS = {"opened": gettext_lazy("Problems found"), "handled": gettext_lazy("Handled"),
                     "handled_on_time": gettext_lazy("Handled on time")}


@require_GET
@evaluator
def maintenance_report(request):
    """GET /evaluation/maintenance/?kind&day: per maintenance unit, its components by class and condition, the
    problems found on them and how they were handled (funding basis, art. 31(5)); numbers link to cases."""
    form, period, _by = _form(request)
    if period is None:
        return render(request, "evaluation/maintenance.html", {"form": form}, status=400)
    rows = maintenance.table(period)
    classes = maintenance.class_labels(rows)

    def link(row, name):
        query = _query(period, unit=row.unit_id, n=name)
        return {"value": row.counts[name], "url": reverse("evaluation:maintenance-cases") + "?" + query}

    units = [{"row": row, "statuses": [row.by_status[s] for s in maintenance.STATUSES],
              "counts": [link(row, n) for n in maintenance.COUNTED],
              "classes": [{"label": classes.get(k, str(k)), "statuses": [v[s] for s in maintenance.STATUSES],
                           "total": sum(v.values())} for k, v in sorted(row.by_class.items(),
                                                                        key=lambda kv: classes.get(kv[0], ""))]}
             for row in rows]
    return render(request, "evaluation/maintenance.html", {
        "form": form, "period": period, "period_label": _period_label(period), "query": _query(period),
        "units": units, "status_headings": [maintenance_status_label(s) for s in maintenance.STATUSES],
        "count_headings": list(MAINTENANCE_TERMS.values()),
    })


def maintenance_status_label(status: str) -> str:
    from urbangrid.components.models import STATUS_LABELS

    return str(STATUS_LABELS[status])


@require_GET
@evaluator
def maintenance_cases(request):
    """GET /evaluation/maintenance/cases/?kind&day&unit&n: the cases behind one number of that report."""
    form, period, _by = _form(request)
    name = request.GET.get("n", "")
    try:
        unit = int(request.GET.get("unit", ""))
    except ValueError:
        unit = None
    if period is None or unit is None or name not in maintenance.COUNTED:
        return render(request, "evaluation/maintenance.html", {"form": form}, status=400)
    all_ids = maintenance.cases_behind(period, unit, name)
    found = drilldown.Listing(len(all_ids), ids=sorted(all_ids))
    after = _after(request)
    ids, last = found.page(after)
    shown = access.visible_cases(request.user).filter(pk__in=ids).select_related("klass", "department")
    label = next((r.label for r in maintenance.table(period) if r.unit_id == unit), str(unit))
    here = reverse("evaluation:maintenance-cases") + "?" + _query(period, unit=unit, n=name)
    return render(request, "evaluation/cases.html", {
        "rows": [{"case": c, "state": state_label(c.state)} for c in shown.order_by("id")],
        "count": found.count, "name": MAINTENANCE_TERMS[name], "definition": _definition(name, False),
        "period_label": _period_label(period), "by_label": _("Maintenance unit"), "key": label,
        "back": reverse("evaluation:maintenance") + "?" + _query(period),
        "first_page": here if after else "", "next_page": f"{here}&after={last}" if last is not None else "",
    })


@require_GET
@evaluator
def maintenance_xlsx(request):
    """GET /evaluation/maintenance.xlsx?kind&day: the same report as a workbook."""
    form, period, _by = _form(request)
    if period is None:
        return render(request, "evaluation/maintenance.html", {"form": form}, status=400)
    content = export.maintenance_workbook(period, maintenance.table(period))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"maintenance-{period.kind}-{period.first.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def indicators(request):
    """GET /evaluation/indicators/: what every count means (public: definitions are no secret)."""
    groups = [
        (_("Counted as cases move (maintained per day)"), core.FACT_COUNTS),
        (_("Counted at the end of the period"), core.QUERY_TIME),
        (_("Counted per person and post"), (*core.POST_COUNTS, *core.POST_QUERY_TIME)),
    ]
    rows = [(title, [{"term": d.term, "label": _(d.label), "text": _(d.text), "name": d.name} for d in items])
            for title, items in groups]
    rates = [{"term": r.term, "label": _(r.label), "numerator": term(r.numerator, post),
              "denominator": term(r.denominator, post)}
             for post, group in ((False, core.RATES), (True, core.POST_RATES)) for r in group]
    return render(request, "evaluation/indicators.html", {"groups": rows, "rates": rates})


# ---------------------------------------------------------------------------------------------------------
# Bulletins: drafts, review, corrections (staff); the published ones (everyone)


class ReasonForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000,
                           error_messages={"required": gettext_lazy("Give the reason for rejecting the bulletin.")})


class CorrectionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What the correction changes and why"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("Say what the correction changes and why.")})


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


@require_GET
@evaluator
def bulletin_list(request):
    """GET /evaluation/bulletins/: every bulletin with its review status; the form to make a draft."""
    found = Bulletin.objects.select_related("ruleset", "created_by", "reviewed_by")[:200]
    today = timezone.localdate(clock.now())
    form = PeriodForm(initial={"kind": "month", "day": today.replace(day=1) - timedelta(days=1)})
    return render(request, "evaluation/bulletins.html", {"bulletins": found, "form": form})


@require_POST
@evaluator
def bulletin_draft(request):
    """POST /evaluation/bulletins/draft/ (evaluation staff): freeze the period's tables as a draft for review."""
    form = PeriodForm(request.POST)
    if not form.is_valid():
        found = Bulletin.objects.select_related("ruleset", "created_by", "reviewed_by")[:200]
        return render(request, "evaluation/bulletins.html", {"bulletins": found, "form": form}, status=400)
    bulletin = bulletins.draft(form.cleaned_data["period"], request.user)
    return redirect("evaluation:review", bulletin_id=bulletin.pk)


@require_GET
@evaluator
def review(request, bulletin_id: int):
    """GET /evaluation/bulletins/<id>/: one bulletin whatever its status, its review log and the next steps."""
    return _review_page(request, get_object_or_404(_bulletins(), pk=bulletin_id))


def _review_page(request, found: Bulletin, status: int = 200, **forms_given):
    reviewer = bool(_posts(request.user) & REVIEWERS) and found.created_by_id != request.user.pk
    context = {
        **_bulletin_context(found), "decisions": found.decisions.select_related("actor"),
        "can_review": found.status == Bulletin.Status.DRAFT and reviewer,
        "own_draft": found.status == Bulletin.Status.DRAFT and found.created_by_id == request.user.pk,
        "can_correct": found.status == Bulletin.Status.PUBLISHED,
        "approve_form": forms_given.get("approve") or NoteForm(),
        "reject_form": forms_given.get("reject") or ReasonForm(),
        "correct_form": forms_given.get("correct") or CorrectionForm(),
        "refused": forms_given.get("refused", ""),
    }
    return render(request, "evaluation/review.html", context, status=status)


def _bulletins():
    return Bulletin.objects.select_related("ruleset", "replaces", "created_by", "reviewed_by")


def _reviewer(view):
    """A leader (evaluator first); anyone else gets 403."""

    @evaluator
    def wrapper(request, *args, **kwargs):
        if not _posts(request.user) & REVIEWERS:
            raise PermissionDenied(_("Bulletins are approved or rejected by a leader."))
        return view(request, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


@require_POST
@_reviewer
def approve(request, bulletin_id: int):
    """POST /evaluation/bulletins/<id>/approve/ (a leader who did not make it): publish the draft."""
    found = get_object_or_404(_bulletins(), pk=bulletin_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _review_page(request, found, 400, approve=form)
    try:
        bulletins.approve(found, request.user, form.cleaned_data["text"])
    except bulletins.ReviewRefused as refused:
        return _review_page(request, found, 409, approve=form, refused=str(refused))
    return redirect("evaluation:review", bulletin_id=found.pk)


@require_POST
@_reviewer
def reject(request, bulletin_id: int):
    """POST /evaluation/bulletins/<id>/reject/ (a leader who did not make it): refuse the draft, with why."""
    found = get_object_or_404(_bulletins(), pk=bulletin_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _review_page(request, found, 400, reject=form)
    try:
        bulletins.reject(found, request.user, form.cleaned_data["text"])
    except bulletins.ReviewRefused as refused:
        return _review_page(request, found, 409, reject=form, refused=str(refused))
    return redirect("evaluation:review", bulletin_id=found.pk)


@require_POST
@evaluator
def correct(request, bulletin_id: int):
    """POST /evaluation/bulletins/<id>/correct/ (evaluation staff): a draft correcting a published bulletin."""
    found = get_object_or_404(_bulletins(), pk=bulletin_id)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _review_page(request, found, 400, correct=form)
    try:
        made = bulletins.correct(found, request.user, form.cleaned_data["text"])
    except bulletins.ReviewRefused as refused:
        return _review_page(request, found, 409, correct=form, refused=str(refused))
    return redirect("evaluation:review", bulletin_id=made.pk)


@require_GET
def public(request):
    """GET /evaluation/public/: the published bulletins, for everyone (art. 30)."""
    found = list(bulletins.published()[:100])
    replaced = {b.replaces_id for b in found if b.replaces_id}
    rows = [{"bulletin": b, "replaced": b.pk in replaced} for b in found]
    return render(request, "evaluation/public.html", {"rows": rows})


def _published_or_staff(request, bulletin_id: int) -> Bulletin:
    """A published bulletin, for everyone; a draft or rejected one only for evaluation staff (404 to others:
    an unpublished bulletin is not there for the public)."""
    found = get_object_or_404(_bulletins(), pk=bulletin_id)
    staff = request.user.is_authenticated and bool(_posts(request.user) & EVALUATORS)
    if found.status != Bulletin.Status.PUBLISHED and not staff:
        raise Http404
    return found


def _bulletin_context(found: Bulletin) -> dict:
    tables = []
    for name in bulletins.PUBLISHED_TABLES:
        rows = [{"label": r["label"], "score": r["score"], "grade": r["grade"], "rank": r["rank"],
                 "counts": [r["counts"].get(n) for n in BULLETIN_COLUMNS],
                 "rates": [r["rates"].get(n) for n in RATE_COLUMNS]}
                for r in sorted(found.content["tables"].get(name, []), key=_by_rank)]
        tables.append({"label": DIMENSION_LABELS[name], "rows": rows})
    return {
        "bulletin": found, "tables": tables, "headings": [term(n) for n in BULLETIN_COLUMNS],
        "rate_headings": [term(n) for n in RATE_COLUMNS], "period_label": _period_label(bulletins.period_of(found)),
        "corrected_by": bulletins.corrected_by(found) if found.status == Bulletin.Status.PUBLISHED else None,
        "classes": found.content.get("classes"),  # bulletins made before the breakdown have none
    }


@require_GET
def bulletin(request, bulletin_id: int):
    """GET /evaluation/public/<id>/: one published bulletin (aggregates only)."""
    found = _published_or_staff(request, bulletin_id)
    return render(request, "evaluation/bulletin.html", _bulletin_context(found))


def _by_rank(row: dict) -> tuple:
    return (row["rank"] is None, row["rank"] or 0, row["key"])


@require_GET
def bulletin_pdf(request, bulletin_id: int):
    """GET /evaluation/public/<id>.pdf: the printed bulletin (public once published; a draft's, marked as
    such, for the staff reviewing it)."""
    from urbangrid.evaluation import pdf

    found = _published_or_staff(request, bulletin_id)
    response = HttpResponse(pdf.render(found, _period_label(bulletins.period_of(found))), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="bulletin-{found.first_day.isoformat()}-v{found.version}.pdf"'
    return response
