"""Years of case history written in bulk: the benchmark city's 10,000,000 cases (`urbangrid generate`) and the
benchmarks' own loads (bench/bench_cases.py).

This is data generation for measuring, the one place that writes cases without cases.actions: walking ten
million cases through the actions would take days (the demo walks 2,000 at ≈ 13 a second). What is written is
what intake and the workflow would leave, as far as the pages, queues, sweeps and evaluation read it:
- every case with its place (a point inside a unit grid, whose code carries street, community and district),
  number (core.numbering: the city's day and that day's sequence, the day sequences stored as intake leaves
  them), class, source, state, deadlines and timestamps;
- one `report` event per case (seq 1, the case's version), by the reporting collector for collectors' reports;
- the evaluation counters those events count (evaluation.counting: `reported`, `public_reported` per day ×
  grid × source), so that `urbangrid evaluation recount` finds the same numbers, and the monthly roll-up.

The mixes of classes, sources and states are demo.mixes'.

Rows go through db.bulk_write (COPY on PostgreSQL, executemany on SQLite) in batches of BATCH, with the
case table's plain indexes dropped during the load and rebuilt after it. Deterministic: the plan of batch k
comes from a generator seeded by (seed, k), so a city is written alike however often it is made.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from urbangrid import db
from urbangrid.accounts.models import Appointment, Organisation
from urbangrid.cases.clock import HANDLING_STATES, STEP_OF_STATE
from urbangrid.cases.models import Case, CaseEvent, CaseSequence
from urbangrid.catalog.models import CatalogClass
from urbangrid.core.evaluation import PUBLIC_SOURCES
from urbangrid.core.numbering import SEQUENCE_DIGITS, case_number
from urbangrid.core.posts import Post
from urbangrid.demo.mixes import (
    COMPONENT_SHARE,
    DESCRIPTIONS,
    LEADING_MATTERS,
    OPEN_STATES,
    SOURCES,
    TERMINAL_STATES,
    URGENT_SHARE,
)
from urbangrid.evaluation.models import Tally
from urbangrid.grid.models import Area

BATCH = 100_000
YEAR_S = 365 * 86400


@dataclass(frozen=True)
class Spec:
    """What history to write."""

    total: int  # cases
    open: int  # of which end in an open state
    years: float = 3.0
    seed: int = 2026
    now: int | None = None  # epoch seconds the history ends at; None: now
    # Open cases are drawn from the newest `open_among` cases (None: four times as many as are open, a backlog
    # of some weeks). Their deadlines lie within days of now, or, with `spread_deadlines`, a share `near_now`
    # within a week of now and the rest over the whole span (the overdue sweep's benchmark).
    open_among: int | None = None
    spread_deadlines: bool = False
    near_now: float = 1 / 6
    matter_classes: Sequence[int] | None = None  # ids, most frequent first; None: LEADING_MATTERS, the catalogue
    components: bool = True  # some cases concern components (部件)


@dataclass
class Written:
    cases: int = 0
    events: int = 0
    tallies: int = 0
    first_id: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class HistoryError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------
# The reference data the plan draws from.


@dataclass
class _Pools:
    grid_codes: np.ndarray  # object
    grid_boxes: np.ndarray  # (n, 4) min_lon, min_lat, max_lon, max_lat
    matter_ids: np.ndarray
    matter_p: np.ndarray
    component_ids: np.ndarray
    component_p: np.ndarray
    departments: np.ndarray
    collectors: np.ndarray

    @classmethod
    def load(cls, spec: Spec) -> "_Pools":
        grids = list(Area.objects.current().filter(level="grid").order_by("code")
                     .values_list("code", "min_lon", "min_lat", "max_lon", "max_lat"))
        if not grids:
            raise HistoryError("there are no unit grids to put cases in; make the city first")
        if spec.matter_classes is not None:
            matters = list(spec.matter_classes)
        else:
            found = dict(CatalogClass.objects.filter(kind="matter", active=True).values_list("code", "id"))
            leading = [found[c] for c in LEADING_MATTERS if c in found]
            matters = leading + [i for c, i in sorted(found.items()) if i not in leading]
        components = dict(CatalogClass.objects.filter(kind="component", active=True).values_list("code", "id"))
        component_ids = [i for _c, i in sorted(components.items())] if spec.components else []
        departments = list(Organisation.objects.filter(kind="department").order_by("id").values_list("id", flat=True))
        collectors = sorted(set(Appointment.objects.filter(post=Post.COLLECTOR.value)
                                .values_list("user_id", flat=True)))
        if not matters or not departments or not collectors:
            raise HistoryError("the city needs matter classes, departments and a collector before its history")
        return cls(
            grid_codes=np.array([g[0] for g in grids], dtype=object),
            grid_boxes=np.array([g[1:] for g in grids], dtype=np.float64),
            matter_ids=np.array(matters), matter_p=_zipf(len(matters)),
            component_ids=np.array(component_ids, dtype=np.int64), component_p=_zipf(len(component_ids)),
            departments=np.array(departments), collectors=np.array(collectors),
        )


def _zipf(n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0)
    weights = 1 / np.arange(1, n + 1)
    return weights / weights.sum()


# ---------------------------------------------------------------------------------------------------------
# The plan of one batch: every column as arrays.


class _Batch:
    def __init__(self, spec: Spec, pools: _Pools, start: int, stop: int, now: int, open_index: np.ndarray):
        rng = np.random.default_rng([spec.seed, start // BATCH])
        n = stop - start
        span = int(spec.years * YEAR_S)
        step = max(1, span // spec.total)
        index = np.arange(start, stop, dtype=np.int64)
        # Evenly over the span, jittered less than the spacing so that the order (and the numbers) hold.
        self.reported = np.minimum(now - span + (index * span) // spec.total + rng.integers(0, step, n), now - 1)
        self.is_open = np.isin(index, open_index[(open_index >= start) & (open_index < stop)])
        terminal, terminal_p = zip(*TERMINAL_STATES, strict=True)
        opened, opened_p = zip(*OPEN_STATES, strict=True)
        self.state = np.where(
            self.is_open,
            rng.choice(np.array(opened, dtype=object), n, p=np.array(opened_p) / sum(opened_p)),
            rng.choice(np.array(terminal, dtype=object), n, p=np.array(terminal_p) / sum(terminal_p)),
        )
        handling = np.isin(self.state, [str(s) for s in HANDLING_STATES]) & (self.state != "parked")
        stepped = np.isin(self.state, [str(s) for s in STEP_OF_STATE])
        if spec.spread_deadlines:
            open_due = np.where(rng.random(n) < spec.near_now, now + rng.integers(-7 * 86400, 7 * 86400, n),
                                rng.integers(now - span, now, n))
            step_due = open_due
        else:
            open_due = now + rng.integers(-3 * 86400, 5 * 86400, n)
            step_due = now + rng.integers(-86400, 86400, n)
        closed_due = self.reported + rng.integers(3600, 10 * 86400, n)
        self.due = np.where(self.is_open, open_due, closed_due)
        self.step_due = step_due
        self.has_due = np.where(self.is_open, handling, self.state == "closed")
        self.has_step = self.is_open & stepped
        self.dispatched = self.has_due | (self.state == "parked")
        self.closed_at = np.minimum(self.reported + rng.integers(86400, 20 * 86400, n), now - 60)
        self.state_since = np.where(self.is_open, np.minimum(self.reported + rng.integers(0, 3 * 86400, n), now - 1),
                                    self.closed_at)
        pick = rng.integers(0, len(pools.grid_codes), n)
        box = pools.grid_boxes[pick]
        # Near the middle of the grid's box: inside the grid itself for all but the oddest shapes.
        self.lon = np.round(box[:, 0] + (box[:, 2] - box[:, 0]) * rng.uniform(0.35, 0.65, n), 7)
        self.lat = np.round(box[:, 1] + (box[:, 3] - box[:, 1]) * rng.uniform(0.35, 0.65, n), 7)
        self.grid_index = pick
        self.grid = pools.grid_codes[pick]
        component = (rng.random(n) < COMPONENT_SHARE) if len(pools.component_ids) else np.zeros(n, dtype=bool)
        matter_class = pools.matter_ids[rng.choice(len(pools.matter_ids), n, p=pools.matter_p)]
        if len(pools.component_ids):
            component_class = pools.component_ids[rng.choice(len(pools.component_ids), n, p=pools.component_p)]
            self.klass = np.where(component, component_class, matter_class)
        else:
            self.klass = matter_class
        self.kind = np.where(component, "component", "matter").astype(object)
        self.department = pools.departments[rng.integers(0, len(pools.departments), n)]
        names, weights = zip(*SOURCES, strict=True)
        self.source_index = rng.choice(len(names), n, p=np.array(weights) / sum(weights))
        self.source = np.array(names, dtype=object)[self.source_index]
        self.collector = pools.collectors[rng.integers(0, len(pools.collectors), n)]
        self.urgent = rng.random(n) < URGENT_SHARE
        self.description = np.array(DESCRIPTIONS, dtype=object)[rng.integers(0, len(DESCRIPTIONS), n)]


# ---------------------------------------------------------------------------------------------------------
# Writing.

CASE_COLUMNS = (
    "id", "number", "state", "version", "state_since", "source", "kind", "urgency", "description", "address", "lon",
    "lat", "grid_code", "reporter_name", "reporter_phone", "self_handled", "non_routine", "limit_value",
    "limit_unit", "due_at", "step_due_at", "paused_since", "pauses", "extensions", "returns", "not_ours_returns",
    "reworks", "cost_payer", "reported_at", "accepted_at", "opened_at", "dispatched_at", "closed_at", "created_at",
    "klass_id", "department_id", "reporter_id", "event_chain",
)
EVENT_COLUMNS = ("case_id", "seq", "action", "source", "target", "actor_id", "post", "at", "reason", "data",
                 "chain")


def write_history(spec: Spec, progress: Callable[[int], None] | None = None) -> Written:
    """Write spec's cases, their report events, the day sequences and the counters; the case table must be
    empty (the counters and numbers of cases made otherwise would collide with these). Outside a
    transaction: each batch commits on its own."""
    with db.bulk_loading():
        return _write_history(spec, progress)


def _write_history(spec: Spec, progress: Callable[[int], None] | None) -> Written:
    import time

    if Case.objects.exists():
        raise HistoryError("the case table is not empty: history is written into a city without cases")
    now = _now(spec)
    pools = _Pools.load(spec)
    open_index = _open_index(spec)
    stamps = _stamps(db.vendor())
    local_day = _LocalDays()
    written = Written(first_id=1)
    times = written.seconds
    began = time.perf_counter()
    case_indexes = db.drop_indexes(Case._meta.db_table)
    event_indexes = db.drop_indexes(CaseEvent._meta.db_table)
    try:
        day_last: dict[int, int] = {}
        tally_keys: list[np.ndarray] = []
        last_day, last_seq = None, 0
        for start in range(0, spec.total, BATCH):
            stop = min(start + BATCH, spec.total)
            plan = _Batch(spec, pools, start, stop, now, open_index)
            days = local_day(plan.reported)
            # The day's sequence: the cases are in report order, so each day's run continues the last batch's.
            first_of_day = np.searchsorted(days, days, side="left")
            seq = np.arange(stop - start) - first_of_day + 1
            if last_day is not None:
                seq[days == last_day] += last_seq
            last_day, last_seq = int(days[-1]), int(seq[-1])
            unique_days, last_positions = np.unique(days[::-1], return_index=True)
            for d, position in zip(unique_days.tolist(), last_positions.tolist(), strict=True):
                day_last[d] = int(seq[len(seq) - 1 - position])
            ids = np.arange(start, stop) + written.first_id
            with transaction.atomic():
                db.bulk_write(Case._meta.db_table, CASE_COLUMNS, _case_rows(plan, ids, days, seq, stamps))
                db.bulk_write(CaseEvent._meta.db_table, EVENT_COLUMNS, _event_rows(plan, ids, stamps))
            tally_keys.append(_tally_keys(days, plan.grid_index, plan.source_index, len(pools.grid_codes)))
            written.cases += stop - start
            written.events += stop - start
            if progress:
                progress(stop - start)
    finally:  # a failed load leaves its rows with their indexes
        times["write"] = time.perf_counter() - began
        began = time.perf_counter()
        db.restore_indexes(case_indexes + event_indexes)
    db.reset_sequences([Case, CaseEvent])
    times["index"] = time.perf_counter() - began
    began = time.perf_counter()
    with transaction.atomic():
        CaseSequence.objects.bulk_create(
            (CaseSequence(day=date.fromordinal(d), last=n) for d, n in sorted(day_last.items())), batch_size=2000)
        written.tallies = _write_tallies(tally_keys, pools.grid_codes)
    times["counters"] = time.perf_counter() - began
    return written


def case_rows(spec: Spec, start: int, stop: int) -> list[tuple]:
    """The rows (CASE_COLUMNS) the plan gives cases start … stop - 1, unwritten: for a benchmark's own inserts.
    Their day sequences count from `start`, not from the day's first case."""
    now, pools, open_index, stamps = _now(spec), _Pools.load(spec), _open_index(spec), _stamps(db.vendor())
    local_day, rows = _LocalDays(), []
    for first in range(start, stop, BATCH):
        last = min(first + BATCH, stop)
        plan = _Batch(spec, pools, first, last, now, open_index)
        days = local_day(plan.reported)
        seq = np.arange(last - first) - np.searchsorted(days, days, side="left") + 1
        rows += _case_rows(plan, np.arange(first, last) + 1, days, seq, stamps)
    return rows


