"""Counting events into the counters: incrementally (one upsert per table per event) and by replaying the log.

Both paths build a core.evaluation.Event and ask core.evaluation.count_event what it adds, so they agree by
construction; what differs is only where the case's history comes from. Incrementally it is the case row
right after the move (cases.actions has applied the effects) plus, for the moves that end a timed step, the one
previous moving event (an indexed read; never on intake). In a replay it is the events seen so far.

Each event's counts go, with the same deltas, into the daily counters and the sums (rollup.py) of its city
day: seven upserts for the facts (rollup.FACT_SUMS: the day's row, the month's, the month's district ×
department and community, the day's district × department, community and class × source), day and month per
person and post, sent in one round trip (db.write_together).

漏报 and 网格立案数 count for the collectors responsible for the case's grid on the event's city day, from the
history of their grids (accounts.GridSpell; a change counts from the next day, so the day's holders are
fixed before it begins): an INSERT … SELECT from the spells per post table, in the same round trip; a replay
reads the same spells (Holders).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from urbangrid import db
from urbangrid.accounts.models import GridSpell
from urbangrid.cases import clock
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core import evaluation as core
from urbangrid.core.posts import Post
from urbangrid.evaluation import rollup
from urbangrid.evaluation.models import (
    FACT_KEY,
    MONTH_POST_KEY,
    POST_KEY,
    PostTally,
    PostTallyMonth,
    Tally,
)

# The moves that end a timed step of the centres or collectors: their on-time-ness is counted per post.
TIMED = frozenset({
    "accept", "reject", "mark_duplicate", "verify", "refute", "send_verification", "send_check", "open",
    "pass_check", "rework", "close", "dispatch", "forward", "refer",
})
FactKey = tuple[date, str, int, int, str]
# With a department: the states in which a passed deadline makes a case count in 超期未处置 (a suspended case
# has none).
WITH_DEPARTMENT = frozenset(str(s) for s in clock.HANDLING_STATES)
PostKey = tuple[date, int, str]


def on_event(sender, case: Case, event: CaseEvent, **kwargs) -> None:
    """event_recorded receiver: bump the counters of one event, in the event's transaction."""
    moving = event.action not in core.NON_MOVING
    ends_stay = moving and event.source in WITH_DEPARTMENT  # a stay with a department (and its deadline) ends
    before = _previous_move(event) if (event.action in TIMED and event.actor_id) or ends_stay else None
    prev = before[:2] if before and event.action in TIMED and event.actor_id else None
    last = _last_dispatch(event) if event.action == "approve_return" else None
    view = _view(case, event, case.reworks, case.returns, prev, last)
    counted = core.count_event(view)
    day = timezone.localdate(event.at)
    facts: dict[FactKey, Counter] = defaultdict(Counter)
    if counted.facts:
        key = (day, case.grid_code, case.klass_id or 0, _department(event, case.department_id), case.source)
        facts[key].update(counted.facts)
    where = (case.grid_code, case.klass_id or 0)
    # Taken, asked about, refused: the same department under the same deadline, one stay (_stays).
    same_stay = ends_stay and event.target in WITH_DEPARTMENT and before and before[2] == event.due_after
    if ends_stay and before and before[2] is not None and not same_stay:
        # Only a return takes the case from its department (the one it names); other moves keep it.
        gone = (event.data or {}).get("department") if event.action == "approve_return" else case.department_id
        _began, ended = core.overdue_days(before[1], before[2], event.at, timezone.localdate)
        facts[(ended, *where, gone or 0, case.source)]["overdue_ended"] += 1
    if moving and not same_stay and event.target in WITH_DEPARTMENT and event.due_after is not None:
        began, _ended = core.overdue_days(event.at, event.due_after, None, timezone.localdate)
        facts[(began, *where, case.department_id or 0, case.source)]["overdue_began"] += 1
    statements = many_fact_upserts(facts)
    by_post: dict[PostKey, Counter] = defaultdict(Counter)
    for user, post, name in counted.posts:
        by_post[(day, user, post)][name] += 1
    if counted.for_grid:
        statements += grid_post_upserts(day, case.grid_code, Counter(counted.for_grid), _collectors_of(by_post))
    for key, names in by_post.items():
        statements += post_upserts(key, names)
    db.write_together(statements)


def fact_upserts(key: FactKey, amounts: Counter) -> list[tuple[str, list]]:
    """The upserts of one event's facts: a row of every table of rollup.FACT_SUMS (its day's row, its month's,
    its month's district × department and community, its day's district × department, community and class ×
    source)."""
    return [upsert(sums.model, sums.key, sums.key_of(key), amounts) for sums in rollup.FACT_SUMS]


