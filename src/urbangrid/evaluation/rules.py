"""Scoring rule sets: versions of weights, methods, bands and grade floors, as core.evaluation terms.

A rule set in use by a published bulletin is frozen (admin shows it read-only); to change the rules an
evaluator copies it to a new version, edits that and puts it in use. A bulletin keeps the version it was
published with, so it can always be recomputed under the rules it was published under.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from urbangrid.core import evaluation as core
from urbangrid.evaluation.models import RuleSet, RuleTerm

DEFAULT_NAME = "STANDARDS.md §5"


@transaction.atomic
def install_defaults(name: str = DEFAULT_NAME) -> RuleSet:
    """The defaults of STANDARDS.md §5.2–5.5 (mistakes fixed) as a new version, put in use."""
    ruleset = _new(name, [[letter, int(floor)] for letter, floor in core.DEFAULT_GRADES])
    RuleTerm.objects.bulk_create(
        RuleTerm(ruleset=ruleset, subject=subject, indicator=t.indicator, weight=t.weight, method=str(t.method),
                 bands=[[threshold, int(score)] for threshold, score in t.bands])
        for subject in core.SUBJECTS for t in core.default_terms(subject)
    )
    use(ruleset)
    return ruleset


@transaction.atomic
def copy(ruleset: RuleSet) -> RuleSet:
    """A new, editable version with the same terms and grades (not yet in use)."""
    new = _new(f"{ruleset.name} (v{ruleset.version})"[:100], ruleset.grades, note=ruleset.note)
    RuleTerm.objects.bulk_create(
        RuleTerm(ruleset=new, subject=t.subject, indicator=t.indicator, weight=t.weight, method=t.method,
                 bands=t.bands)
        for t in ruleset.terms.all()
    )
    return new


def use(ruleset: RuleSet) -> None:
    RuleSet.objects.exclude(pk=ruleset.pk).filter(active=True).update(active=False)
    RuleSet.objects.filter(pk=ruleset.pk).update(active=True)
    ruleset.active = True


def current() -> RuleSet:
    """The rule set in use; the defaults are installed on first need."""
    found = RuleSet.objects.filter(active=True).order_by("-version").first()
    return found or install_defaults()


def terms(ruleset: RuleSet) -> dict[str, list[core.Term]]:
    found: dict[str, list[core.Term]] = {}
    for t in ruleset.terms.order_by("id"):
        bands = tuple((int(threshold), Decimal(str(score))) for threshold, score in t.bands or ())
        found.setdefault(t.subject, []).append(core.Term(t.indicator, t.weight, core.Method(t.method), bands))
    return found


def grades(ruleset: RuleSet) -> tuple[tuple[str, Decimal], ...]:
    rows = ruleset.grades or [[letter, int(floor)] for letter, floor in core.DEFAULT_GRADES]
    return tuple(sorted(((str(letter), Decimal(str(floor))) for letter, floor in rows), key=lambda g: -g[1]))


def _new(name: str, grade_rows: list, note: str = "") -> RuleSet:
    version = (RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    return RuleSet.objects.create(version=version, name=name, note=note, grades=grade_rows)
