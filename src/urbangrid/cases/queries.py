"""The read side of cases: work queues, lists with keyset pagination, one case with its timeline.

Everything here starts from cases.access (visible_cases, access_case, acting_scope), so a list can never
show a case its detail page would refuse.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Case as Switch
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_noop

from urbangrid.accounts.labels import POST_LABELS
from urbangrid.accounts.models import User
from urbangrid.cases import access, clock, facts, inputs
from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.labels import SOURCE_LABELS, action_label, state_label
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core.deadlines import Light
from urbangrid.core.posts import Post
from urbangrid.core.workflow import MOVES, Action, State, available
from urbangrid.dispatch import suggesting
from urbangrid.grid import versions
from urbangrid.grid.models import Area

PAGE_SIZE = 50
MAX_PAGE = 200
LIGHT_SCAN = 10  # pages' worth of rows scanned for a page filtered by green or yellow, which SQL cannot compute
QUEUE_SKIPS = frozenset({Action.VOID, Action.SUPERVISE, Action.SETTLE_COST})  # possible almost anywhere
QUEUE_STATES = {
    post: frozenset(m.source for m in MOVES if post in m.posts and m.action not in QUEUE_SKIPS) for post in Post
}
HANDLING = [str(state) for state in clock.HANDLING_STATES]
FOLLOW_UP_DAYS = 15  # a closed case of a caller waits this long for its 回访 (HOTLINE_FOLLOW_UP_DAYS)


def queues(user: User, at: datetime) -> list[dict]:
    """Per post held: the cases waiting for it, those due by the end of today and those overdue."""
    end_of_day = timezone.make_aware(datetime.combine(timezone.localdate(at) + timedelta(days=1), time()))
    rows = []
    for appointment in access.appointments(user):
        post = Post(appointment.post)
        if not QUEUE_STATES[post]:
            continue
        counts = {"open": 0, "due_today": 0, "overdue": 0}
        scope = access.acting_scope(appointment, user)
        # Counted per deadline column, so that each count reads a (…, state, deadline) index alone.
        for (column, closed), states in _by_deadline(QUEUE_STATES[post]).items():
            waiting = Case.objects.filter(scope, _waiting_in(states, at))
            if closed:  # a closed case has no deadline left: counted alone, from the index case_follow_up
                found = {"open": waiting.count(), "due_today": 0, "overdue": 0}
            else:
                found = waiting.aggregate(
                    open=Count("*"),
                    due_today=Count(column, filter=Q(**{f"{column}__gte": at, f"{column}__lt": end_of_day})),
                    overdue=Count(column, filter=Q(**{f"{column}__lt": at})),
                )
            counts = {name: counts[name] + found[name] for name in counts}
        organisation = appointment.organisation
        rows.append({
            "post": str(post), "post_label": str(POST_LABELS[post]),
            "organisation": {"id": organisation.pk, "name": organisation.name}, **counts,
        })
    return rows


def _by_deadline(states) -> dict[tuple[str, bool], list[str]]:
    """The states by deadline column; closed cases apart, as an OR with their conditions reads no index."""
    found: dict[tuple[str, bool], list[str]] = {}
    for state in sorted(states):
        found.setdefault((_deadline_of(state), state == State.CLOSED), []).append(state)
    return found


def _waiting_in(states: list[str], at: datetime) -> Q:
    """Cases in `states`; closed ones only while their caller's 回访 is due (awaiting_follow_up): every closed
    case of the year was in the intake queue (4.5 s to count)."""
    if State.CLOSED not in states:
        return Q(state__in=states)
    rest = [s for s in states if s != State.CLOSED]
    return Q(state__in=rest) | awaiting_follow_up(at) if rest else awaiting_follow_up(at)


def awaiting_follow_up(at: datetime, days: int | None = None) -> Q:
    """Closed hotline and public reports of the last `days` with the caller's phone, not called back (回访)
    since they closed: the intake queue's closed cases and the hotline console's follow-up queue."""
    since = at - timedelta(days=follow_up_days() if days is None else days)
    called = CaseEvent.objects.filter(case=OuterRef("pk"), action=Action.FOLLOW_UP, at__gte=OuterRef("closed_at"))
    due = Q(state=State.CLOSED, closed_at__gte=since, source__in=facts.CALLER_SOURCES) & ~Q(reporter_phone="")
    return due & ~Exists(called)


def follow_up_days() -> int:
    return getattr(settings, "HOTLINE_FOLLOW_UP_DAYS", FOLLOW_UP_DAYS)


def overdue(at: datetime, cases: QuerySet | None = None) -> QuerySet:
    """Cases past their handling deadline (department states) or their step's deadline (centre states)."""
    cases = Case.objects.all() if cases is None else cases
    return cases.filter(_overdue(at))