def many_fact_upserts(facts: dict[FactKey, Counter]) -> list[tuple[str, list]]:
    """fact_upserts of several keys (a move's own counts and the overdue flows, which may fall on other days),
    one upsert per row: PostgreSQL refuses a statement (db.write_together sends one) that changes a row twice,
    and two keys of one month and district share their monthly rows."""
    if len(facts) == 1:
        ((key, amounts),) = facts.items()
        return fact_upserts(key, amounts)
    rows: dict[tuple, Counter] = defaultdict(Counter)
    for key, amounts in facts.items():
        for sums in rollup.FACT_SUMS:
            rows[(sums, sums.key_of(key))].update(amounts)
    return [upsert(sums.model, sums.key, key, amounts) for (sums, key), amounts in rows.items()]


def post_upserts(key: PostKey, amounts: Counter) -> list[tuple[str, list]]:
    day, user_id, post = key
    return [upsert(PostTally, POST_KEY, key, amounts),
            upsert(PostTallyMonth, MONTH_POST_KEY, (day.replace(day=1), user_id, post), amounts)]


def _collectors_of(by_post: dict[PostKey, Counter]) -> dict[int, Counter]:
    """Take the event's own collector counts out of by_post, for grid_post_upserts to write with the grid's:
    one statement must write a row once (see there)."""
    mine = [key for key in by_post if key[2] == COLLECTOR]
    return {key[1]: by_post.pop(key) for key in mine}


COLLECTOR = Post.COLLECTOR.value
SPELL_TABLE = GridSpell._meta.db_table


def grid_post_upserts(day: date, grid_code: str, each: Counter, own: dict[int, Counter]) -> list[tuple[str, list]]:
    """The counts `each` for every collector responsible for the grid on the day (accounts.GridSpell: began ≤
    day < ended, None open), into the day's and the month's post rows: per table one INSERT … SELECT from the
    spells … ON CONFLICT DO UPDATE, no read in Python. The event's own collector counts (`own`: user →
    counts, e.g. the verifier's 核实, the reporter's 有效上报) are written by the same statement, summed per
    user with the grid's: the collector who confirms a report in their own grid is on both sides, and
    PostgreSQL refuses one statement (db.write_together's WITH) that changes a row twice."""
    names = tuple(sorted({*each, *(n for counts in own.values() for n in counts)}))
    rows = [[user, *(counts[n] for n in names)] for user, counts in sorted(own.items())]
    params = [*(each[n] for n in names), grid_code, db.day(day), db.day(day)]
    for row in rows:
        params += row
    return [
        (_grid_sql(PostTally, POST_KEY, names, len(rows)), [db.day(day), COLLECTOR, *params]),
        (_grid_sql(PostTallyMonth, MONTH_POST_KEY, names, len(rows)), [db.day(day.replace(day=1)), COLLECTOR, *params]),
    ]


def _grid_sql(model, key_fields: tuple[str, ...], names: tuple[str, ...], own: int) -> str:
    found = _SQL.get((model, "grid", names, own))
    if found is None:
        table, q = model._meta.db_table, connection.ops.quote_name
        counts = ", ".join(f"CAST(%s AS INTEGER) AS {q(n)}" for n in names)
        marks = ", ".join(["CAST(%s AS INTEGER)"] * (1 + len(names)))
        held = (f"SELECT user_id, {counts} FROM {q(SPELL_TABLE)} WHERE grid_code = %s "
                "AND (began IS NULL OR began <= %s) AND (ended IS NULL OR ended > %s)")
        union = " UNION ALL ".join([held, *[f"SELECT {marks}"] * own])
        sums = ", ".join(f"SUM({q(n)})" for n in names)
        sets = ", ".join(f"{q(n)} = {q(table)}.{q(n)} + excluded.{q(n)}" for n in names)
        columns = ", ".join(q(c) for c in (*key_fields, *names))
        # WHERE true: SQLite would read "ON CONFLICT" as a join's ON after a bare FROM (its upsert docs).
        target = ", ".join(q(c) for c in key_fields)
        found = (f"INSERT INTO {q(table)} ({columns}) SELECT %s, user_id, %s, {sums} FROM ({union}) counted "
                 f"WHERE true GROUP BY user_id ON CONFLICT ({target}) DO UPDATE SET {sets}")
        _SQL[(model, "grid", names, own)] = found
    return found


