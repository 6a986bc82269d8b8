"""Accountability (问责, regulation art. 32): the cases that show 推诿, 扯皮 or 拖延, with the department and people.

- repeated returns: a case returned (回退 approved) twice or more, one of them in the period;
- rework loops: a case reworked (返工) twice or more, once in the period;
- overdue without action: overdue and not handled at the end of the period, with nothing done since its
  deadline passed;
- long idle: a case not finished at the end of the period whose last event is IDLE_DAYS or more before it.

People are those who acted on the case for the department named (its handlers); for returns, those who
asked for them. Every list is capped at LIMIT cases, oldest first.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from urbangrid.accounts.models import Organisation, User
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.core import workflow
from urbangrid.evaluation import report
from urbangrid.evaluation.models import Tally

IDLE_DAYS = 5
LIMIT = 500
TERMINAL = [str(s) for s in workflow.TERMINAL]
OPEN = [str(s) for s in workflow.State if s not in workflow.TERMINAL]
CLOSED = str(workflow.State.CLOSED)
UNOPENED_ENDS = [workflow.State.REJECTED.value, workflow.State.VOIDED.value]  # the ends but closed
CATEGORIES = ("returns", "reworks", "overdue", "idle")


@dataclass
class Flag:
    case: Case
    department: Organisation | None
    people: list[str] = field(default_factory=list)
    times: int = 0  # returns, reworks; days overdue or idle


def flagged(period: core.Period) -> dict[str, list[Flag]]:
    start, end = report.bounds(period)
    now = report.clock.now()
    over = end <= now
    end = min(end, now + timedelta(microseconds=1))  # a period not over: up to now, included
    returned = _repeated(period, (start, end), "approve_return", "returned", returns__gte=2)
    reworked = _repeated(period, (start, end), "rework", "reworked", reworks__gte=2)
    overdue = {c["id"] for c in report.overdue(period)}
    idle_before = end - timedelta(days=IDLE_DAYS)
    events = _events({*returned, *reworked, *overdue}, end)
    idle = _idle(end, idle_before, over)
    events.update(_events(set(idle) - set(events), end))
    cases = Case.objects.in_bulk(list(events)[: LIMIT * 4])
    names = {u.pk: u.display_name or u.username for u in User.objects.filter(
        pk__in={e["actor_id"] for evs in events.values() for e in evs if e["actor_id"]})}
    named = {e["data"].get("department") for evs in events.values() for e in evs}
    departments = Organisation.objects.in_bulk(
        {d for d in named if isinstance(d, int)} | {c.department_id for c in cases.values() if c.department_id})
    found: dict[str, list[Flag]] = {name: [] for name in CATEGORIES}
    for case_id, evs in events.items():
        case = cases.get(case_id)
        if case is None:
            continue
        returns = [e for e in evs if e["action"] == "approve_return"]
        if case_id in returned and len(returns) >= 2:
            askers = [e for e in evs if e["action"] == "request_return"]
            found["returns"].append(_flag(case, departments, names, askers, len(returns), None))
        reworks = [e for e in evs if e["action"] == "rework"]
        if case_id in reworked and len(reworks) >= 2:
            found["reworks"].append(_flag(case, departments, names, _handlers(evs), len(reworks), None))
        last = evs[-1]
        if case_id in overdue and last["due_after"] and last["at"] < last["due_after"]:
            found["overdue"].append(_flag(case, departments, names, _handlers(evs), (end - last["due_after"]).days,
                                          case.department_id))
        if case_id in idle:
            found["idle"].append(_flag(case, departments, names, _handlers(evs), (end - last["at"]).days,
                                       case.department_id))
    for name in CATEGORIES:
        found[name] = sorted(found[name], key=lambda f: (-f.times, f.case.reported_at))[:LIMIT]
    return found


def by_department(found: dict[str, list[Flag]]) -> list[dict]:
    """Per department: how many cases of each kind."""
    table: dict[int | None, dict] = defaultdict(lambda: dict.fromkeys(CATEGORIES, 0))
    names = {}
    for category, flags in found.items():
        for flag in flags:
            key = flag.department.pk if flag.department else None
            names[key] = flag.department.name if flag.department else ""
            table[key][category] += 1
    return [{"department": names[k], **v} for k, v in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))]


def _events(ids: set[int], end: datetime) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    fields = ("case_id", "seq", "action", "at", "actor_id", "post", "data", "due_after")
    ids = sorted(ids)
    for start in range(0, len(ids), 500):
        rows = CaseEvent.objects.filter(case_id__in=ids[start:start + 500], at__lt=end).order_by("case_id", "seq")
        for row in rows.values(*fields):
            row["data"] = row["data"] or {}
            found[row["case_id"]].append(row)
    return found


def _repeated(period: core.Period, bounds: tuple[datetime, datetime], action: str, fact: str, **again) -> set[int]:
    """The cases with an `action` event in the period that the case row says happened twice or more by now
    (`again`: its returns or reworks, which only grow), looked for only in the unit grids where the daily
    counters counted `fact` (every such event counts there) in the period: indexed reads, never the whole log.
    Whether it happened twice by the period's end is for the events to say (flagged)."""
    start, end = bounds
    if not sum(row[fact] or 0 for row in report.fact_rows(period, "district")):  # the monthly sums: none at all
        return set()
    days = Tally.objects.filter(day__gte=period.first, day__lte=period.last, **{f"{fact}__gt": 0})
    grids = sorted(set(days.values_list("grid_code", flat=True)))
    found = set()
    for first in range(0, len(grids), 500):
        cases = Case.objects.filter(grid_code__in=grids[first:first + 500], reported_at__lt=end, **again)
        events = CaseEvent.objects.filter(case__in=cases, action=action, at__gte=start, at__lt=end)
        found.update(events.order_by().values_list("case_id", flat=True))
    return found


