"""The figures of the command screen (大屏幕监督指挥), each one or two indexed queries.

The database holds millions of cases, so every query here reads one index of cases.models, most of them
alone (the index holds every column the query needs):
- today and the last 30 days: a range of reported_at on (reported_at, klass, grid_code, source, lon, lat);
- open cases: `state IN (open states)` on the (state, due_at) index, and overdue ones on
  (state, due_at) / (state, step_due_at) with the deadline bounded;
- a district's screen: the grid code between the district code and the next one (grid-code index), or, where
  the planner should keep to another index, the district part of the grid code read from that index;
- closed this month: `state = closed` and closed_at in the month on (state, closed_at, due_at, grid_code).
The 30-day and monthly figures (the slow ones: ≈250 ms of CPU on SQLite at a million cases, bench/bench_pages.py)
are computed by the worker every SLOW_EVERY (`precompute`, for the city and each district command centre) into
the cache all processes share (settings.CACHES["shared"]: Redis, or a table of the database), and kept there
for SLOW_TTL; a request only reads them. When they are missing (no worker yet, a new day, a scope of several
districts) the first request computes them and stores them for every process. They carry the time they were
computed ("as of" on the screen); the live figures are read at every refresh.

On-time closure rate (按期结案率), as computed here: of the cases closed (结案) in the current month that had a
handling deadline (that is, were dispatched to a department), the share closed no later than that deadline:
    on time = closed_at ≤ due_at;   rate = on time / closed with a deadline.
Self-handled cases (自处置) and cases closed without dispatch have no handling deadline and are left out.
The formal evaluation indicators (urbangrid.evaluation) are computed separately and may differ.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import caches
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from urbangrid.accounts.models import Appointment
from urbangrid.cases import access, clock
from urbangrid.cases.labels import SOURCE_LABELS, state_label
from urbangrid.cases.models import Case
from urbangrid.catalog.models import CatalogClass
from urbangrid.core.posts import Post
from urbangrid.core.workflow import TERMINAL, State
from urbangrid.grid.models import Area

OPEN_STATES = [str(s) for s in State if s not in TERMINAL]
HANDLING = [str(s) for s in clock.HANDLING_STATES]
CENTRE_STATES = [s for s in OPEN_STATES if s not in HANDLING]
OVERDUE_LIST = 15
TOP = 8
RECENT_DAYS = 30
SLOW_TTL = 300  # seconds: the 30-day and monthly figures move slowly; the live ones are read every refresh
SLOW_EVERY = timedelta(minutes=2)  # the worker renews them well within SLOW_TTL, so a request never misses them
STORE = "shared"  # the settings.CACHES alias every process shares
JOB = "command.figures"
DISTRICT_LENGTH, STREET_LENGTH = 6, 9


@dataclass(frozen=True)
class Scope:
    """What a screen counts: the whole city, or the districts of a district command centre."""

    name: str
    districts: tuple[str, ...] = ()  # empty: the whole city

    @property
    def key(self) -> str:
        return ",".join(self.districts) or "city"

    def cases(self, by_grid_index: bool = True) -> QuerySet:
        """The scope's cases. by_grid_index=False filters on a function of the grid code, which no index
        serves, so that the planner takes another (the day range of the case number): SQLite, without
        statistics, would otherwise read every case of the district for today's few."""
        if not self.districts:
            return Case.objects.all()
        if not by_grid_index:
            length = len(self.districts[0])
            return Case.objects.alias(scope_area=Substr("grid_code", 1, length)).filter(
                scope_area__in=self.districts
            )
        found = Q(pk__in=[])
        for code in self.districts:
            found |= access.in_area(code)
        return Case.objects.filter(found)


def reported_between(first: date, last: date) -> Q:
    """Cases reported from `first` to `last` (city days, both included)."""
    return Q(reported_at__gte=day_start(first), reported_at__lt=day_start(last + timedelta(days=1)))