def case_list(user: User, at: datetime, filters: dict, after: int | None = None, limit: int = PAGE_SIZE):
    """(summaries, cursor of the next page or None), newest first."""
    limit = max(1, min(limit, MAX_PAGE))
    cases = _filtered(access.visible_cases(user), filters, at).select_related("klass", "department__parent")
    if after is not None:
        cases = cases.filter(pk__lt=after)
    cases = cases.order_by("-pk")
    if not filters.get("light"):
        found = list(cases[: limit + 1])
        return [summary(c, at) for c in found[:limit]], (str(found[limit - 1].pk) if len(found) > limit else None)
    page, scanned = [], list(cases[: limit * LIGHT_SCAN])
    for case in scanned:
        if clock.light(case, at) == filters["light"]:
            page.append(summary(case, at))
            if len(page) == limit:
                return page, str(case.pk)
    return page, (str(scanned[-1].pk) if len(scanned) == limit * LIGHT_SCAN else None)


def detail(user: User, case_id: int, at: datetime) -> dict:
    case = access.access_case(user, case_id)
    held = access.posts_for(user, case)
    events = list(case.events.select_related("actor", "organisation").prefetch_related("attachments"))
    return {
        **summary(case, at),
        **_particulars(case, private=bool(held & access.CITY_WIDE) or case.reporter_id == user.pk),
        "timeline": [_event(event) for event in events],
        "attachments": [attachment(a) for a in case.attachments.select_related("event")],
        "actions": [_action(action, case) for action in available(State(case.state), held, facts.facts(case, at))],
    }


def summary(case: Case, at: datetime) -> dict:
    light = clock.light(case, at)
    return {
        "id": case.pk, "number": case.number, "state": case.state, "state_label": state_label(case.state),
        "version": case.version, "source": case.source, "source_label": str(SOURCE_LABELS[case.source]),
        "kind": case.kind, "class_code": case.klass.code if case.klass else None,
        "class_name": case.klass.name if case.klass else None, "urgency": case.urgency,
        "description": case.description, "address": case.address, "lon": case.lon, "lat": case.lat,
        "grid_code": case.grid_code, "department": _org(case.department), "due_at": case.due_at,
        "step_due_at": case.step_due_at, "light": str(light) if light else None, "reported_at": case.reported_at,
        "self_handled": case.self_handled, "non_routine": case.non_routine,
        "suspected_duplicate_of": case.suspected_duplicate_of_id, "duplicate_of": case.duplicate_of_id,
    }


def _particulars(case: Case, private: bool) -> dict:
    condition = case.condition
    return {
        # Personal data of the reporter: for the centres and the reporter only.
        "reporter_name": case.reporter_name if private else "",
        "reporter_phone": case.reporter_phone if private else "",
        "component": case.component.identifier if case.component_id else None,
        "condition": {"seq": condition.seq, "description": condition.description} if condition else None,
        "limit": {"value": str(case.limit_value), "unit": case.limit_unit} if case.limit_value else None,
        "district_centre": _org(case.district_centre), "decided_department": _org(case.decided_department),
        "paused_since": case.paused_since, "extensions": case.extensions, "returns": case.returns,
        "not_ours_returns": case.not_ours_returns, "reworks": case.reworks,
        "cost": {"payer": case.cost_payer, "amount": str(case.cost_amount)} if case.cost_amount else None,
        "milestones": {
            name: getattr(case, f"{name}_at")
            for name in ("reported", "accepted", "opened", "dispatched", "fed_back", "closed")
        },
    }