def _view(case, event, reworks, returns, prev, last) -> core.Event:
    on_time = True
    if prev is not None:
        due = clock.step_due(prev[0], prev[1])
        on_time = due is None or event.at <= due
    return core.Event(
        action=event.action, source=event.source, at=event.at, actor_id=event.actor_id, post=event.post,
        data=event.data or {}, due_after=event.due_after, case_source=case.source, reporter_id=case.reporter_id,
        reworks=reworks, returns=returns, step_on_time=on_time, last_dispatch=last,
    )


def _department(event: CaseEvent, current: int | None) -> int:
    return core.department_of(event.action, event.data or {}, current) or 0


def _previous_move(event: CaseEvent):
    """(state, since, deadline) of the state this event leaves: the latest earlier event that moved the case."""
    earlier = CaseEvent.objects.filter(case_id=event.case_id, seq__lt=event.seq).exclude(action__in=core.NON_MOVING)
    return earlier.order_by("-seq").values_list("target", "at", "due_after").first()


def _last_dispatch(event: CaseEvent):
    earlier = CaseEvent.objects.filter(case_id=event.case_id, seq__lt=event.seq, action="dispatch")
    found = earlier.order_by("-seq").values_list("actor_id", "post").first()
    return found if found and found[0] is not None else None


_SQL: dict[tuple, str] = {}


def upsert(model, key_fields: tuple[str, ...], key: tuple, amounts: Counter) -> tuple[str, list]:
    """INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n: one statement, no read, on both databases;
    (sql, params)."""
    names = tuple(sorted(amounts))
    sql = _SQL.get((model, names))
    if sql is None:
        table, q = model._meta.db_table, connection.ops.quote_name
        columns = ", ".join(q(c) for c in (*key_fields, *names))
        marks = ", ".join(["%s"] * (len(key_fields) + len(names)))
        sets = ", ".join(f"{q(n)} = {q(table)}.{q(n)} + excluded.{q(n)}" for n in names)
        target = ", ".join(q(c) for c in key_fields)
        sql = f"INSERT INTO {q(table)} ({columns}) VALUES ({marks}) ON CONFLICT ({target}) DO UPDATE SET {sets}"
        _SQL[(model, names)] = sql
    return sql, [db.day(key[0]), *key[1:], *(amounts[n] for n in names)]


# ---------------------------------------------------------------------------------------------------------
# Replaying the log


@dataclass(frozen=True)
class Replayed:
    case_id: int
    event_id: int
    day: date
    key: FactKey
    counted: core.Counted
    flows: tuple[tuple[FactKey, str], ...] = ()  # overdue_began / overdue_ended and where they count


CASE_FIELDS = ("id", "grid_code", "klass_id", "source", "reporter_id")
EVENT_FIELDS = ("id", "case_id", "seq", "action", "source", "target", "at", "actor_id", "post", "data", "due_after")