def day_start(day: date) -> datetime:
    """The start of a day in the city's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def bars(rows: list[tuple[str, str, int]]) -> list[dict]:
    """(key, label, count) rows with their share of the largest, for the screen's bars (0–100)."""
    top = max((n for _k, _l, n in rows), default=0)
    return [{"key": k, "label": label, "count": n, "pct": round(100 * n / top) if top else 0} for k, label, n in rows]


def screen(scope: Scope, at: datetime) -> dict:
    today = timezone.localdate(at)
    return {"at": at, "today": today, **live(scope, at), **stored(scope, today, at)}


def stored(scope: Scope, today: date, at: datetime) -> dict:
    """The slow figures from the shared store; computed and stored for every process when missing."""
    store = caches[STORE]
    found = store.get(slow_key(scope, today))
    if found is None:
        found = slow(scope, today, at)
        store.set(slow_key(scope, today), found, SLOW_TTL)
    return found


def slow(scope: Scope, today: date, at: datetime) -> dict:
    """The 30-day and monthly figures, and when they were computed (`slow_at`)."""
    return {**recent(scope, today), "rates": on_time_by_district(scope, today), "slow_at": at}


def slow_key(scope: Scope, today: date) -> str:
    return f"command:slow:{scope.key}:{today.isoformat()}"


def precompute(at: datetime | None = None) -> int:
    """The worker's job (every SLOW_EVERY): the slow figures of the whole city and of every district a district
    command centre's operator watches, into the shared store. Returns how many screens were stored."""
    at = at or clock.now()
    today = timezone.localdate(at)
    store = caches[STORE]
    scopes = [Scope("city")] + [Scope(code, (code,)) for code in watched_districts()]
    for scope in scopes:
        store.set(slow_key(scope, today), slow(scope, today, at), SLOW_TTL)
    return len(scopes)


def watched_districts() -> list[str]:
    """The districts whose command centres have an operator (command.views.scope_of gives each their own)."""
    held = Appointment.objects.filter(
        post=Post.DISTRICT_OPERATOR, active=True, organisation__active=True, organisation__area__isnull=False
    )
    return sorted(set(held.values_list("organisation__area__code", flat=True)))


def live(scope: Scope, at: datetime) -> dict:
    cases = scope.cases()
    today = timezone.localdate(at)
    reported_today = scope.cases(by_grid_index=False).filter(reported_between(today, today))
    by_source = dict(reported_today.values_list("source").annotate(n=Count("*")).order_by())
    by_state = dict(cases.filter(state__in=OPEN_STATES).values_list("state").annotate(n=Count("*")).order_by())
    late_handling = cases.filter(state__in=HANDLING, due_at__lt=at)
    late_centre = cases.filter(state__in=CENTRE_STATES, step_due_at__lt=at)
    overdue_count = late_handling.count() + late_centre.count()
    return {
        "intake_total": sum(by_source.values()),
        "intake": bars([(k, str(label), by_source.get(k, 0)) for k, label in SOURCE_LABELS.items()]),
        "open_total": sum(by_state.values()),
        "open_by_state": bars([(s, state_label(s), by_state[s]) for s in OPEN_STATES if by_state.get(s)]),
        "overdue_total": overdue_count,
        "overdue": overdue_list(cases, at),
    }


def overdue_list(cases: QuerySet, at: datetime) -> list[dict]:
    """The OVERDUE_LIST cases longest past their deadline, from both kinds of deadline.

    First only (deadline, id) of each state, the first of a range of its (state, deadline) index, then the
    chosen rows whole: with all states in one query PostgreSQL read and sorted every overdue case (0.1 s), and
    reading whole rows to sort them cost 0.3 s."""
    candidates: list[tuple[datetime, int]] = []
    for states, column in ((HANDLING, "due_at"), (CENTRE_STATES, "step_due_at")):
        for state in states:
            late = cases.filter(state=state, **{f"{column}__lt": at}).order_by(column).values_list(column, "pk")
            candidates += late[:OVERDUE_LIST]
    chosen = [pk for _due, pk in sorted(candidates)[:OVERDUE_LIST]]
    first = list(Case.objects.filter(pk__in=chosen).select_related("klass", "department"))
    rows = []
    for case in first:
        due = case.due_at if case.state in HANDLING else case.step_due_at
        rows.append({
            "id": case.pk, "number": case.number, "state_label": state_label(case.state),
            "class_name": case.klass.name if case.klass_id else "", "due": due,
            "late_hours": (at - due) / timedelta(hours=1), "late_whole_hours": int((at - due) / timedelta(hours=1)),
            "late_days": (at - due).days,
            "department": case.department.name if case.department_id else "", "grid_code": case.grid_code,
            "address": case.address,
        })
    rows.sort(key=lambda r: r["due"])
    return rows[:OVERDUE_LIST]


