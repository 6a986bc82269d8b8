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

IDLE_DAYS = 5
LIMIT = 500
TERMINAL = [str(s) for s in workflow.TERMINAL]
CATEGORIES = ("returns", "reworks", "overdue", "idle")


@dataclass
class Flag:
    case: Case
    department: Organisation | None
    people: list[str] = field(default_factory=list)
    times: int = 0  # returns, reworks; days overdue or idle


def flagged(period: core.Period) -> dict[str, list[Flag]]:
    start, end = report.bounds(period)
    end = min(end, report.clock.now() + timedelta(microseconds=1))  # a period not over: up to now, included
    in_period = CaseEvent.objects.filter(at__gte=start, at__lt=end)
    returned = set(in_period.filter(action="approve_return").values_list("case_id", flat=True))
    reworked = set(in_period.filter(action="rework").values_list("case_id", flat=True))
    overdue = {c["id"] for c in report.overdue(period)}
    idle_before = end - timedelta(days=IDLE_DAYS)
    alive = Case.objects.filter(reported_at__lt=idle_before).exclude(state__in=TERMINAL, state_since__lt=end)
    events = _events({*returned, *reworked, *overdue}, end)
    idle = _idle(alive, end, idle_before)
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


def _idle(alive, end: datetime, idle_before: datetime) -> list[int]:
    recent = CaseEvent.objects.filter(at__gte=idle_before, at__lt=end).values("case_id")
    return list(alive.exclude(pk__in=recent).order_by("reported_at").values_list("pk", flat=True)[:LIMIT])


def _handlers(events: list[dict]) -> list[dict]:
    return [e for e in events if e["post"] == "department_handler"]


def _flag(case, departments, names, events, times, department_id) -> Flag:
    if department_id is None:
        named = [e["data"].get("department") for e in events if isinstance(e["data"].get("department"), int)]
        department_id = named[-1] if named else case.department_id
    people = list(dict.fromkeys(names.get(e["actor_id"], "") for e in events if e["actor_id"]))
    return Flag(case, departments.get(department_id), [p for p in people if p], times)
