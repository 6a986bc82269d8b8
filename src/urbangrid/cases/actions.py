"""The only code that writes cases, their events and attachments (ARCHITECTURE.md §9.3 rule 2).

Every change is one durable transaction that locks the case, checks the version the caller saw, asks the
workflow table whether the move is allowed (core.workflow.step), applies the move's effects (cases.effects),
appends one event and moves the denormalised state and version together. Two operators acting on the same
case at once: the second waits for the first's lock (a row lock on PostgreSQL; the IMMEDIATE write lock on
SQLite), then finds a newer version and gets StaleCase, so exactly one succeeds.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from urbangrid import db
from urbangrid.accounts.models import User
from urbangrid.cases import access, chain, clock, effects, facts, inputs, intake, notifying, photos, routing
from urbangrid.cases.errors import CaseNotFound, InvalidInput, NotAllowed, NotPossible, StaleCase
from urbangrid.cases.labels import ATTACHMENT_KIND_LABELS, REPORT
from urbangrid.cases.models import Attachment, Case, CaseEvent, CaseSequence
from urbangrid.core import workflow
from urbangrid.core.numbering import case_number
from urbangrid.core.posts import Post
from urbangrid.core.workflow import Action, Move, State
from urbangrid.grid import versions

A = Action
SEEN_KEY_SQL = "SELECT id FROM cases_case WHERE idempotency_key = %s"
NEXT_NUMBER_SQL = "UPDATE cases_casesequence SET last = last + 1 WHERE day = %s RETURNING last"
POSTS_MSGID = "{action} needs one of these posts: {posts}"


def report(actor: User, idempotency_key: str | None = None, **fields) -> tuple[Case, bool]:
    """Take in a report; (case, created). The same idempotency key again returns the first case."""
    key = intake.idempotency_key(actor, idempotency_key)
    # Nearly every key is new: ask whether it exists (a one-column probe), fetch the case only on a retry.
    if key and db.select(SEEN_KEY_SQL, [key]):
        return Case.objects.get(idempotency_key=key), False
    try:
        with versions.pinned():  # one read of the data versions for the report's five caches
            checked = intake.check(actor, fields)
            return _report(checked, key), True
    except IntegrityError:
        # Two requests with the same key raced past the lookup above; the unique key let one in.
        existing = Case.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False


@transaction.atomic(durable=True)
def _report(checked: intake.Intake, key: str | None) -> Case:
    at = clock.now()
    state = workflow.initial_state(checked.self_handled)
    fields = {name: value for name, value in vars(checked).items() if name not in ("post", "organisation_id")}
    case = Case(
        **fields, state=state, state_since=at, reported_at=at, idempotency_key=key,
        step_due_at=clock.step_due(state, at), suspected_duplicate_of_id=intake.probable_duplicate(checked, at),
    )
    data = routing.describe(routing.suggestion(case, at))
    if case.suspected_duplicate_of_id:
        data["probable_duplicate_of"] = case.suspected_duplicate_of_id
    # Only reads above; the day's sequence row stays locked from here to the commit, so take it last.
    case.number = _next_number(at)
    event = _event(case, at, REPORT, "", state, actor=checked.reporter, post=checked.post,
                   organisation_id=checked.organisation_id, data=data)  # before the insert: it sets the chain head
    db.insert(case)
    event.case_id = case.pk
    _store(case, event)
    return case


def _next_number(at: datetime) -> str:
    day = timezone.localdate(at)
    found = db.select(NEXT_NUMBER_SQL, [db.day(day)])
    if not found:
        try:
            with transaction.atomic():
                CaseSequence.objects.create(day=day, last=1)
                found = [(1,)]
        except IntegrityError:  # another intake created the day's row first; its row lock now orders us
            found = db.select(NEXT_NUMBER_SQL, [db.day(day)])
    return case_number(day, found[0][0])


@transaction.atomic(durable=True)
def act(case_id: int, actor: User, action: str, expected_version: int, **raw) -> Case:
    """Take `action` on a case as `actor`, who saw it at `expected_version`."""
    action = _action(action)
    case = _locked(case_id, actor, expected_version)
    held, at = access.grants(actor, case), clock.now()
    move = _step(case, action, held, at)
    raw = _defaults(case, move, raw)
    inputs.require(move, raw)
    post = min(move.posts & held.keys())
    ctx = effects.Context(case, move, actor, post, held[post], inputs.clean(case, move, actor, raw), at)
    due_before = case.due_at
    events = [_record(ctx, effects.EFFECTS.get(move.action, effects.nothing)(ctx), due_before)]
    if move.action == A.OPEN and (automatic := _auto_dispatch(case, at)):
        events.append(automatic)
    case.save()
    for event in events:
        notifying.on_commit(case, event)
    return case


def _locked(case_id: int, actor: User, expected_version: int) -> Case:
    # Lock first: two dispatchers pressing the button together must not both succeed.
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not access.may_see(actor, case):
        raise CaseNotFound()
    if case.version != expected_version:
        raise StaleCase(case.version)
    return case


def _record(ctx: effects.Context, data: dict, due_before: datetime | None) -> CaseEvent:
    move, attachments = ctx.move, ctx.cleaned.attachments
    _advance(ctx.case, move, ctx.at)
    if attachments:
        data["attachments"] = [a.pk for a in attachments]
    if ctx.cleaned.note:
        data["note"] = ctx.cleaned.note
    event = _append(
        ctx.case, ctx.at, move.action, move.source, move.target, actor=ctx.actor, post=ctx.post,
        organisation=ctx.organisation, reason=ctx.cleaned.reason, data=data, due_before=due_before,
    )
    for attachment in attachments:
        attachment.event = event
        attachment.save(update_fields=["event"])
    return event


def _auto_dispatch(case: Case, at: datetime) -> CaseEvent | None:
    """Dispatch at once a class switched to auto-dispatch (dispatch.ClassDispatchSetting), as the system."""
    found = routing.automatic(case, at)
    if found is None:
        return None
    suggestion, target = found
    action = A.FORWARD if target.kind == "district_command_centre" else A.DISPATCH
    move, due_before = workflow.step(State(case.state), action, {Post.DISPATCHER}), case.due_at
    if action == A.FORWARD:
        case.district_centre, data = target, {"district_centre": target.pk}
    else:
        data = effects.start_clock(case, target, at)
    rule = None if suggestion.rule is None else str(suggestion.rule.id)
    data = {**routing.describe(suggestion), "rule": rule, "followed": True, "auto": True, **data}
    _advance(case, move, at)
    return _append(case, at, action, move.source, move.target, data=data, due_before=due_before)


@transaction.atomic(durable=True)
def erase_personal_data(case_id: int, at: datetime) -> Case:
    """Blank the reporter's name and phone of a finished case, as the system (the retention job, cases.retention).

    The statistics keep everything they count (source, class, place, times); the event records what was erased.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    move = workflow.system_step(State(case.state), A.ERASE_PERSONAL_DATA)
    erased = [name for name in ("reporter_name", "reporter_phone") if getattr(case, name)]
    case.reporter_name = case.reporter_phone = ""
    _advance(case, move, at)
    event = _append(case, at, move.action, move.source, move.target, data={"erased": erased})
    case.save()
    notifying.on_commit(case, event)
    return case