def replay(case_ids: Iterable[int]) -> Iterator[Replayed]:
    """Every event of these cases with what it counts, in each case's order, from the log alone."""
    ids = list(case_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cases = {row["id"]: row for row in Case.objects.filter(pk__in=chunk).values(*CASE_FIELDS)}
        events = CaseEvent.objects.filter(case_id__in=chunk).order_by("case_id", "seq").values(*EVENT_FIELDS)
        current, state = None, {}
        for row in events.iterator(chunk_size=5000):
            if row["case_id"] != current:
                current = row["case_id"]
                state = {"department": None, "returns": 0, "reworks": 0, "prev": None, "last": None, "opened": False,
                         "stay": None}
            yield _replay_one(cases[current], row, state)


def _replay_one(case: dict, row: dict, state: dict) -> Replayed:
    action, data = row["action"], row["data"] or {}
    state["returns"] += action == "approve_return"
    state["reworks"] += action == "rework"
    state["opened"] |= action == "open"
    department = core.department_after(action, data, state["department"])
    prev = state["prev"] if action in TIMED and row["actor_id"] else None
    last = state["last"] if action == "approve_return" else None
    ev = _Row(row)
    view = _view(_Case(case), ev, state["reworks"], state["returns"], prev, last)
    counted = core.count_event(view)
    day = timezone.localdate(row["at"])
    key = (
        day, case["grid_code"], (case["klass_id"] or 0) if state["opened"] else 0,
        core.department_of(action, data, department) or 0, case["source"],
    )
    state["department"] = department
    flows = []
    if action not in core.NON_MOVING:
        state["prev"] = (row["target"], row["at"])
        flows = _stays(case, row, state)
    if action == "dispatch":
        state["last"] = (row["actor_id"], row["post"]) if row["actor_id"] is not None else None
    return Replayed(case["id"], row["id"], day, key, counted, tuple(flows))


def _stays(case: dict, row: dict, state: dict) -> list[tuple[FactKey, str]]:
    """The overdue flows of a move: the end of the stay with a department it leaves, the start of the one it
    begins (state["stay"]: (where, since, deadline) of the stay going on; department as after the move)."""
    flows = []
    where = (case["grid_code"], case["klass_id"] or 0)
    stay = state["stay"]
    if stay and row["target"] in WITH_DEPARTMENT and (stay[0], stay[2]) == (state["department"] or 0, row["due_after"]):
        # Still with the same department under the same deadline (taken, a request made or refused): the stay
        # goes on. Ended and begun again it would add the same days (core.overdue_days), in two more counts.
        return flows
    if state["stay"] is not None:
        department, since, due = state["stay"]
        _began, ended = core.overdue_days(since, due, row["at"], timezone.localdate)
        flows.append(((ended, *where, department, case["source"]), "overdue_ended"))
    state["stay"] = None
    if row["target"] in WITH_DEPARTMENT and row["due_after"] is not None:
        department = state["department"] or 0
        state["stay"] = (department, row["at"], row["due_after"])
        began, _ended = core.overdue_days(row["at"], row["due_after"], None, timezone.localdate)
        flows.append(((began, *where, department, case["source"]), "overdue_began"))
    return flows


class _Row:
    def __init__(self, row: dict):
        self.__dict__.update(row)


class _Case:
    def __init__(self, case: dict):
        self.source, self.reporter_id = case["source"], case["reporter_id"]


class Holders:
    """Who held a grid on a day, from the whole history of spells (read once): the collectors 漏报 and 网格立案数
    count for, as grid_post_upserts finds them."""

    def __init__(self, users=None):
        spells = GridSpell.objects.all() if users is None else GridSpell.objects.filter(user_id__in=users)
        self.by_grid: dict[str, list[tuple]] = defaultdict(list)
        for user, code, began, ended in spells.values_list("user_id", "grid_code", "began", "ended"):
            self.by_grid[code].append((user, began, ended))

    def __call__(self, grid_code: str, day: date) -> list[int]:
        return [user for user, began, ended in self.by_grid.get(grid_code, ())
                if (began is None or began <= day) and (ended is None or day < ended)]


def recount(progress: bool | None = False) -> tuple[int, int]:
    """Rebuild the daily counters from the event log, and the monthly sums from them; (fact rows, post rows)
    of the daily counters written."""
    from django.db import transaction
    from tqdm import tqdm

    facts: dict[FactKey, Counter] = defaultdict(Counter)
    posts: dict[PostKey, Counter] = defaultdict(Counter)
    holders = Holders()
    ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    disable = None if progress is None else not progress  # None: a bar only on a terminal
    bar = tqdm(total=len(ids), unit=_("cases"), desc=_("Recount"), disable=disable)
    last_case = None
    for item in replay(ids):
        if item.case_id != last_case:
            last_case = item.case_id
            bar.update(1)
        if item.counted.facts:
            facts[item.key].update(item.counted.facts)
        for key, name in item.flows:
            facts[key][name] += 1
        for user, post, name in item.counted.posts:
            posts[(item.day, user, post)][name] += 1
        for user in holders(item.key[1], item.day) if item.counted.for_grid else ():
            posts[(item.day, user, COLLECTOR)].update(item.counted.for_grid)
    bar.close()

    with transaction.atomic():
        Tally.objects.all().delete()
        PostTally.objects.all().delete()
        names = (*core.FACT_NAMES, *core.FLOW_NAMES)
        Tally.objects.bulk_create((_row(Tally, FACT_KEY, k, names, c) for k, c in facts.items()), 2000)
        rows = (_row(PostTally, POST_KEY, k, core.POST_NAMES, c) for k, c in posts.items())
        PostTally.objects.bulk_create(rows, 2000)
        rollup.rebuild()  # the monthly sums of the same counts, in the same transaction
    return len(facts), len(posts)


def _row(model, key_fields: tuple[str, ...], key: tuple, names: tuple[str, ...], counts: Counter):
    return model(**dict(zip(key_fields, key, strict=True)), **{name: counts.get(name, 0) for name in names})
