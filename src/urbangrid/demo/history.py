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
  grid × source; the collectors' `reports` per day × collector), so that `urbangrid evaluation recount`
  finds the same numbers, and their sums (roll_up: monthly, per community, per day).

The mixes of classes, sources and states are demo.mixes'.

Rows are planned as numpy columns and go through db.bulk_writer in batches of BATCH (binary COPY encoded by
numpy on PostgreSQL, sent while the next batch is planned; executemany with the constants in the statement on
SQLite), with the tables' indexes and unique constraints (but those a foreign key depends on) dropped
during the load and rebuilt after it. Each report event carries its audit link (cases.chain), each case
its chain head, so that `urbangrid audit verify` finds the history intact. Deterministic: the plan of batch k
comes from a generator seeded by (seed, k), so a city is written alike however often it is made.
"""

import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from urbangrid import db
from urbangrid.accounts.models import Appointment, Organisation
from urbangrid.cases import chain
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
from urbangrid.evaluation.models import PostTally, Tally
from urbangrid.grid.models import Area

BATCH = 100_000
YEAR_S = 365 * 86400
SOURCE_NAMES = tuple(name for name, _w in SOURCES)
STATE_NAMES = tuple(name for name, _p in OPEN_STATES) + tuple(name for name, _p in TERMINAL_STATES)


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
    post_tallies: int = 0
    first_id: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class HistoryError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------
# The reference data the plan draws from.


@dataclass
class _Pools:
    grid_codes: np.ndarray  # object
    grid_names: list[str]  # the same
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
            grid_codes=np.array([g[0] for g in grids], dtype=object), grid_names=[g[0] for g in grids],
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
        # Codes into STATE_NAMES (the same draws as choosing among the names themselves).
        self.state_code = np.where(
            self.is_open,
            rng.choice(len(opened), n, p=np.array(opened_p) / sum(opened_p)),
            len(opened) + rng.choice(len(terminal), n, p=np.array(terminal_p) / sum(terminal_p)),
        )
        self.state = np.array(STATE_NAMES, dtype=object)[self.state_code]
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
        self.grid_names = pools.grid_names
        component = (rng.random(n) < COMPONENT_SHARE) if len(pools.component_ids) else np.zeros(n, dtype=bool)
        matter_class = pools.matter_ids[rng.choice(len(pools.matter_ids), n, p=pools.matter_p)]
        if len(pools.component_ids):
            component_class = pools.component_ids[rng.choice(len(pools.component_ids), n, p=pools.component_p)]
            self.klass = np.where(component, component_class, matter_class)
        else:
            self.klass = matter_class
        self.component = component
        self.department = pools.departments[rng.integers(0, len(pools.departments), n)]
        names, weights = zip(*SOURCES, strict=True)
        self.source_index = rng.choice(len(names), n, p=np.array(weights) / sum(weights))
        self.by_collector = self.source_index == SOURCE_NAMES.index("collector")
        self.collector = pools.collectors[rng.integers(0, len(pools.collectors), n)]
        self.urgent = rng.random(n) < URGENT_SHARE
        self.description_index = rng.integers(0, len(DESCRIPTIONS), n)


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
    local_day = _LocalDays()
    written = Written(first_id=1)
    times = written.seconds
    began = time.perf_counter()
    dropped = [db.drop_indexes(model._meta.db_table) for model in (Case, CaseEvent, Tally)]
    try:
        day_last: dict[int, int] = {}
        tally_keys: list[np.ndarray] = []
        report_keys: list[np.ndarray] = []
        last_day, last_seq = None, 0
        with db.bulk_writer() as write:  # on PostgreSQL, batch k is sent while batch k + 1 is made
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
                numbers = _numbers(days, seq)
                chains = _report_chains(plan, numbers)
                write({Case._meta.db_table: _case_columns(plan, ids, numbers, chains),
                       CaseEvent._meta.db_table: _event_columns(plan, ids, chains)})
                tally_keys.append(_tally_keys(days, plan.grid_index, plan.source_index, len(pools.grid_codes)))
                report_keys.append(_report_keys(days, plan, pools.collectors))
                written.cases += stop - start
                written.events += stop - start
                if progress:
                    progress(stop - start)
        times["write"] = time.perf_counter() - began
        began = time.perf_counter()
        with transaction.atomic():
            CaseSequence.objects.bulk_create(
                (CaseSequence(day=date.fromordinal(d), last=n) for d, n in sorted(day_last.items())),
                batch_size=2000)
            written.tallies = _write_tallies(tally_keys, pools.grid_codes)
            written.post_tallies = _write_reports(report_keys, pools.collectors)
        times["counters"] = time.perf_counter() - began
    finally:  # a failed load leaves its rows with their indexes
        times.setdefault("write", time.perf_counter() - began)
        began = time.perf_counter()
        db.restore_indexes([sql for ddl in dropped for sql in ddl])
    db.reset_sequences([Case, CaseEvent])
    times["index"] = time.perf_counter() - began
    return written


def case_rows(spec: Spec, start: int, stop: int) -> list[tuple]:
    """The rows (CASE_COLUMNS) the plan gives cases start … stop - 1, unwritten: for a benchmark's own inserts.
    Their day sequences count from `start`, not from the day's first case."""
    now, pools, open_index = _now(spec), _Pools.load(spec), _open_index(spec)
    local_day, rows = _LocalDays(), []
    for first in range(start, stop, BATCH):
        last = min(first + BATCH, stop)
        plan = _Batch(spec, pools, first, last, now, open_index)
        days = local_day(plan.reported)
        seq = np.arange(last - first) - np.searchsorted(days, days, side="left") + 1
        numbers = _numbers(days, seq)
        rows += db.rows(_case_columns(plan, np.arange(first, last) + 1, numbers, _report_chains(plan, numbers)))
    return rows


