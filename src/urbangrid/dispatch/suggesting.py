"""What the 派遣员 sees: the suggested target of a case, the rule that chose it, and why the others did not.

The rules are the active DispatchRule rows in (priority, id) order, tried by core.dispatch.choose: the first
whose every set condition matches wins; without one, the division of labour of the regulation (art. 5)
picks the first known party. Nothing here writes: cases.actions records the dispatch and its rule id.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.labels import KIND_LABELS, PARTY_LABELS, URGENCY_LABELS
from urbangrid.core import dispatch
from urbangrid.core.dispatch import CaseFacts, Kind, Suggestion, Target
from urbangrid.core.limits import Party, Urgency
from urbangrid.dispatch import directory, parties
from urbangrid.dispatch.models import DispatchRule

CLASS_FAILURE = "the class is not {prefix}…"  # core.dispatch's msgid for a class that does not match
PARAM_LABELS = {"party": PARTY_LABELS, "kind": KIND_LABELS, "urgency": URGENCY_LABELS}


@dataclass(frozen=True)
class RuleCheck:
    rule_id: int
    name: str
    matched: bool
    reason: str  # translated: why it did not match; empty when it matched


@dataclass(frozen=True)
class Explanation:
    suggestion: Suggestion | None
    summary: str  # translated: the reason of the suggestion, or that the 派遣员 must choose
    checks: list[RuleCheck]


def facts_for(
    kind: Kind | str, class_code: str, grid_code: str, urgency: Urgency | str, at: datetime, component=None,
    *, first_party: Party | str | None = None,
) -> CaseFacts:
    """The facts a rule looks at. `first_party` (e.g. the 立案条件's responsible party) overrides the class's."""
    kind = Kind(kind)
    if first_party is None:
        first_party = _class_first_party(kind, class_code)
    return CaseFacts(
        kind=kind, class_code=class_code, area_code=grid_code, at=at, urgency=Urgency(urgency or Urgency.NORMAL),
        parties=parties.parties(kind, class_code, grid_code, component),
        first_party=Party(first_party) if first_party else None,
    )


def suggest(facts: CaseFacts) -> Suggestion | None:
    """The target to dispatch to and the rule that chose it (None: the default order); None: no suggestion."""
    return _choose(directory.get(), facts)


def auto_dispatch(kind: Kind | str, class_code: str) -> bool:
    return (str(kind), class_code) in directory.get().auto


def explain_for(facts: CaseFacts) -> Explanation:
    known = directory.get()  # one snapshot for both, so the explanation and the suggestion agree
    checks = dispatch.explain(known.core_rules, facts, timezone.get_default_timezone())
    by_id = {row.pk: row for row in known.rules}
    suggestion = _choose(known, facts)
    lines = [_line(by_id[rule_id], group) for rule_id, group in _groups(checks)]
    return Explanation(suggestion, _summary(suggestion, by_id), lines)


def target_organisation(target: Target) -> Organisation:
    """The organisation a suggestion names (a department, or a district command centre)."""
    return Organisation.objects.get(pk=int(target.id))


def _choose(known: directory.Directory, facts: CaseFacts) -> Suggestion | None:
    auto = [facts.class_code] if (str(facts.kind), facts.class_code) in known.auto else []
    return dispatch.choose(known.core_rules, facts, auto, timezone.get_default_timezone())


def _class_first_party(kind: Kind, class_code: str) -> str | None:
    found = directory.get().classes.get((str(kind), class_code))
    return None if found is None else found.default_party


def _groups(checks: list[dispatch.Check]) -> list[tuple[int, list[dispatch.Check]]]:
    """Consecutive checks of one row (a row listing several classes gives one core rule per class)."""
    groups: list[tuple[int, list[dispatch.Check]]] = []
    for check in checks:
        if groups and groups[-1][0] == check.rule.id:
            groups[-1][1].append(check)
        else:
            groups.append((check.rule.id, [check]))
    return groups


def _line(row: DispatchRule, group: list[dispatch.Check]) -> RuleCheck:
    if any(check.failure is None for check in group):
        return RuleCheck(row.pk, row.name, True, "")
    other = next((check for check in group if check.failure != CLASS_FAILURE), None)
    if other is not None:
        return RuleCheck(row.pk, row.name, False, _translate(other.failure, other.params))
    if len(group) == 1:
        return RuleCheck(row.pk, row.name, False, _translate(group[0].failure, group[0].params))
    codes = ", ".join(row.class_code_list())
    return RuleCheck(row.pk, row.name, False, gettext("the class is none of {codes}").format(codes=codes))


def _summary(suggestion: Suggestion | None, rows: dict[int, DispatchRule]) -> str:
    if suggestion is None:
        return gettext("No rule matched and no responsible party is known: the dispatcher chooses.")
    params = dict(suggestion.params)
    if suggestion.rule is not None:
        params["rule"] = f"{rows[suggestion.rule.id].name} (#{suggestion.rule.id})"
    return _translate(suggestion.reason, params)


def _translate(message: str, params: dict) -> str:
    shown = {key: PARAM_LABELS[key].get(value, value) if key in PARAM_LABELS else value
             for key, value in params.items()}
    return gettext(message).format(**shown)