def _now(spec: Spec) -> int:
    return spec.now if spec.now is not None else int(datetime.now(UTC).timestamp())


def _open_index(spec: Spec) -> np.ndarray:
    """Which cases end open: spec.open of the newest open_among, sorted."""
    rng = np.random.default_rng([spec.seed, 1 << 30])
    among = min(spec.total, spec.open_among or spec.open * 4)
    return np.sort(spec.total - among + rng.choice(among, min(spec.open, among), replace=False))


def roll_up() -> None:
    """The monthly sums of the counters, which events keep current from here on (evaluation.rollup)."""
    from urbangrid.evaluation import rollup

    rollup.rebuild()


def _case_rows(plan: _Batch, ids: np.ndarray, days: np.ndarray, seq: np.ndarray, stamps):
    n = len(ids)
    reported = stamps(plan.reported)
    after_intake = plan.dispatched | ~plan.is_open
    accepted = stamps(plan.reported + 600, after_intake)
    opened = stamps(plan.reported + 1800, after_intake)
    numbers = _numbers(days, seq)
    collector = (plan.source == "collector").tolist()
    columns = (
        ids.tolist(), numbers, plan.state.tolist(), [1] * n, stamps(plan.state_since), plan.source.tolist(),
        plan.kind.tolist(), np.where(plan.urgent, "urgent", "normal").tolist(), plan.description.tolist(), [""] * n,
        plan.lon.tolist(), plan.lat.tolist(), plan.grid.tolist(), [""] * n, [""] * n, [False] * n, [False] * n,
        [4] * n, ["work_hours"] * n, stamps(plan.due, plan.has_due), stamps(plan.step_due, plan.has_step),
        stamps(plan.reported, plan.state == "parked"), ["[]"] * n, ["[]"] * n, [0] * n, [0] * n, [0] * n, [""] * n,
        reported, accepted, opened, stamps(plan.reported + 3600, plan.dispatched),
        stamps(plan.closed_at, ~plan.is_open), reported, plan.klass.tolist(),
        [d if ok else None for d, ok in zip(plan.department.tolist(), after_intake.tolist(), strict=True)],
        [c if ok else None for c, ok in zip(plan.collector.tolist(), collector, strict=True)], [""] * n,
    )
    return zip(*columns, strict=True)