def _now(spec: Spec) -> int:
    return spec.now if spec.now is not None else int(datetime.now(UTC).timestamp())


def _open_index(spec: Spec) -> np.ndarray:
    """Which cases end open: spec.open of the newest open_among, sorted."""
    rng = np.random.default_rng([spec.seed, 1 << 30])
    among = min(spec.total, spec.open_among or spec.open * 4)
    return np.sort(spec.total - among + rng.choice(among, min(spec.open, among), replace=False))


def roll_up() -> None:
    """The monthly, community and day sums of the counters (evaluation.rollup.FACT_SUMS; PostTallyMonth),
    which events keep current from here on."""
    from urbangrid.evaluation import rollup

    rollup.rebuild()


def _case_columns(plan: _Batch, ids: np.ndarray, numbers: list[str], chains: list[str]) -> dict:
    """The case rows as db.write_columns takes them, in CASE_COLUMNS' order."""
    after_intake = plan.dispatched | ~plan.is_open
    reported = db.Moments(plan.reported)
    columns = {
        "id": ids, "number": db.Texts(numbers), "state": db.Coded(plan.state_code, STATE_NAMES), "version": 1,
        "state_since": db.Moments(plan.state_since), "source": db.Coded(plan.source_index, SOURCE_NAMES),
        "kind": db.Coded(plan.component.astype(np.int8), ("matter", "component")),
        "urgency": db.Coded(plan.urgent.astype(np.int8), ("normal", "urgent")),
        "description": db.Coded(plan.description_index, DESCRIPTIONS), "address": "", "lon": plan.lon,
        "lat": plan.lat, "grid_code": db.Coded(plan.grid_index, plan.grid_names), "reporter_name": "",
        "reporter_phone": "", "self_handled": False, "non_routine": False, "limit_value": 4,
        "limit_unit": "work_hours", "due_at": db.Moments(plan.due, plan.has_due),
        "step_due_at": db.Moments(plan.step_due, plan.has_step),
        "paused_since": db.Moments(plan.reported, plan.state == "parked"), "pauses": "[]", "extensions": "[]",
        "returns": 0, "not_ours_returns": 0, "reworks": 0, "cost_payer": "", "reported_at": reported,
        "accepted_at": db.Moments(plan.reported + 600, after_intake),
        "opened_at": db.Moments(plan.reported + 1800, after_intake),
        "dispatched_at": db.Moments(plan.reported + 3600, plan.dispatched),
        "closed_at": db.Moments(plan.closed_at, ~plan.is_open), "created_at": reported, "klass_id": plan.klass,
        "department_id": db.Masked(plan.department, after_intake),
        "reporter_id": db.Masked(plan.collector, plan.by_collector), "event_chain": db.Texts(chains),
    }
    assert tuple(columns) == CASE_COLUMNS
    return columns


def _event_columns(plan: _Batch, ids: np.ndarray, chains: list[str]) -> dict:
    """The report events (EVENT_COLUMNS): seq 1, by the collector for collectors' reports, chained."""
    columns = {
        "case_id": ids, "seq": 1, "action": "report", "source": "", "target": "reported",
        "actor_id": db.Masked(plan.collector, plan.by_collector),
        "post": db.Coded(plan.by_collector.astype(np.int8), ("", Post.COLLECTOR.value)),
        "at": db.Moments(plan.reported), "reason": "", "data": "{}", "chain": db.Texts(chains),
    }
    assert tuple(columns) == EVENT_COLUMNS
    return columns


