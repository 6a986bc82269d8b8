"""Who the dispatch rules say should handle a case, and whether the 派遣员 followed them.

The suggestion is computed at intake (stored on the intake event, so the 派遣员 sees it from the start) and
again at dispatch, when the class is final. A city dispatcher who picks another target than the suggested
one must say why: the override reason is stored on the dispatch event with the rule that was passed over,
for the audit of 错误派遣. A district centre dispatching a case the city forwarded to it chooses freely
within its district (二级派遣): the rules pointed at the centre, not past it.
"""

from datetime import datetime

from django.utils.translation import gettext, gettext_noop

from urbangrid.accounts.models import Organisation
from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.models import Case
from urbangrid.core.dispatch import Suggestion
from urbangrid.dispatch import suggesting
from urbangrid.dispatch.parties import target_of


def suggestion(case: Case, at: datetime) -> Suggestion | None:
    if case.klass is None:
        return None
    # Once opened, the 立案条件 names who gets the case first; before, the class's default party does.
    first = case.condition.responsible_party if case.condition_id else case.klass.default_party
    facts = suggesting.facts_for(
        case.kind, case.klass.code, case.grid_code, case.urgency, at, case.component, first_party=first
    )
    return suggesting.suggest(facts)


def automatic(case: Case, at: datetime) -> tuple[Suggestion, Organisation] | None:
    """The suggestion and its target, if the case's class is dispatched without waiting for a 派遣员."""
    found = suggestion(case, at)
    if found is None or not found.auto:
        return None
    return found, suggesting.target_organisation(found.target)


def describe(found: Suggestion | None) -> dict:
    if found is None:
        return {"suggestion": None}
    return {
        "suggestion": {
            "target": {"kind": str(found.target.kind), "id": str(found.target.id)},
            "rule": None if found.rule is None else str(found.rule.id),
            "explanation": found.explain(),
            "auto": found.auto,
        }
    }


def check(case: Case, chosen: Organisation, reason: str, at: datetime, free: bool = False) -> dict:
    """The event data of a dispatch: the rule followed, or the reason the suggestion was overridden."""
    found = suggestion(case, at)
    data = describe(found)
    if found is None or free:
        return data
    if found.target == target_of(chosen):
        return {**data, "rule": data["suggestion"]["rule"], "followed": True}
    if not reason:
        message = gettext_noop(
            "The dispatch rules suggest another target ({explanation}); give a reason to override them."
        )
        raise InvalidInput(message, "reason", explanation=gettext(found.reason).format(**found.params))
    return {**data, "followed": False, "override_reason": reason}