def recent(scope: Scope, today: date) -> dict:
    """Top classes, districts and streets by cases reported in the last RECENT_DAYS days.

    Counted by class and by street in two queries: one by (class, street) returned 19,000 groups at a million
    cases, and reading them cost more than the second scan of the index."""
    first = today - timedelta(days=RECENT_DAYS - 1)
    reported = scope.cases(by_grid_index=False).filter(reported_between(first, today))
    by_class = _counted(reported.values_list("klass_id"))
    by_street = _counted(reported.annotate(street=Substr("grid_code", 1, STREET_LENGTH)).values_list("street"))
    by_district: dict[str, int] = {}
    for street, n in by_street.items():
        by_district[street[:DISTRICT_LENGTH]] = by_district.get(street[:DISTRICT_LENGTH], 0) + n
    top_classes = sorted(((k, n) for k, n in by_class.items() if k is not None), key=lambda kn: (-kn[1], kn[0]))[:TOP]
    classes = CatalogClass.objects.filter(pk__in=[k for k, _n in top_classes]).values_list("pk", "code", "name")
    codes = {pk: (code, name) for pk, code, name in classes}
    top_districts = sorted(by_district.items(), key=lambda kn: (-kn[1], kn[0]))[:TOP]
    top_streets = sorted(by_street.items(), key=lambda kn: (-kn[1], kn[0]))[:TOP]
    area_names = _area_names([c for c, _n in top_districts + top_streets])
    return {
        "recent_since": first,
        "recent_total": sum(by_class.values()),
        "top_classes": bars([(*codes.get(k, ("", "")), n) for k, n in top_classes]),
        "top_districts": bars([(c, area_names.get(c, c), n) for c, n in top_districts]),
        "top_streets": bars([(c, area_names.get(c, c), n) for c, n in top_streets]),
    }


def _counted(rows: QuerySet) -> dict:
    return dict(rows.annotate(n=Count("*")).order_by())


def on_time_by_district(scope: Scope, today: date) -> dict:
    """The on-time closure rate of the current month per district (see the module's docstring)."""
    month_start = day_start(today.replace(day=1))
    closed = scope.cases(by_grid_index=False).filter(
        state=State.CLOSED, closed_at__gte=month_start, due_at__isnull=False
    )
    rows = (
        closed.annotate(district=Substr("grid_code", 1, DISTRICT_LENGTH)).values_list("district")
        .annotate(closed=Count("*"), on_time=Count("closed_at", filter=Q(closed_at__lte=F("due_at"))))
        .order_by("district")
    )
    names = _area_names([d for d, _c, _o in rows])
    districts = [
        {"code": d, "name": names.get(d, d), "closed": c, "on_time": o, "pct": round(100 * o / c, 1) if c else None}
        for d, c, o in rows
    ]
    total_closed = sum(d["closed"] for d in districts)
    total_on_time = sum(d["on_time"] for d in districts)
    return {
        "month": today.replace(day=1),
        "districts": districts,
        "closed": total_closed,
        "on_time": total_on_time,
        "pct": round(100 * total_on_time / total_closed, 1) if total_closed else None,
    }


def _area_names(codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.current().filter(code__in=set(codes)).values_list("code", "name"))
