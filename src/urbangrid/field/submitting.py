"""What the phone sends, applied through cases.actions, safe to send again.

A queued submission may arrive twice (the answer was lost when the network dropped) or long after it was
made. Reports carry the phone's idempotency key into cases.actions.report, which returns the first case on a
repeat; the photos are attached only when the case is new, or when an earlier attempt created the case but
died before its photos. Task results (核实, 核查) are applied if the case is still in the state the collector
saw, whatever its version, and recorded in a TaskReceipt so that a repeat is answered without acting again.
"""

import contextlib

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from urbangrid.accounts.models import User
from urbangrid.cases import access, actions
from urbangrid.cases.errors import InvalidInput, NotPossible
from urbangrid.cases.models import Case
from urbangrid.core.workflow import Action, State
from urbangrid.field.models import TaskReceipt

MAX_PHOTOS = 9
TASK_ACTIONS = {
    State.VERIFYING: (Action.VERIFY, Action.REFUTE),  # 核实
    State.CHECKING: (Action.PASS_CHECK, Action.REWORK),  # 核查
}
REPORT_FIELDS = ("kind", "class_code", "component", "lon", "lat", "description", "address", "urgency")


def report(user: User, key: str, fields: dict, photos: dict[str, list]) -> tuple[Case, bool]:
    """(case, created) for a report with its photos by kind ("evidence", or "before" and "after")."""
    self_handled = fields.get("self_handled") in (True, "1", "true", "on")
    _count(photos)
    if self_handled and not (photos.get("before") and photos.get("after")):
        message = gettext_noop("A problem handled on the spot needs photos from before and after.")
        raise InvalidInput(message, "photos")
    given = {name: fields[name] for name in REPORT_FIELDS if fields.get(name) not in (None, "")}
    case, created = actions.report(user, idempotency_key=key, source="collector", self_handled=self_handled, **given)
    if created or not case.attachments.filter(uploaded_by=user).exists():
        for kind, uploads in photos.items():
            for upload in uploads:
                actions.add_attachment(case.pk, user, upload, kind)
    return case, created


def task(user: User, key: str, case_id: int, action: str, seen_state: str, reason: str, photos: list) -> dict:
    """Apply a 核实 or 核查 result: {"case": id, "state": …, "repeated": bool}."""
    done = TaskReceipt.objects.filter(user=user, key=key).first()
    if done is not None:
        return {"case": done.case_id, "state": Case.objects.get(pk=done.case_id).state, "repeated": True}
    case = access.access_case(user, case_id)
    if action not in {str(a) for a in TASK_ACTIONS.get(seen_state, ())}:  # StrEnum keys: a plain string finds them
        raise InvalidInput(gettext_noop("{value} is not a result of this task."), "action", value=action)
    if case.state != seen_state:
        message = gettext_noop("The case has moved on since you took the task (now: {state}); nothing was changed.")
        raise NotPossible(message, state=case.state)
    _count({"evidence": photos})
    ids = [actions.add_attachment(case.pk, user, upload, "evidence").pk for upload in photos]
    moved = actions.act(case.pk, user, action, case.version, reason=reason, attachments=ids)
    # The same key raced in twice: the case's lock let one act, and the other failed on the state above.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        TaskReceipt.objects.create(user=user, key=key, case_id=case.pk, action=action)
    return {"case": moved.pk, "state": moved.state, "repeated": False}


def _count(photos: dict[str, list]) -> None:
    if sum(len(uploads) for uploads in photos.values()) > MAX_PHOTOS:
        raise InvalidInput(gettext_noop("At most {limit} photos."), "photos", limit=MAX_PHOTOS)