def _action(action: str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise InvalidInput(gettext_noop("There is no action {value}."), "action", value=action) from None


def _step(case: Case, action: Action, held: dict, at: datetime) -> Move:
    try:
        return workflow.step(State(case.state), action, held.keys(), facts.facts(case, at))
    except workflow.WorkflowError as error:
        kind = NotAllowed if error.message == POSTS_MSGID else NotPossible
        raise kind(error.message, **error.params) from error


def _defaults(case: Case, move: Move, raw: dict) -> dict:
    if move.action == A.APPROVE_EXTENSION and raw.get("duration") is None:
        # The approver grants what was asked unless they say otherwise.
        asked = facts.pending_request(case, A.REQUEST_EXTENSION).data.get("duration", {})
        return {**raw, "duration": asked.get("value"), "duration_unit": asked.get("unit")}
    if move.action == A.FORWARD and not raw.get("district"):
        return {**raw, "district": case.grid_code[:6]}
    return raw


def _advance(case: Case, move: Move, at: datetime) -> None:
    if move.target != move.source:
        case.state, case.state_since = move.target, at
        case.step_due_at = clock.step_due(move.target, at)
    case.version += 1


def _append(case: Case, at: datetime, action: str, source: str, target: str, **fields) -> CaseEvent:
    """Append the event of the move just applied (the caller saves the case: state, version, chain head)."""
    event = _event(case, at, action, source, target, **fields)
    _store(case, event)
    return event


def _event(case: Case, at: datetime, action: str, source: str, target: str, **fields) -> CaseEvent:
    """The event: its seq is the version it produced, due_after is the case's deadline now, and its audit link
    continues the case's chain, whose head moves to it."""
    event = CaseEvent(
        case=case, seq=case.version, at=at, action=action, source=source, target=target, due_after=case.due_at,
        **fields,
    )
    event.chain = case.event_chain = chain.link(case.event_chain, case.number, event)
    return event


def _store(case: Case, event: CaseEvent) -> None:
    db.insert(event)
    notifying.appended(case, event)


def add_attachment(case_id: int, actor: User, upload, kind: str = "evidence") -> Attachment:
    """Store a photo of a case, to be named by the action it documents (or kept as a photo of the case)."""
    written = []  # the files are written before the row commits; if it does not, they go too
    try:
        return _add_attachment(case_id, actor, upload, kind, written)
    except BaseException:
        for file in written:
            file.storage.delete(file.name)
        raise


@transaction.atomic(durable=True)
def _add_attachment(case_id: int, actor: User, upload, kind: str, written: list) -> Attachment:
    case = access.access_case(actor, case_id)
    if not access.posts_for(actor, case) and case.reporter_id != actor.pk:
        raise NotAllowed(gettext_noop("You hold no post on this case."))
    if case.state in workflow.TERMINAL:
        raise NotPossible(gettext_noop("The case is finished; it takes no more photos."))
    if kind not in ATTACHMENT_KIND_LABELS:
        choices = ", ".join(ATTACHMENT_KIND_LABELS)
        raise InvalidInput(gettext_noop("{value} is not one of: {choices}."), "kind", value=kind, choices=choices)
    attachment = photos.attachment(case, actor, upload, kind, clock.now())
    written.extend([attachment.file, attachment.thumbnail])
    attachment.save()
    return attachment