def _report_chains(plan: _Batch, numbers: list[str]) -> list[str]:
    """Each report event's audit link (cases.chain.link, the first of its case: from the empty link), made
    from a template of the serialised content with the four values that vary put in (1.5 µs an event against
    15 µs through link()); the first of each batch is checked against link() itself, so that a change of the
    chain's format fails here instead of making a city `urbangrid audit verify` rejects."""
    template = _chain_template()
    at = db.instant_texts(plan.reported, sep="T", suffix="+00:00")
    actors = np.where(plan.by_collector, plan.collector.astype(str), "null").tolist()
    posts = np.where(plan.by_collector, Post.COLLECTOR.value, "").tolist()
    key, digest = settings.AUDIT_KEY.encode(), hmac.digest
    found = [digest(key, (template % values).encode(), "sha256").hex()
             for values in zip(numbers, actors, at, posts, strict=True)]
    if found:
        first = SimpleNamespace(
            seq=1, action="report", source="", target="reported", post=posts[0], organisation_id=None,
            actor_id=int(plan.collector[0]) if plan.by_collector[0] else None, reason="", data={},
            at=datetime.fromtimestamp(int(plan.reported[0]), UTC), due_before=None, due_after=None)
        if chain.link("", numbers[0], first) != found[0]:
            raise HistoryError("the audit chain's content changed (cases.chain): update demo.history's template")
    return found


_TEMPLATE: list[str] = []


def _chain_template() -> str:
    """"\n" + chain.link's content of a report event, with %s for the number, actor, time and post."""
    if not _TEMPLATE:
        marks = {name: f"\u27e8{name}\u27e9" for name in ("number", "actor_id", "at", "post")}
        event = SimpleNamespace(seq=1, action="report", source="", target="reported", organisation_id=None,
                                reason="", data={}, due_before=None, due_after=None, actor_id=marks["actor_id"],
                                at=marks["at"], post=marks["post"])
        values = {name: getattr(event, name) for name in chain.FIELDS}
        content = json.dumps([marks["number"], values], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        content = "\n" + content.replace("%", "%%")
        order = sorted(marks, key=lambda name: content.index(marks[name]))
        if order != ["number", "actor_id", "at", "post"]:
            raise HistoryError("the audit chain's content changed order (cases.chain)")
        content = content.replace(f'"{marks["actor_id"]}"', "%s")  # a number or null, unquoted
        for name in ("number", "at", "post"):
            content = content.replace(marks[name], "%s")
        _TEMPLATE.append(content)
    return _TEMPLATE[0]


def _stamps(vendor: str):
    """Seconds since the epoch → the text each backend parses as that UTC instant ("2026-11-29 12:00:00", with
    "+00" on PostgreSQL), None where not valid: for the benchmarks' own inserts."""
    suffix = "+00" if vendor == "postgresql" else ""

    def stamps(seconds: np.ndarray, valid: np.ndarray | None = None) -> list:
        return db.instant_texts(seconds, valid, suffix=suffix)

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
    grid_names = grid_codes.tolist()
    for first in range(0, len(unique), BATCH):
        part = slice(first, first + BATCH)
        db.write_columns(Tally._meta.db_table, {
            "day": db.Days(days[part]), "grid_code": db.Coded(grids[part], grid_names), "class_id": 0,
            "department_id": 0, "source": db.Coded(sources[part], SOURCE_NAMES), "reported": counts[part],
            "public_reported": np.where(public[part], counts[part], 0),
        })
    return len(unique)


def _report_keys(days: np.ndarray, plan: _Batch, collectors: np.ndarray) -> np.ndarray:
    """day × collector (its index in the pool) of the collectors' reports."""
    index = np.searchsorted(collectors, plan.collector[plan.by_collector])
    return days[plan.by_collector] * len(collectors) + index


def _write_reports(keys: list[np.ndarray], collectors: np.ndarray) -> int:
    """The collectors' `reports` the report events count (core.evaluation.count_event: for the reporting
    collector, on the day of the report), per day × collector."""
    if not keys:
        return 0
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    days, users = unique // len(collectors), collectors[unique % len(collectors)]
    for first in range(0, len(unique), BATCH):
        part = slice(first, first + BATCH)
        db.write_columns(PostTally._meta.db_table, {
            "day": db.Days(days[part]), "user_id": users[part], "post": Post.COLLECTOR.value, "reports": counts[part],
        })
    return len(unique)
