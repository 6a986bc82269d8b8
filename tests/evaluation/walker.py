"""Random workflows through cases.actions, for the recount-equals-counters property (seeded, reproducible)."""

import random

from tests.cases.builders import photo, reported
from tests.cases.helpers import GRID1, GRID4
from tests.cases.test_permissions import ALLOWED, PHOTOS, inputs
from urbangrid.cases import actions, sweep
from urbangrid.cases.errors import CaseError
from urbangrid.cases.models import Case
from urbangrid.core.workflow import TERMINAL, State

HANDLERS = {}  # department id → the cast member who handles for it; filled by walk()
ENDINGS = frozenset({"reject", "mark_duplicate", "void", "refute"})  # rarer, or few cases get far
SOURCES = ("collector", "collector", "hotline", "public")


def walk(cast, now, rng: random.Random, cases: int = 20, steps: int = 25, between=None) -> list[Case]:
    """`between(rng)`, when given, runs before each step (e.g. moving collectors' grids)."""
    HANDLERS.update({cast.shizheng.pk: "zhou", cast.yuanlin.pk: "wu", cast.law.pk: "feng"})
    made = []
    for _ in range(cases):
        source = rng.choice(SOURCES)
        where = rng.choice((GRID1, GRID4))
        case = reported(cast, source=source, self_handled=source == "collector" and rng.random() < 0.1,
                        lon=where[0], lat=where[1])
        made.append(case)
        for _step in range(steps):
            case = Case.objects.get(pk=case.pk)
            if State(case.state) in TERMINAL:
                break
            choices = [(who, action) for (state, action), who in ALLOWED.items() if state == case.state]
            weights = [1 if action in ENDINGS else 10 for _who, action in choices]
            who, action = rng.choices(choices, weights)[0]
            if who == "zhou":
                who = HANDLERS.get(case.department_id, "zhou")
            given = dict(inputs(cast, State(case.state), action))
            if action in ("dispatch", "decide"):
                given["department_id"] = rng.choice((cast.shizheng.pk, cast.yuanlin.pk))
            if action == "request_return" and rng.random() < 0.5:
                given["return_reason"] = "other"
            actor = getattr(cast, who)
            now.move(minutes=rng.choice((1, 5, 20, 90, 600, 2000, 6000)))
            if between is not None:
                between(rng)
            if rng.random() < 0.2:  # the worker's sweep notices deadlines passing: it must count nothing itself
                sweep.sweep(now.at)
            try:
                given["attachments"] = [photo(case, actor, kind).pk for kind in PHOTOS.get(action, [])]
                actions.act(case.pk, actor, action, case.version, **given)
            except CaseError:
                continue
    return made
