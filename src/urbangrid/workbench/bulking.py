"""Bulk actions of a queue: the same action on several cases, each its own transaction through cases.actions.

Each picked case comes with the version its row showed, so a case that changed meanwhile is reported back,
not acted on blindly. One failure does not stop the others.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from urbangrid.cases import access, actions, clock, queries
from urbangrid.cases.errors import CaseError, NotPossible, StaleCase
from urbangrid.core.posts import Post
from urbangrid.core.workflow import Action

SUGGESTED = "dispatch_suggested"
BULK = {
    Post.INTAKE_OPERATOR: [(Action.ACCEPT, gettext_lazy("Accept"), False),
                           (Action.REJECT, gettext_lazy("Reject as invalid"), True)],
    Post.SHIFT_LEADER: [(Action.CLOSE, gettext_lazy("Close"), False)],
    Post.DISPATCHER: [(SUGGESTED, gettext_lazy("Dispatch to the suggested department"), False)],
    Post.DEPARTMENT_HANDLER: [(Action.TAKE, gettext_lazy("Take"), False)],
}


def offered(post: str) -> list[dict]:
    return [{"action": str(a), "label": label, "reason": reason} for a, label, reason in BULK.get(Post(post), [])]


def run(user, post: str, action: str, picked: list[str], form) -> tuple[int, list[tuple[str, str]]]:
    """(cases done, [(case, message) of those that failed])."""
    if action not in {str(a) for a, _l, _r in BULK.get(Post(post), [])}:
        return 0, [("—", _("This queue has no such bulk action."))]
    done, failed = 0, []
    for value in picked:
        case_id, _colon, version = value.partition(":")
        if not (case_id.isdigit() and version.isdigit()):
            continue
        try:
            _one(user, action, int(case_id), int(version), form)
            done += 1
        except StaleCase:
            failed.append((_number(user, case_id), _("The case was changed by someone else; reload it.")))
        except CaseError as error:
            failed.append((_number(user, case_id), error.message))
    return done, failed


def _one(user, action: str, case_id: int, version: int, form) -> None:
    if action != SUGGESTED:
        reason = form.get("reason", "").strip()
        actions.act(case_id, user, action, version, **({"reason": reason} if reason else {}))
        return
    case = access.access_case(user, case_id, Action.DISPATCH)
    found = queries.dispatch_suggestion(case, clock.now()) if case.klass_id else None
    if not found or not found["organisation"]:
        raise NotPossible(gettext_noop("No dispatch rule suggests anyone for this case: dispatch it from its file."))
    if found["action"] == Action.FORWARD:
        actions.act(case_id, user, Action.FORWARD, version, district=found["district"])
    else:
        actions.act(case_id, user, Action.DISPATCH, version, department_id=found["organisation"]["id"])


def _number(user, case_id: str) -> str:
    return queries.number_of(user, int(case_id)) or f"#{case_id}"
