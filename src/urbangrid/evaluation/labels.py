"""Labels of the evaluation codes, translated here (the core keeps English msgids and the standard's terms)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.labels import POST_LABELS
from urbangrid.core import evaluation as core

SUBJECT_LABELS = {
    "region": _("Regions (district, street, community, grid)"),
    "department": _("Departments"),
    **{subject: POST_LABELS[subject] for subject in core.SUBJECTS if subject in POST_LABELS},
}
METHOD_LABELS = {
    core.Method.RATE: _("the rate (higher is better)"),
    core.Method.INVERSE_RATE: _("100 − the rate (lower is better)"),
    core.Method.BANDS_UP: _("bands of a count: at least the threshold (more is better)"),
    core.Method.BANDS_DOWN: _("bands of a count: at most the threshold (fewer is better)"),
}
DIMENSION_LABELS = {
    "district": _("District"), "street": _("Street"), "community": _("Community"), "grid": _("Unit grid"),
    "department": _("Department"), "class": _("Class"), "source": _("Source"), "post": _("Post"),
}
PERIOD_LABELS = {
    core.PeriodKind.DAY: _("Day"), core.PeriodKind.WEEK: _("Week"), core.PeriodKind.MONTH: _("Month"),
    core.PeriodKind.QUARTER: _("Quarter"), core.PeriodKind.YEAR: _("Year"), core.PeriodKind.CUSTOM: _("Custom"),
}
# Every name a term may score: counts and rates of regions and departments, and of posts (some names are
# shared: 立案 of a region is 立案数 of a shift leader).
CASE_INDICATORS = {**{d.name: d for d in (*core.FACT_COUNTS, *core.QUERY_TIME)}, **{r.name: r for r in core.RATES}}
POST_INDICATORS = {**core.POST_DEFINITIONS, **{r.name: r for r in core.POST_RATES}}
INDICATORS = {**POST_INDICATORS, **CASE_INDICATORS}


def is_chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").lower().startswith("zh")


def term(name: str, post: bool = False) -> str:
    """The column heading: the standard's Chinese term in Chinese, the English label otherwise."""
    found = (POST_INDICATORS if post else CASE_INDICATORS).get(name)
    if found is None:
        return name
    return found.term if is_chinese() else gettext(found.label)