def _event(event) -> dict:
    return {
        "seq": event.seq, "action": event.action, "action_label": action_label(event.action),
        "source": event.source, "target": event.target, "target_label": state_label(event.target),
        "actor": str(event.actor) if event.actor else None, "post": event.post,
        "post_label": str(POST_LABELS[Post(event.post)]) if event.post else "",
        "organisation": _org(event.organisation), "at": event.at, "reason": event.reason, "data": event.data,
        "due_before": event.due_before, "due_after": event.due_after,
        "attachments": [a.pk for a in event.attachments.all()],
    }


def attachment(item) -> dict:
    return {
        "id": item.pk, "kind": item.kind, "content_type": item.content_type, "size": item.size,
        "event": item.event.seq if item.event_id else None, "uploaded_at": item.uploaded_at,
    }


def _action(action: Action, case: Case) -> dict:
    needs = {m.needs for m in MOVES if m.source == case.state and m.action == action}
    fields = sorted({inputs.FIELDS[need] for group in needs for need in group})
    return {"action": str(action), "label": action_label(action), "needs": fields}


def _org(organisation) -> dict | None:
    return {"id": organisation.pk, "name": organisation.name} if organisation else None


def _due():
    return Switch(When(state__in=HANDLING, then=F("due_at")), default=F("step_due_at"))


def _overdue(at: datetime) -> Q:
    return Q(state__in=HANDLING, due_at__lt=at) | (~Q(state__in=HANDLING) & Q(step_due_at__lt=at))


def _filtered(cases: QuerySet, filters: dict, at: datetime) -> QuerySet:
    if area := filters.get("area"):
        if not (area.isdigit() and len(area) <= 15):
            raise InvalidInput(gettext_noop("An area is a district, street, community or grid code."), "area")
        cases = cases.filter(access.in_area(area))
    if class_code := filters.get("class_code"):
        cases = cases.filter(klass__code=class_code)
    if source := filters.get("source"):
        cases = cases.filter(source=_one_of(source, SOURCE_LABELS, "source"))
    if states := filters.get("states"):
        cases = cases.filter(state__in=[_one_of(s, {str(x): x for x in State}, "state") for s in states])
    if light := filters.get("light"):
        _one_of(light, {str(x): x for x in Light}, "light")
        cases = cases.filter(_overdue(at)) if light == Light.RED else cases.exclude(_overdue(at))
    return cases


def _one_of(value: str, choices: dict, name: str) -> str:
    if value not in choices:
        message = gettext_noop("{value} is not one of: {choices}.")
        raise InvalidInput(message, name, value=value, choices=", ".join(map(str, choices)))
    return value


# The operators' workbench (urbangrid.workbench): one queue per post, the case file's extras.


def queue(user: User, post: str, at: datetime, filters: dict, after: str | None = None, limit: int = PAGE_SIZE):
    """(summaries, cursor or None): the cases waiting for `post`, earliest deadline first, no deadline last.

    The cursor is "<deadline ISO or ->|<id>" of the last row: keyset pagination over (deadline, id)."""
    appointment = next((a for a in access.appointments(user) if a.post == post), None)
    if appointment is None or not QUEUE_STATES[Post(post)]:
        return [], None
    # The states and the light are applied per state below, on the state's own deadline column.
    others = {name: value for name, value in filters.items() if name not in ("states", "light")}
    scope = _dated(_filtered(Case.objects.filter(access.acting_scope(appointment, user)), others, at), others)
    states = QUEUE_STATES[Post(post)] & set(_filtered_states(filters.get("states")))
    light = filters.get("light") and _one_of(filters["light"], {str(x): x for x in Light}, "light")
    limit = max(1, min(limit, MAX_PAGE))
    # Green and yellow are not in SQL (the light depends on the calendar): scan further and pick them here.
    by_light = light in (Light.GREEN, Light.YELLOW)
    scan = limit * LIGHT_SCAN if by_light else limit
    cursor = _after(after) if after else (None, None)
    keys = _waiting(scope, sorted(states), cursor, scan + 1, light, at)
    if by_light:
        chosen, last = _of_light(keys[:scan], light, limit, at)
        more = len(keys) > scan or (last is not None and last != keys[:scan][-1])
    else:
        chosen = keys[:limit]
        last, more = (chosen[-1] if chosen else None), len(keys) > limit
    with versions.pinned():  # one snapshot of the data versions for the lights, not two queries a row
        page = [{**summary(case, at), "due": case.due} for case in _rows(chosen)]
    return page, (_cursor(*last) if more else None)