def _idle(end: datetime, idle_before: datetime, over: bool) -> list[int]:
    """The LIMIT cases reported first among those not finished at `end` with no event in [idle_before, end).
    The candidates come from index ranges: those still open (state); then, for a period already over, those
    finished since its end and reported no later than the last of the LIMIT found so far (none later can be
    among the first LIMIT): closed ones (case_closed_on_time: state, closed_at, …, reported_at) and rejected or
    voided ones (the partial index case_ended_unopened). Oldest first, each chunk is asked for an event in those
    days through its own events (the index on case and seq) until LIMIT are found. The period's events are never
    read as such: case_event has no index on time."""
    alive = Case.objects.order_by()  # sorted here: the default order would make the database scan by id
    # One state at a time: for `state IN (…twenty…)` the planners' averages say most of the table, and scan it.
    candidates = [(at, pk) for state in OPEN for at, pk in alive.filter(state=state).values_list("reported_at", "pk")
                  if at < idle_before]
    busy: dict[int, bool] = {}
    found = _quiet(sorted(candidates), idle_before, end, busy)
    if over:  # finished after the end: still going at it
        upto = found[-1][0] if len(found) >= LIMIT else idle_before
        before = alive.filter(reported_at__lte=upto, reported_at__lt=idle_before)
        # A closed case's closed_at is its state_since: the close sets both, nothing changes them while it stays
        # closed (a follow-up keeps the state, a reopen leaves it).
        closed = before.filter(state=CLOSED)
        # The partial index case_ended_unopened holds exactly these states: the condition is written as it is.
        ended = before.filter(state__in=UNOPENED_ENDS, state_since__gte=end)
        more = [*ended.values_list("reported_at", "pk")]
        # Closed since the end a month at a time: for the whole range at once the planners guess most of the table
        # (they cannot know that few cases close long after their report) and scan it.
        month = end
        while month <= report.clock.now():
            following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
            more += closed.filter(closed_at__gte=month, closed_at__lt=following).values_list("reported_at", "pk")
            month = following
        found = _quiet(sorted({*found, *more}), idle_before, end, busy)
    return [pk for _at, pk in found]


def _quiet(candidates: list[tuple], idle_before: datetime, end: datetime, busy: dict[int, bool]) -> list[tuple]:
    """The first LIMIT candidates (reported_at, pk) with no event in [idle_before, end); `busy` remembers."""
    found = []
    for first in range(0, len(candidates), 500):
        chunk = candidates[first:first + 500]
        asked = [pk for _at, pk in chunk if pk not in busy]
        seen = set(CaseEvent.objects.filter(case_id__in=asked, at__gte=idle_before, at__lt=end).order_by()
                   .values_list("case_id", flat=True))
        busy.update((pk, pk in seen) for pk in asked)
        found += [(at, pk) for at, pk in chunk if not busy[pk]]
        if len(found) >= LIMIT:
            break
    return found[:LIMIT]


def _handlers(events: list[dict]) -> list[dict]:
    return [e for e in events if e["post"] == "department_handler"]


def _flag(case, departments, names, events, times, department_id) -> Flag:
    if department_id is None:
        named = [e["data"].get("department") for e in events if isinstance(e["data"].get("department"), int)]
        department_id = named[-1] if named else case.department_id
    people = list(dict.fromkeys(names.get(e["actor_id"], "") for e in events if e["actor_id"]))
    return Flag(case, departments.get(department_id), [p for p in people if p], times)