def _event_rows(plan: _Batch, ids: np.ndarray, stamps):
    n = len(ids)
    collector = (plan.source == "collector").tolist()
    actors = [c if ok else None for c, ok in zip(plan.collector.tolist(), collector, strict=True)]
    posts = [Post.COLLECTOR.value if ok else "" for ok in collector]
    return zip(ids.tolist(), [1] * n, ["report"] * n, [""] * n, ["reported"] * n, actors, posts,
               stamps(plan.reported), [""] * n, ["{}"] * n, [""] * n, strict=True)


def _stamps(vendor: str):
    """Seconds since the epoch → the text each backend parses as that UTC instant ("2026-11-29 12:00:00", with
    "+00" on PostgreSQL): the day's part and the time's part looked up (a few µs a row saved on millions)."""
    suffix = "+00" if vendor == "postgresql" else ""
    times = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(86400)]
    day_text: dict[int, str] = {}

    def stamps(seconds: np.ndarray, valid: np.ndarray | None = None) -> list:
        days, moments = np.divmod(seconds, 86400)
        for d in np.unique(days).tolist():
            if d not in day_text:
                day_text[d] = date.fromordinal(EPOCH_ORDINAL + d).isoformat()
        if valid is None:
            return [day_text[d] + times[t] for d, t in zip(days.tolist(), moments.tolist(), strict=True)]
        return [day_text[d] + times[t] if ok else None
                for d, t, ok in zip(days.tolist(), moments.tolist(), valid.tolist(), strict=True)]

    return stamps


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _numbers(days: np.ndarray, seq: np.ndarray) -> list[str]:
    """core.numbering.case_number of each (day, sequence), the day's part made once per day."""
    prefix = {d: case_number(date.fromordinal(d), 1)[:-SEQUENCE_DIGITS] for d in np.unique(days).tolist()}
    return [f"{prefix[d]}{s:0{SEQUENCE_DIGITS}d}" for d, s in zip(days.tolist(), seq.tolist(), strict=True)]


