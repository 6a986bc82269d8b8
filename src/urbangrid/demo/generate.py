"""The benchmark city (`urbangrid generate --scale ci|city`): the demo's Zhengzhou at full size and years of
history. Deterministic: the areas, people and components are the demo's seeded stages, the history is
demo.history's seeded plan.

city: the six central districts cut into ≈116,000 unit grids (the demo's cut of the real district outlines),
the demo's organisations and logins, ≈2,000,000 components (the demo's inventory, COMPONENT_DENSITY times as
dense), 10,000,000 cases over three years of which 100,000 are open, their report events and counters.
ci: the demo's small scope (two streets of 金水区), its components and 100,000 cases (1,000 open): what CI and
`make bench` measure on.
"""

import time
from dataclasses import dataclass

from django.db import connection

from urbangrid import db
from urbangrid.demo import areas, components, history
from urbangrid.demo.areas import Scope, StageResult
from urbangrid.grid import locating

COMPONENT_DENSITY = 6.671  # 299,795 demo components × this ≈ 2,000,000


@dataclass(frozen=True)
class Size:
    scope: Scope
    cases: int
    open: int


SIZES = {
    "ci": Size(Scope.small(), cases=100_000, open=1_000),
    "city": Size(Scope(component_density=COMPONENT_DENSITY), cases=10_000_000, open=100_000),
}


def city_stages(scope: Scope, seed_people) -> list[tuple[str, object]]:
    """The demo's stages that make the city without cases (seed_people: the demo command's, which also
    prints nothing)."""
    return [
        ("districts", areas.seed_districts), ("streets", areas.seed_streets),
        ("communities", areas.seed_communities), ("grids", areas.seed_grids),
        ("people", seed_people), ("components", components.seed_components),
    ]


def make_city(scope: Scope, progress: bool = False, report=None) -> None:
    """Areas, organisations, people and components (each stage skips what is already there)."""
    from urbangrid.demo.management.commands.demo import Command as Demo

    demo = Demo()
    for name, stage in city_stages(scope, demo._seed_people):
        began = time.perf_counter()
        result: StageResult = stage(scope, progress)
        if report:
            report(name, result, time.perf_counter() - began)
    locating.reset()  # this process's locator was built while the grids were still being written


def make_history(spec: history.Spec, progress: bool = False) -> history.Written:
    """Write the history with a progress bar, the monthly roll-up and the planner's statistics."""
    from tqdm import tqdm

    with tqdm(total=spec.total, unit="cases", desc="History", disable=None if progress else True) as bar:
        written = history.write_history(spec, bar.update)
    began = time.perf_counter()
    history.roll_up()
    written.seconds["roll-up"] = time.perf_counter() - began
    began = time.perf_counter()
    if connection.in_atomic_block is False:
        db.after_bulk_load()
    written.seconds["analyse"] = time.perf_counter() - began
    return written