# What cases.clock.light reads of a case.
LIGHT_FIELDS = (
    "state", "state_since", "due_at", "step_due_at", "dispatched_at", "paused_since", "pauses", "limit_value",
    "limit_unit", "department",
)


def _of_light(keys: list[tuple], light: str, limit: int, at: datetime) -> tuple[list[tuple], tuple | None]:
    """The first `limit` keys whose case has `light`, and the last key looked at. Only the columns of the light
    are read for the scan: whole rows of LIGHT_SCAN pages cost more than the lights themselves."""
    cases = Case.objects.filter(pk__in=[pk for _due, pk in keys]).only(*LIGHT_FIELDS)
    with versions.pinned():
        lights = {case.pk: clock.light(case, at) for case in cases.prefetch_related("department__parent")}
    chosen, last = [], None
    for key in keys:
        last = key
        if lights[key[1]] == light:
            chosen.append(key)
            if len(chosen) == limit:
                break
    return chosen, last


def _filtered_states(chosen: list[str] | None) -> list[str]:
    if not chosen:
        return [str(s) for s in State]
    return [_one_of(s, {str(x): x for x in State}, "state") for s in chosen]


def _deadline_of(state: str) -> str:
    return "due_at" if state in HANDLING else "step_due_at"


def _waiting(scope: QuerySet, states: list[str], after: tuple, count: int, light: str, at: datetime) -> list[tuple]:
    """The first `count` (deadline, id) after the cursor (deadline, id), in queue order, over all `states`.

    One query a state, each a range of its (state, deadline) index in index order, merged here: the deadline
    of the queue is a different column by state, and ordering by that expression sorted every waiting case
    (512 ms for the dispatcher's queue at 1,000,000 cases on SQLite)."""
    due, pk = after
    found = []
    if pk is None or due is not None:
        for state in (s for s in states if s in HANDLING or s in clock.STEP_OF_STATE):  # those with a clock
            column = _deadline_of(state)
            cases = scope.filter(_waiting_in([state], at), **{f"{column}__isnull": False})
            if light:  # red is overdue; green and yellow are not yet
                cases = cases.filter(**{f"{column}__{'lt' if light == Light.RED else 'gte'}": at})
            if due is not None:
                cases = cases.filter(**{f"{column}__gte": due}).exclude(**{column: due, "pk__lte": pk})
            found += cases.order_by(column, "pk").values_list(column, "pk")[:count]
        found = sorted(found)[:count]
    if len(found) < count and not light:  # cases with no running clock come last, oldest first
        undated = []
        for state in states:
            cases = scope.filter(_waiting_in([state], at), **{f"{_deadline_of(state)}__isnull": True})
            if pk is not None and due is None:
                cases = cases.filter(pk__gt=pk)
            undated += cases.order_by("pk").values_list("pk", flat=True)[: count - len(found)]
        found += [(None, case_id) for case_id in sorted(undated)[: count - len(found)]]
    return found


def _rows(keys: list[tuple]) -> list[Case]:
    """The cases of (deadline, id) keys in that order, with their deadline as `due`."""
    # The department comes in a query of its own: joined, it led SQLite to scan all of a department's cases
    # by department_id alone instead of the (department, state) index (444 ms against 31 at 1,000,000 cases).
    cases = Case.objects.filter(pk__in=[pk for _due, pk in keys]).select_related("klass").prefetch_related("department")
    by_id = {case.pk: case for case in cases}
    for due, pk in keys:
        by_id[pk].due = due
    return [by_id[pk] for _due, pk in keys]