class _LocalDays:
    """Epoch seconds → the ordinal of the city's calendar day (timezone.localdate), exact for any zone: each
    distinct hour is converted once."""

    def __init__(self):
        self._hours: dict[int, int] = {}

    def __call__(self, seconds: np.ndarray) -> np.ndarray:
        hours, inverse = np.unique(seconds // 3600, return_inverse=True)
        known = self._hours
        for hour in hours.tolist():
            if hour not in known:
                known[hour] = timezone.localdate(datetime.fromtimestamp(hour * 3600, UTC)).toordinal()
        return np.array([known[h] for h in hours.tolist()], dtype=np.int64)[inverse]


SOURCE_NAMES = tuple(name for name, _w in SOURCES)


def _tally_keys(days: np.ndarray, grids: np.ndarray, sources: np.ndarray, n_grids: int) -> np.ndarray:
    return (days * n_grids + grids) * len(SOURCE_NAMES) + sources


def _write_tallies(keys: list[np.ndarray], grid_codes: np.ndarray) -> int:
    """The counters the report events count (evaluation.counting.replay: `reported`, and `public_reported` for
    the public's and the hotline's reports; the class and department are 0 before 立案)."""
    if not keys:
        return 0
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    sources = unique % len(SOURCE_NAMES)
    rest = unique // len(SOURCE_NAMES)
    grids, days = rest % len(grid_codes), rest // len(grid_codes)
    public = np.isin(np.array(SOURCE_NAMES, dtype=object)[sources], list(PUBLIC_SOURCES))
    columns = ("day", "grid_code", "class_id", "department_id", "source", "reported", "public_reported")
    n = len(unique)
    day_text = {d: date.fromordinal(d).isoformat() for d in np.unique(days).tolist()}
    rows = zip(
        [day_text[d] for d in days.tolist()], grid_codes[grids].tolist(), [0] * n, [0] * n,
        np.array(SOURCE_NAMES, dtype=object)[sources].tolist(), counts.tolist(),
        np.where(public, counts, 0).tolist(), strict=True,
    )
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.bulk_write(Tally._meta.db_table, columns, batch)
            batch = []
    db.bulk_write(Tally._meta.db_table, columns, batch)
    return n
