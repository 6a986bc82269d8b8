"""Report tables over a period: counts from the maintained counters, 超期未处置 from their balance, rates,
综合指标值, grades and ranks; and for every number the exact cases behind it (drill-down).

Dimensions: district, street, community and grid (grid-code prefixes of 6, 9, 12 and all characters),
department, class and source; posts have their own table (one row per person and post).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid import db
from urbangrid.accounts.labels import POST_LABELS
from urbangrid.accounts.models import Organisation, User
from urbangrid.cases import clock
from urbangrid.cases.labels import SOURCE_LABELS
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.catalog.models import CatalogClass
from urbangrid.core import evaluation as core
from urbangrid.core import workflow
from urbangrid.core.posts import Post
from urbangrid.evaluation import counting, drilldown, rollup, rules
from urbangrid.evaluation.models import (
    PostTally,
    PostTallyMonth,
    RuleSet,
    Tally,
    TallyClassDay,
    TallyCommunityDay,
    TallyCommunityMonth,
    TallyHeadline,
    TallyHeadlineDay,
    TallyMonth,
)
from urbangrid.grid.models import Area

REGION_LENGTH = {"district": 6, "street": 9, "community": rollup.COMMUNITY, "grid": 15}
DIMENSIONS = (*REGION_LENGTH, "department", "class", "source")
SUBJECT_OF = {**dict.fromkeys(REGION_LENGTH, "region"), "department": "department"}
# With a department: dispatched, handling, or waiting for a decision on a return, extension or suspension.
TERMINAL = [str(s) for s in workflow.TERMINAL]
# The sums each table reads (rollup.FACT_SUMS): whole months from MONTHLY_SUMS, the days a period cuts from
# its months from DAILY_SUMS; the grid table has no monthly sums and reads Tally over its days.
MONTHLY_SUMS = {"district": TallyHeadline, "department": TallyHeadline, "class": TallyMonth, "source": TallyMonth,
                "street": TallyCommunityMonth, "community": TallyCommunityMonth}
DAILY_SUMS = {"district": TallyHeadlineDay, "department": TallyHeadlineDay, "street": TallyCommunityDay,
              "community": TallyCommunityDay, "class": TallyClassDay, "source": TallyClassDay}
ROLLED_UP = frozenset(MONTHLY_SUMS)  # dimensions the monthly sums keep
# The region column of each table of sums and how many characters of a grid code it keeps.
REGION_COLUMN = {Tally: ("grid_code", 15), TallyMonth: ("district", 6), TallyHeadline: ("district", 6),
                 TallyHeadlineDay: ("district", 6), TallyCommunityMonth: ("community", 12),
                 TallyCommunityDay: ("community", 12)}
ALL = ""  # the key of the whole city in a drill-down
WITH_DEPARTMENT = sorted(counting.WITH_DEPARTMENT)  # the same states, in a fixed order for the SQL


@dataclass
class Row:
    key: str
    label: str
    counts: dict[str, int]
    rates: dict[str, Decimal | None]
    score: Decimal | None = None
    grade: str = ""
    rank: int | None = None
    extra: dict = field(default_factory=dict)


def bounds(period: core.Period) -> tuple[datetime, datetime]:
    """The period as [start, end) in city time."""
    start = timezone.make_aware(datetime.combine(period.first, time()))
    return start, timezone.make_aware(datetime.combine(period.last + timedelta(days=1), time()))


def table(period: core.Period, dimension: str, ruleset: RuleSet | None = None, within: str = "") -> list[Row]:
    """One row per region / department / class / source with counts, rates and (regions, departments) scores.
    within: a district, street or community code; a region table then has the regions inside it only (the
    grids of one community: a city's grid table has 100,000 rows)."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    check_within(dimension, within)
    ruleset = ruleset or rules.current()
    totals: dict[str, Counter] = defaultdict(Counter)
    for row in fact_rows(period, dimension, within):
        key = str(row.pop("k"))
        totals[key].update({n: v or 0 for n, v in row.items()})
    _drop_empty(totals)
    for key, n in overdue_counts([period], dimension, within)[0].items():
        totals[key]["overdue_unhandled"] += n
    totals.pop("0", None) if dimension in ("department",) else None
    labels = _labels(dimension, totals)
    rows = []
    for key in sorted(totals):
        counts = core.complete(totals[key])
        rows.append(Row(key, labels.get(key, key), counts, core.rates(counts)))
    _score(rows, SUBJECT_OF.get(dimension), ruleset)
    return rows


def check_within(dimension: str, within: str) -> None:
    """within must be a region code shorter than the dimension's (ValueError)."""
    if within and (dimension not in REGION_LENGTH or len(within) not in (6, 9, 12)
                   or len(within) >= REGION_LENGTH[dimension]):
        raise ValueError(f"{dimension} within {within!r}")


def fact_rows(period: core.Period, dimension: str, within: str = "") -> list[dict]:
    """The summed counts per key of the dimension, to be added up per key (a key may come more than once, and
    with counts taken away: then all zero): whole months from the dimension's monthly sums, the days cut from
    them from its day sums (MONTHLY_SUMS, DAILY_SUMS), as rollup.split says; the grid table from the daily
    counters over its days. within: a region code, the rows inside it only."""
    sums = {n: Sum(n) for n in core.FACT_NAMES}
    monthly, daily = MONTHLY_SUMS.get(dimension), DAILY_SUMS.get(dimension, Tally)
    months, days, less = ([], [(period.first, period.last)], [])
    if monthly is not None:
        months, days, less = rollup.split(period)
    found = []
    if months:
        rows = _inside(monthly.objects.filter(month__in=months), within).values(k=_group(dimension, monthly))
        found += fetch(rows.annotate(**sums))
    for ranges, sign in ((days, 1), (less, -1)):
        for first, last in ranges:
            rows = _inside(daily.objects.filter(day__gte=first, day__lte=last), within)
            found += _signed(fetch(rows.values(k=_group(dimension, daily)).annotate(**sums)), sign, ("k",))
    return found


def _inside(rows, within: str):
    """The rows of a table of sums (or the daily counters) inside region `within` ("": all): its region column
    equal to the code, or for a shorter code in [code, the next code) — a range the column's index serves
    (startswith would be LIKE, which PostgreSQL's index on a collated column does not)."""
    if not within:
        return rows
    column, length = REGION_COLUMN[rows.model]
    if len(within) >= length:
        return rows.filter(**{column: within[:length]})
    return rows.filter(**{f"{column}__gte": within, f"{column}__lt": _following(within)})


def _following(prefix: str) -> str:
    """The first code after every code that starts with prefix."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _signed(rows: list[dict], sign: int, keys: tuple[str, ...]) -> list[dict]:
    if sign == 1:
        return rows
    return [{n: v if n in keys else -(v or 0) for n, v in row.items()} for row in rows]


def _drop_empty(totals: dict) -> None:
    """Keys whose counts add up to nothing (counts of days taken away from a month's): a table read from the
    days alone would not have them."""
    for key in [k for k, counts in totals.items() if not any(counts.values())]:
        del totals[key]


def fetch(rows) -> list[dict]:
    """A values() queryset's rows read straight from the driver: its sums are plain integers on both
    databases, and the ORM's converters (one call per value, 30 sums a row) cost more than the query itself
    on a year of monthly sums. Columns come in the order the compiler writes them: fields, then annotations.
    Read where the queryset would read (rows.db: a replica inside dbrouter.replica_reads())."""
    using = rows.db
    try:
        sql, params = rows.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:  # e.g. month__in=[]: Django knows without asking
        return []
    names = [*rows.query.values_select, *rows.query.annotation_select]
    return [dict(zip(names, row, strict=True)) for row in db.select(sql, params, using=using)]


def post_rows(period: core.Period) -> list[dict]:
    """The summed counts per person and post, to be added up like fact_rows': monthly sums and daily counters
    as rollup.split says."""
    sums = {n: Sum(n) for n in core.POST_NAMES}
    months, days, less = rollup.split(period)
    found = []
    if months:
        found += fetch(PostTallyMonth.objects.filter(month__in=months).values("user_id", "post").annotate(**sums))
    for ranges, sign in ((days, 1), (less, -1)):
        for first, last in ranges:
            rows = PostTally.objects.filter(day__gte=first, day__lte=last).values("user_id", "post").annotate(**sums)
            found += _signed(fetch(rows), sign, ("user_id", "post"))
    return found


def post_table(period: core.Period, ruleset: RuleSet | None = None) -> list[Row]:
    ruleset = ruleset or rules.current()
    totals: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for row in post_rows(period):
        totals[(row.pop("user_id"), row.pop("post"))].update({n: v or 0 for n, v in row.items()})
    _drop_empty(totals)
    names = {u.pk: u.display_name or u.username for u in User.objects.filter(pk__in={u for u, _p in totals})}
    rows = []
    for (user_id, post), counted in sorted(totals.items(), key=lambda item: (item[0][1], names.get(item[0][0], ""))):
        counts = core.complete_post(counted)
        label = names.get(user_id, str(user_id))
        rows.append(Row(f"{user_id}:{post}", label, counts, core.post_rates(counts),
                        extra={"post": post, "post_label": str(POST_LABELS.get(post, post))}))
    by_post = defaultdict(list)
    for row in rows:
        by_post[row.extra["post"]].append(row)
    for post, group in by_post.items():
        _score(group, post if post in core.SUBJECTS else None, ruleset)
    return rows


def _score(rows: list[Row], subject: str | None, ruleset: RuleSet) -> None:
    terms = rules.terms(ruleset).get(subject or "", [])
    if not terms:
        return
    floors = rules.grades(ruleset)
    for row in rows:
        row.score = core.composite(terms, {**row.counts, **row.rates})
        row.grade = core.grade(row.score, floors)
    for row, position in zip(rows, core.rank(r.score for r in rows), strict=True):
        row.rank = position


def totals_row(rows: list[Row]) -> Row:
    summed = Counter()
    for row in rows:
        summed.update({n: row.counts[n] for n in (*core.FACT_NAMES, "overdue_unhandled")})
    counts = core.complete(summed)
    return Row("", "", counts, core.rates(counts))


def _group(dimension: str, model=Tally):
    """The key of the dimension in `model`'s rows: a region cut from its region column, or a column."""
    if dimension in REGION_LENGTH:
        column, length = REGION_COLUMN[model]
        wanted = REGION_LENGTH[dimension]
        return F(column) if wanted == length else Substr(column, 1, wanted)
    return F({"department": "department_id", "class": "class_id", "source": "source"}[dimension])


def _key_of(case: dict, dimension: str) -> str:
    if dimension in REGION_LENGTH:
        return case["grid_code"][: REGION_LENGTH[dimension]]
    value = {"department": case["department_id"], "class": case["klass_id"], "source": case["source"]}[dimension]
    return str(value or 0)


def _labels(dimension: str, totals) -> dict[str, str]:
    keys = [k for k in totals if k != "0"]
    if dimension in REGION_LENGTH:
        return dict(Area.objects.filter(code__in=keys).values_list("code", "name"))
    if dimension == "department":
        return {str(pk): name for pk, name in Organisation.objects.filter(pk__in=keys).values_list("pk", "name")}
    if dimension == "class":
        found = CatalogClass.objects.filter(pk__in=keys).values_list("pk", "code", "name")
        return {str(pk): f"{code} {name}" for pk, code, name in found}
    return {key: str(SOURCE_LABELS.get(key, key)) for key in keys}


# ---------------------------------------------------------------------------------------------------------
# 超期未处置: a balance at the end of a period


def overdue_counts(periods: list[core.Period], dimension: str, within: str = "") -> list[Counter]:
    """超期未处置 per key of the dimension at the end of each period (now, for a period not yet over), from the
    maintained balance: the sum over the days to the period's last of overdue_began − overdue_ended
    (core.overdue_days says why that is exact). Whole months from the monthly sums, one query for all the
    periods; the days of a month a period ends in from the daily counters, or the month's sums less the days
    after (the flows of days still to come are counted already: a deadline's day is known when it is set).
    Equal to the replay of the log, overdue() (tests/evaluation/test_overdue.py). A period not yet over is
    counted now, from the case rows, as overdue() does. The months and days read are the dimension's sums
    (MONTHLY_SUMS, DAILY_SUMS); within: a region code, the keys inside it only."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    check_within(dimension, within)
    now = clock.now()
    found: list[Counter | None] = [_overdue_now(now, dimension, within) if bounds(p)[1] >= now else None
                                   for p in periods]
    past = [p for p, counted in zip(periods, found, strict=True) if counted is None]
    balances = iter(_balances(past, dimension, within) if past else [])
    return [next(balances) if counted is None else counted for counted in found]


def _overdue_now(now: datetime, dimension: str, within: str = "") -> Counter:
    """超期未处置 now, from the case rows (an index range on state and deadline). Not from the balance: the
    same for cases moved by cases.actions, but a bulk-written history (demo.history) has case rows with
    deadlines and no moves behind them."""
    # klass_id + 0, not klass_id: SQLite would walk the whole case table in the order of an index that leads
    # with the class (to group without sorting) instead of taking the few open cases from the state index
    # (3.3 s against 3 ms at 1,000,000 cases).
    group = {"department": F("department_id"), "class": F("klass_id") + Value(0),
             "source": F("source")}.get(dimension)
    if group is None:
        group = Substr("grid_code", 1, REGION_LENGTH[dimension])
    cases = Case.objects.filter(state__in=WITH_DEPARTMENT, due_at__lt=now)
    if within:
        cases = cases.filter(grid_code__gte=within, grid_code__lt=_following(within))
    rows = cases.values(k=group).annotate(n=Count("id"))
    return Counter({str(row["k"] or 0): row["n"] for row in fetch(rows)})


def _balances(periods: list[core.Period], dimension: str, within: str = "") -> list[Counter]:
    """The balance per key at each period's last day: the whole months before it (its own month too when the
    period ends on the month's last day) from the monthly sums, in one query of a pair of filtered sums per
    period (one row per key, however many months: a community table's history is ≈1,000 communities × every
    month), and the days of the month it ends in from the day sums, or that month's sums less the days
    after, whichever is fewer days."""
    lasts = [p.last for p in periods]
    monthly = MONTHLY_SUMS.get(dimension)
    if monthly is None:
        return [_nonzero(_flows_between(None, last, dimension, within)) for last in lasts]
    sums, plans = {}, []
    for i, last in enumerate(lasts):
        month, month_last = last.replace(day=1), core.period("month", last).last
        # Whole months: those before `upto`. A month cut by the period: its days, or its sums less the rest.
        upto = month_last + timedelta(days=1) if last == month_last else month
        days_first = last < month_last and (last - month).days + 1 <= (month_last - last).days
        less_after = last < month_last and not days_first
        sums |= {f"b{i}": Sum("overdue_began", filter=Q(month__lt=upto)),
                 f"e{i}": Sum("overdue_ended", filter=Q(month__lt=upto))}
        if less_after:
            sums |= {f"mb{i}": Sum("overdue_began", filter=Q(month=month)),
                     f"me{i}": Sum("overdue_ended", filter=Q(month=month))}
        plans.append((last, month, month_last, days_first, less_after))
    rows = fetch(_inside(monthly.objects.filter(_FLOWING, month__lte=max(lasts).replace(day=1)), within)
                 .values(k=_group(dimension, monthly)).annotate(**sums))
    found = []
    for i, (last, month, month_last, days_first, less_after) in enumerate(plans):
        balance = Counter()
        for row in rows:
            balance[str(row["k"])] += (row[f"b{i}"] or 0) - (row[f"e{i}"] or 0)
            if less_after:
                balance[str(row["k"])] += (row[f"mb{i}"] or 0) - (row[f"me{i}"] or 0)
        if days_first:
            balance.update(_flows_between(month, last, dimension, within))
        elif less_after:
            balance.subtract(_flows_between(last + timedelta(days=1), month_last, dimension, within))
        found.append(_nonzero(balance))
    return found


def _nonzero(balance: Counter) -> Counter:
    return Counter({k: n for k, n in balance.items() if n})


_FLOWING = Q(overdue_began__gt=0) | Q(overdue_ended__gt=0)
_FLOW_SUMS = {"b": Sum("overdue_began"), "e": Sum("overdue_ended")}


def _flows_between(first: date | None, last: date, dimension: str, within: str = "") -> Counter:
    daily = DAILY_SUMS.get(dimension, Tally)
    days = _inside(daily.objects.filter(_FLOWING, day__lte=last), within)
    if first is not None:
        days = days.filter(day__gte=first)
    rows = fetch(days.values(k=_group(dimension, daily)).annotate(**_FLOW_SUMS))
    found = Counter()
    for row in rows:
        found[str(row["k"])] += (row["b"] or 0) - (row["e"] or 0)
    return found


def overdue(period: core.Period, dimension: str = "", key: str = ALL, narrow: bool = True) -> list[dict]:
    """The cases overdue and not handled at the end of the period (or now, for a period not yet over), for
    the drill-down (the number is overdue_counts'): their last move by then left them with a department with
    a deadline already passed. Suspended cases have no deadline and are left out. They count for the
    department they were with then, and the case's grid, class and source. Only row `key` of the
    `dimension` table when given (the case columns narrow the cases to replay; the department is the one
    the replay finds).

    For a period not yet over the case rows say it (indexed by state and deadline); for a past one, the
    moves of the cases still alive at its end are replayed to that moment: only those in the unit grids where
    the maintained balance (overdue_counts by grid) says some case was overdue then, a few among a city's
    (`narrow=False`: all of them, the reference the balance is tested against).
    """
    _start, end = bounds(period)
    now = clock.now()
    fields = ("id", "grid_code", "klass_id", "department_id", "source")
    cases = Case.objects.order_by()  # the default order (-id) would make SQLite scan the table by id
    if key != ALL and dimension in REGION_LENGTH:
        cases = cases.filter(grid_code__startswith=key)
    elif key != ALL and dimension == "class":
        cases = cases.filter(klass_id=int(key) or None)
    elif key != ALL and dimension == "source":
        cases = cases.filter(source=key)
    if end >= now:
        found = list(cases.filter(state__in=WITH_DEPARTMENT, due_at__lt=now).values(*fields))
        return _rows_matching(found, dimension, key) if dimension else found
    # Opened before the end (dispatched_at is the latest clock start: a re-dispatch after the end moves it).
    alive = cases.filter(opened_at__lt=end).exclude(state__in=TERMINAL, state_since__lt=end)
    latest: dict[int, tuple[str, datetime | None, int | None]] = {}
    if not narrow:
        latest = _last_moves(alive, end)
    grids = sorted(_overdue_grids(period, dimension, key)) if narrow else []
    for first in range(0, len(grids), 500):
        latest.update(_last_moves(alive.filter(grid_code__in=grids[first:first + 500]), end))
    with_department = {cid: dep for cid, (target, due, dep) in latest.items()
                       if target in WITH_DEPARTMENT and due and due < end}
    found = [{**case, "department_id": with_department[case["id"]]}
             for case in Case.objects.filter(pk__in=list(with_department)).values(*fields)]
    return _rows_matching(found, dimension, key) if dimension else found


def _overdue_grids(period: core.Period, dimension: str, key: str) -> list[str]:
    """The unit grids with a case overdue and not handled at the end of a past period, by the balance; first
    the row's own balance from the monthly sums (the district's for a finer region), which is mostly 0."""
    coarse = "district" if not dimension or dimension in REGION_LENGTH else dimension
    row = key[:REGION_LENGTH["district"]] if coarse == "district" else key
    rows = overdue_counts([period], coarse)[0]
    if not (sum(rows.values()) if key == ALL or not dimension else rows.get(row, 0)):
        return []
    balance = overdue_counts([period], "grid")[0]
    prefix = key if key != ALL and dimension in REGION_LENGTH else ""
    return [grid for grid, n in balance.items() if n > 0 and grid.startswith(prefix)]


def _last_moves(alive, end: datetime) -> dict[int, tuple[str, datetime | None, int | None]]:
    """(state, deadline, department) after each case's last move before `end`."""
    moves = (CaseEvent.objects.filter(case__in=alive, at__lt=end).exclude(action__in=core.NON_MOVING)
             .order_by("case_id", "seq").values_list("case_id", "action", "target", "due_after", "data"))
    latest: dict[int, tuple[str, datetime | None, int | None]] = {}
    department: int | None = None
    current = None
    for case_id, action, target, due, data in moves.iterator(chunk_size=10000):
        if case_id != current:
            current, department = case_id, None
        department = core.department_after(action, data or {}, department)
        latest[case_id] = (target, due, department)
    return latest


# ---------------------------------------------------------------------------------------------------------
# Drill-down: the cases behind a number


def cases_behind(period: core.Period, dimension: str, key: str, indicator: str) -> list[int]:
    """The ids of the cases counted in `indicator` for row `key` of the `dimension` table, by the same
    counting as the counters (a replay of the cases' events), so the list and the number agree."""
    return cases_listing(period, dimension, key, indicator).all()


def cases_listing(period: core.Period, dimension: str, key: str, indicator: str) -> drilldown.Listing:
    """cases_behind's cases as a count and keyset pages (the first page of 100,000 cases without the rest)."""
    if indicator == "overdue_unhandled":
        ids = sorted(c["id"] for c in overdue(period, dimension, key))
        return drilldown.Listing(len(ids), ids=ids)
    if indicator in ("due_to_close", "due_to_handle"):
        part = "closed" if indicator == "due_to_close" else "handled"
        ids = sorted({*cases_behind(period, dimension, key, part),
                      *cases_behind(period, dimension, key, "overdue_unhandled")})
        return drilldown.Listing(len(ids), ids=ids)
    if dimension == "post":
        ids = _post_cases(period, key, indicator)
        return drilldown.Listing(len(ids), ids=ids)
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    return drilldown.listing(period, dimension, key, indicator, bounds(period), fact_rows)


def _rows_matching(cases: list[dict], dimension: str, key: str) -> list[dict]:
    if dimension == "post":
        return []
    if key == ALL:
        return cases
    return [c for c in cases if _key_of(c, dimension) == key]


def _post_cases(period: core.Period, key: str, indicator: str) -> list[int]:
    user_id, post = key.split(":", 1)
    user_id = int(user_id)
    start, end = bounds(period)
    if indicator in core.FOR_GRID.values():
        return _grid_cases(period, user_id, indicator) if post == Post.COLLECTOR.value else []
    if indicator not in core.POST_NAMES:
        raise ValueError(indicator)
    # A misdispatch is credited to whoever made the dispatch that was returned, at the approval.
    mine = Q(actor_id=user_id) | Q(case__reporter_id=user_id) | Q(action="approve_return")
    events = CaseEvent.objects.filter(mine, at__gte=start, at__lt=end)
    ids = sorted(set(events.values_list("case_id", flat=True)))
    wanted = (user_id, post, indicator)
    return sorted({i.case_id for i in counting.replay(ids)
                   if period.first <= i.day <= period.last and wanted in i.counted.posts})


def _grid_cases(period: core.Period, user_id: int, indicator: str) -> list[int]:
    """漏报 / 网格立案数 of one collector: the cases whose confirmation / 立案 fell on a day the collector held
    the case's grid (counting.Holders, the spells the counts were written from)."""
    start, end = bounds(period)
    holders = counting.Holders(users=[user_id])
    # Only the moves that can count it (core.COUNTED_BY), of cases in those grids reported before the period ended.
    actions = {a for fact, name in core.FOR_GRID.items() if name == indicator for a in core.COUNTED_BY[fact]}
    cases = Case.objects.filter(grid_code__in=list(holders.by_grid), reported_at__lt=end).order_by()
    events = CaseEvent.objects.filter(case__in=cases, action__in=actions, at__gte=start, at__lt=end).order_by()
    ids = sorted(set(events.values_list("case_id", flat=True)))
    return sorted({i.case_id for i in counting.replay(ids)
                   if period.first <= i.day <= period.last and indicator in i.counted.for_grid
                   and user_id in holders(i.key[1], i.day)})