def _dated(cases: QuerySet, filters: dict) -> QuerySet:
    if since := filters.get("since"):
        cases = cases.filter(reported_at__gte=_day_start(since, "since"))
    if until := filters.get("until"):
        cases = cases.filter(reported_at__lt=_day_start(until, "until") + timedelta(days=1))
    return cases


def _day_start(value: str, name: str) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(gettext_noop("Not a date (YYYY-MM-DD): {value}."), name, value=value) from None
    return timezone.make_aware(datetime.combine(day, time()))


def _cursor(due: datetime | None, pk: int) -> str:
    return f"{due.isoformat() if due else '-'}|{pk}"


def _after(cursor: str) -> tuple[datetime | None, int]:
    due, _bar, pk = cursor.partition("|")
    try:
        return (None if due == "-" else datetime.fromisoformat(due)), int(pk)
    except ValueError:
        raise InvalidInput(gettext_noop("Not a page cursor: {value}."), "after", value=cursor) from None


def number_of(user: User, case_id: int) -> str | None:
    return access.visible_cases(user).filter(pk=case_id).values_list("number", flat=True).first()


def id_of(user: User, number: str) -> int | None:
    return access.visible_cases(user).filter(number=number).values_list("pk", flat=True).first()


def case_file(user: User, case_id: int, at: datetime) -> dict:
    """detail() and what the case file shows beside it: places, masked phone, component, duplicate, suggestion."""
    found = detail(user, case_id, at)
    case = Case.objects.select_related("klass", "condition", "component__klass", "suspected_duplicate_of").get(
        pk=case_id
    )
    phone = found["reporter_phone"] or mask_phone(case.reporter_phone)
    original = case.suspected_duplicate_of
    return {
        **found, "reporter_phone_shown": phone, "places": places(case.grid_code), "component_record": _component(case),
        "probable_duplicate": summary(original, at) if original and access.may_see(user, original) else None,
        "suggestion": dispatch_suggestion(case, at) if case.klass_id and _dispatching(found) else None,
    }


def _dispatching(found: dict) -> bool:
    return any(a["action"] in (Action.DISPATCH, Action.FORWARD) for a in found["actions"])


def mask_phone(phone: str) -> str:
    """138****5678: enough to tell two reporters apart, not enough to call them."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def places(grid_code: str) -> dict:
    """The district, street, community and grid of a grid code, by name as far as they exist today."""
    prefixes = {length: grid_code[:length] for length in (6, 9, 12, 15) if len(grid_code) >= length}
    names = dict(Area.objects.current().filter(code__in=prefixes.values()).values_list("code", "name"))
    levels = dict(zip((6, 9, 12, 15), ("district", "street", "community", "grid"), strict=True))
    return {levels[n]: {"code": code, "name": names.get(code, "")} for n, code in prefixes.items()}


def _component(case: Case) -> dict | None:
    component = case.component
    if component is None:
        return None
    units = {
        name: _org(getattr(component, name)) for name in ("competent_department", "owner_unit", "maintenance_unit")
    }
    return {
        "identifier": component.identifier, "name": component.name, "class_code": component.klass.code,
        "class_name": component.klass.name, "status": component.status,
        "status_label": str(component.get_status_display()), "grid_code": component.grid_code,
        "initial_date": component.initial_date, "lon": component.lon, "lat": component.lat, **units,
    }


def dispatch_suggestion(case: Case, at: datetime) -> dict | None:
    """Whom the dispatch rules suggest for the case, why (translated), and whether that is a dispatch or a forward."""
    first = case.condition.responsible_party if case.condition_id else case.klass.default_party
    found = suggesting.explain_for(suggesting.facts_for(
        case.kind, case.klass.code, case.grid_code, case.urgency, at, case.component, first_party=first
    ))
    if found.suggestion is None:
        return {"organisation": None, "action": None, "explanation": found.summary, "rule": None}
    organisation = suggesting.target_organisation(found.suggestion.target)
    action = Action.FORWARD if organisation.kind == "district_command_centre" else Action.DISPATCH
    rule = found.suggestion.rule
    return {
        "organisation": _org(organisation), "action": str(action), "explanation": found.summary,
        "rule": None if rule is None else rule.id, "district": organisation.area.code if organisation.area else None,
    }
