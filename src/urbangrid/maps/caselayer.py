"""Cases on the map: open cases coloured by light, heat of cases by class, an area's open cases.

Every query starts from cases.access.visible_cases(user): the map page is public, its case layers are not
(an anonymous visitor gets no case at all, a department its own, a collector those of their grids).

How it stays fast with millions of cases and no spatial index (see the indexes of cases.models.Case):
- open cases per area: `state IN (open states)` read from the (state, grid_code, lon, lat, due_at, step_due_at)
  index alone, a few per cent of all cases, kept per process for TALLY_SECONDS;
- an area: `grid_code` between the code and the next code of the same length (cases.access.in_area: a range
  on the grid-code index; `LIKE 'prefix%'` would not use it on SQLite, whose LIKE ignores case);
- a period: a range of reported_at on (reported_at, klass, grid_code, source, lon, lat), read alone; with
  classes chosen, (klass, reported_at) may be used instead;
- many points: counted per area on the server (district, street, community or grid by zoom), the browser
  never gets more than a screen's worth.
"""

import bisect
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.db.models import Avg, Count, F, Q, QuerySet, Sum, When
from django.db.models import Case as Switch
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid import db
from urbangrid.accounts.models import User
from urbangrid.cases import access, clock
from urbangrid.cases.labels import state_label
from urbangrid.cases.models import Case
from urbangrid.catalog.models import CatalogClass
from urbangrid.core import deadlines
from urbangrid.core.codes import AREA_CODE_LENGTHS
from urbangrid.core.posts import Post
from urbangrid.core.workflow import TERMINAL, State
from urbangrid.grid.models import Area
from urbangrid.maps.cache import Versioned
from urbangrid.maps.params import BBox
from urbangrid.timekeeping.calendars import DATA_VERSION as CALENDARS_VERSION
from urbangrid.timekeeping.calendars import calendar_for, step_limit

OPEN_STATES = [str(s) for s in State if s not in TERMINAL]
HANDLING = [str(s) for s in clock.HANDLING_STATES]
POINT_CAP = 1000  # more open cases than this in view: counted per area instead
POINTS_FROM_ZOOM = 13  # below, a screen holds a district or more: counted per area without trying points
PANEL_CASES = 20
PANEL_GRIDS = 60  # an area's panel lists cases from at most this many of its grids (those most overdue)
HEAT_CAP = 5000
# The case file of the operators' workbench (urbangrid.workbench); a plain path, as the map must not
# depend on that app (they are independent entry points).
CASE_FILE_URL = "/work/cases/{id}/"
# Cases counted per area, by zoom: the same table as the components' counts, with grids from 15 on.
CASE_LEVEL_FROM_ZOOM = ((0, "district"), (11, "street"), (13, "community"), (15, "grid"))
HEAT_LEVEL_FROM_ZOOM = ((0, "community"), (14, "grid"))


LIGHT_LABELS = {
    "green": _("green: under 80 per cent of the time used"), "yellow": _("yellow: over 80 per cent of the time used"),
    "red": _("red: overdue"), "none": _("no running clock (suspended or no deadline)"),
}


def case_classes() -> list[dict]:
    """The classes cases can have (both kinds, active), for the heat layer's choice."""
    rows = CatalogClass.objects.filter(active=True).order_by("code").values("code", "name").distinct()
    return list(rows)


def overdue_q(at: datetime) -> Q:
    """Past the handling deadline (department states) or the step's deadline (the centres' states).

    The same rule as cases.clock.is_overdue, as a filter; light red is exactly this."""
    return Q(state__in=HANDLING, due_at__lt=at) | (~Q(state__in=HANDLING) & Q(step_due_at__lt=at))


def due():
    """The deadline that runs: the handling deadline in the department states, else the step's."""
    return Switch(When(state__in=HANDLING, then=F("due_at")), default=F("step_due_at"))


def _next_code(code: str) -> str | None:
    # Grid codes are digits, so the codes under "410105" are those from "410105" to below "410106".
    if not code or not code.isdigit() or set(code) == {"9"}:
        return None
    return str(int(code) + 1).zfill(len(code))


def open_cases(user: User | None) -> QuerySet:
    return access.visible_cases(user).filter(state__in=OPEN_STATES)


def in_box(cases: QuerySet, box: BBox) -> QuerySet:
    return cases.filter(lon__gte=box.west, lon__lte=box.east, lat__gte=box.south, lat__lte=box.north)


def light_of(case: Case, at: datetime) -> str:
    """green, yellow or red as cases.clock computes it; "none" when no clock runs (suspended, no deadline)."""
    found = clock.light(case, at)
    return str(found) if found else "none"


# Calendars by department and step limits by step, looked up as needed, forgotten when the calendars change.
_looked_up = Versioned(CALENDARS_VERSION, lambda: {"calendars": {}, "steps": {}})


class Lights:
    """cases.clock.light for many cases, with the calendars and step limits kept per process.

    clock.light asks timekeeping for the calendar of every case, and each ask checks the calendars' data
    version with a query: the points of one screen cost dozens of queries (150 ms measured). Here the version
    is read once per request, and what was looked up is kept until it moves on. The rule is clock.light's,
    line for line."""

    def __init__(self, at: datetime):
        self.at = at
        kept = _looked_up.get()
        self._calendars, self._steps = kept["calendars"], kept["steps"]

    def _calendar(self, department):
        key = department.pk if department is not None else None
        if key not in self._calendars:
            self._calendars[key] = calendar_for(department)
        return self._calendars[key]

    def of(self, case: Case) -> str:
        state = State(case.state)
        if state in clock.HANDLING_STATES:
            if case.due_at is None or case.paused_since is not None:
                return "none"
            unit = clock.handling_limit(case).unit
            found = deadlines.light(
                case.dispatched_at, case.due_at, self.at, self._calendar(case.department), unit, clock.pauses(case)
            )
            return str(found)
        if case.step_due_at is None:
            return "none"
        step = clock.STEP_OF_STATE[state]
        if step not in self._steps:
            self._steps[step] = step_limit(step)
        unit = self._steps[step].unit
        return str(deadlines.light(case.state_since, case.step_due_at, self.at, self._calendar(None), unit))


# Counts are COUNT(*), or of a column of the index read, never COUNT(id): PostgreSQL would read every row
# from the table for its id (an index-only scan of 50,000 open cases: 30 ms against 700).

# The columns describe() and Lights read (the description, the reporter's data and the rest stay in the table).
DESCRIBED = (
    "number", "state", "state_since", "address", "lon", "lat", "grid_code", "due_at", "step_due_at", "dispatched_at",
    "limit_value", "limit_unit", "paused_since", "pauses", "extensions", "klass__code", "klass__name",
    "department__id", "department__parent",
)


def describe(case: Case, at: datetime, lights: Lights | None = None) -> dict:
    """What a popup or a list row shows of a case."""
    due = case.due_at if case.state in HANDLING else case.step_due_at
    return {
        "id": case.pk, "number": case.number, "state": case.state, "state_label": state_label(case.state),
        "class_code": case.klass.code if case.klass_id else None,
        "class_name": case.klass.name if case.klass_id else None,
        "address": case.address, "due_at": timezone.localtime(due).isoformat() if due else None,
        "light": lights.of(case) if lights else light_of(case, at),
        "url": CASE_FILE_URL.format(id=case.pk),
    }


@dataclass
class Tally:
    code: str
    name: str
    count: int
    overdue: int
    lon: float
    lat: float


# The open cases per area, for the people who see every case (the centres' posts and 领导). Reading all open
# cases (5 % of millions) through the (state, due_at) index and fetching each row for its grid and position cost
# about a second on SQLite; kept here for TALLY_SECONDS per level, every zoomed-out count, area panel and choice
# of grids is a lookup instead. Counts on the map may thus lag the cases by up to TALLY_SECONDS, and an area is
# counted whole when the mean position of its open cases is in view (as the components' counts are).
TALLY_SECONDS = 30


@dataclass
class GridTally:
    count: int
    overdue: int
    lon_sum: float
    lat_sum: float

    @property
    def lon(self) -> float:
        return self.lon_sum / self.count

    @property
    def lat(self) -> float:
        return self.lat_sum / self.count


@dataclass
class Level:
    """The open cases per area of one level (areas in code order) as arrays: a box is one vectorised
    comparison, and an area's GridTally is made only when asked for."""

    codes: list[str]
    count: np.ndarray
    overdue: np.ndarray
    lon_sum: np.ndarray
    lat_sum: np.ndarray

    def __post_init__(self):
        self.lon, self.lat = self.lon_sum / self.count, self.lat_sum / self.count

    @classmethod
    def of(cls, codes: np.ndarray, figures: np.ndarray) -> "Level":
        """Summed per distinct code: `figures` holds (count, overdue, lon sum, lat sum) a row of `codes`."""
        found, inverse = np.unique(codes, return_inverse=True)
        sums = [np.bincount(inverse, weights=column, minlength=found.size) for column in figures.T]
        return cls(found.tolist(), *sums)

    def _tallies(self, indices) -> dict[str, GridTally]:
        return {
            self.codes[i]: GridTally(int(self.count[i]), int(self.overdue[i]), self.lon_sum[i], self.lat_sum[i])
            for i in indices
        }

    def in_box(self, box: BBox) -> dict[str, GridTally]:
        inside = (self.lon >= box.west) & (self.lon <= box.east) & (self.lat >= box.south) & (self.lat <= box.north)
        return self._tallies(np.flatnonzero(inside))

    def under(self, code: str) -> dict[str, GridTally]:
        upper = _next_code(code)
        first = bisect.bisect_left(self.codes, code)
        last = bisect.bisect_left(self.codes, upper) if upper else len(self.codes)
        return self._tallies(range(first, last))


_tallies: dict = {"made": None, "levels": {}}
_tallies_lock = threading.Lock()


def sees_everything(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return any(Post(a.post) in access.CITY_WIDE for a in access.appointments(user))


def tallies(at: datetime) -> dict[str, Level]:
    """Open cases per district, street, community and grid of the whole city, at most TALLY_SECONDS old."""
    with _tallies_lock:
        if _tallies["made"] is not None and time.monotonic() - _tallies["made"] < TALLY_SECONDS:
            return _tallies["levels"]
        rows = (
            Case.objects.filter(state__in=OPEN_STATES).values_list("grid_code")
            .annotate(n=Count("*"), late=Count("grid_code", filter=overdue_q(at)), lon=Sum("lon"), lat=Sum("lat"))
            .order_by()
        )
        # Summed per level with numpy from the rows as the database gives them: per-row Python (converters,
        # objects, dictionaries) cost over a second for the 40,000 grids with open cases.
        # Where the queryset would read: a replica inside dbrouter.replica_reads() (the map pages).
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
        found = db.select(sql, params, using=rows.db)
        codes = np.array([row[0] for row in found], dtype=f"U{AREA_CODE_LENGTHS['grid']}")
        figures = np.array([row[1:] for row in found], dtype=np.float64).reshape(len(found), 4)
        levels = {level: Level.of(codes.astype(f"U{n}"), figures) for level, n in AREA_CODE_LENGTHS.items()}
        _tallies.update(made=time.monotonic(), levels=levels)
        return levels


def forget_tallies() -> None:
    """Forget the kept tallies and heat counts (tests need it: each test's cases are new)."""
    with _tallies_lock:
        _tallies.update(made=None, levels={})
        _heats.clear()


def _open_unindexed(cases: QuerySet) -> QuerySet:
    # The state through a function no index serves, so that SQLite (which keeps no statistics) reads the few
    # cases of the chosen grids by the grid-code index rather than every open case by the state index.
    return cases.alias(state_open=Substr("state", 1, 24)).filter(state_open__in=OPEN_STATES)


def _of_grids(cases: QuerySet, codes: list[str]) -> list[Case]:
    found: list[Case] = []
    for start in range(0, len(codes), 900):  # SQLite's limit of bound parameters
        part = cases.filter(grid_code__in=codes[start : start + 900])
        found += part.select_related("klass", "department__parent").only(*DESCRIBED).annotate(due=due())
    return found


def _by_due(found: list[Case]) -> list[Case]:
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(found, key=lambda c: (c.due is None, c.due or far, c.pk))


def points(user: User | None, box: BBox, at: datetime) -> tuple[list[tuple[float, float, dict]], bool]:
    """(lon, lat, description) of the open cases in the box, earliest deadline first; whether there were more
    than POINT_CAP (then none are given: the caller counts them per area)."""
    if sees_everything(user):
        chosen = tallies(at)["grid"].in_box(box)
        if sum(t.count for t in chosen.values()) > POINT_CAP:
            return [], True
        found = [c for c in _of_grids(_open_unindexed(in_box(Case.objects.all(), box)), sorted(chosen))]
        lights = Lights(at)
        return [(c.lon, c.lat, describe(c, at, lights)) for c in _by_due(found)], False
    cases = in_box(open_cases(user), box)
    # Counted first (a count of at most POINT_CAP + 1 ids): building a thousand cases only to throw them
    # away cost 0.4 s when the screen held more.
    if cases[: POINT_CAP + 1].count() > POINT_CAP:
        return [], True
    cases = cases.select_related("klass", "department__parent").only(*DESCRIBED)
    found = list(cases.annotate(due=due()).order_by(F("due").asc(nulls_last=True), "pk"))
    lights = Lights(at)
    return [(c.lon, c.lat, describe(c, at, lights)) for c in found], False


def counts(user: User | None, level: str, box: BBox, at: datetime) -> list[Tally]:
    """Open and overdue cases in the box per area of `level`, at the mean position of the counted cases."""
    length = AREA_CODE_LENGTHS[level]
    if sees_everything(user):
        found = tallies(at)[level].in_box(box)
        names = _names(sorted(found))
        return [Tally(code, names.get(code, ""), t.count, t.overdue, t.lon, t.lat) for code, t in found.items()]
    rows = (
        in_box(open_cases(user), box).annotate(area=Substr("grid_code", 1, length)).values("area")
        .annotate(n=Count("*"), late=Count("grid_code", filter=overdue_q(at)), lon=Avg("lon"), lat=Avg("lat"))
        .order_by("area")
    )
    rows = list(rows)
    names = _names([r["area"] for r in rows])
    return [Tally(r["area"], names.get(r["area"], ""), r["n"], r["late"], r["lon"], r["lat"]) for r in rows]


def _names(codes: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(codes), 900):  # SQLite's limit of bound parameters
        part = codes[start : start + 900]
        found.update(Area.objects.current().filter(code__in=part).values_list("code", "name"))
    return found


def area_cases(user: User | None, code: str, at: datetime) -> dict | None:
    """The open cases of an area for the map's panel: counts and the PANEL_CASES with the earliest deadlines;
    None for a visitor who is not signed in (the panel then says so)."""
    if user is None or not user.is_authenticated:
        return None
    if sees_everything(user):
        grids = tallies(at)["grid"].under(code)
        totals = {"open": sum(t.count for t in grids.values()), "overdue": sum(t.overdue for t in grids.values())}
        # The earliest deadlines among the grids with open cases, nearest the smallest first: a district's
        # open cases are thousands; its PANEL_CASES most urgent come from its grids with overdue cases.
        urgent = sorted(grids, key=lambda g: (-grids[g].overdue, g))[:PANEL_GRIDS]
        found = _by_due(_of_grids(_open_unindexed(Case.objects.all()), urgent))[:PANEL_CASES]
        lights = Lights(at)
        return {**totals, "items": [describe(c, at, lights) for c in found], "limit": PANEL_CASES}
    cases = open_cases(user).filter(access.in_area(code))
    totals = cases.aggregate(open=Count("*"), overdue=Count("grid_code", filter=overdue_q(at)))
    first = cases.select_related("klass", "department__parent").only(*DESCRIBED).annotate(due=due()).order_by(
        F("due").asc(nulls_last=True), "pk"
    )[:PANEL_CASES]
    lights = Lights(at)
    items = [describe(c, at, lights) for c in first]
    return {**totals, "items": items, "limit": PANEL_CASES}


# Heat: reported cases of some classes over a period.


# A heat layer is asked for again with every pan and zoom, over a period that is mostly past: the areas of the
# whole city (as far as the user sees) are counted once per user scope, level, classes and period, kept for
# HEAT_SECONDS, and each box is cut from them. A year of the commonest class reads some 150,000 cases.
HEAT_SECONDS = 300
HEATS_KEPT = 64
_heats: dict[tuple, tuple[float, list[tuple[str, int, float, float]]]] = {}


def heat(
    user: User | None, box: BBox, level: str, classes: frozenset[str] | None, since: date, until: date
) -> tuple[list[tuple[float, float, int]], int, bool]:
    """([(lat, lon, count)] per area of `level` at the mean position of its cases, the total, truncated).

    Cases reported from `since` to `until` (days, inclusive, city time) of the given classes (None: all)."""
    scope = "all" if sees_everything(user) else f"user:{user.pk}"
    key = (scope, level, None if classes is None else tuple(sorted(classes)), since, until)
    with _tallies_lock:
        kept = _heats.get(key)
    if kept is None or time.monotonic() - kept[0] > HEAT_SECONDS:
        kept = (time.monotonic(), _heat_of_city(user, level, classes, since, until))
        with _tallies_lock:
            if len(_heats) >= HEATS_KEPT:
                _heats.clear()
            _heats[key] = kept
    inside = [(area, n, lon, lat) for area, n, lon, lat in kept[1] if box.contains(lon, lat)]
    total = sum(n for _a, n, _x, _y in inside)
    shown = [(round(lat, 6), round(lon, 6), n) for _a, n, lon, lat in inside[:HEAT_CAP]]
    return shown, total, len(inside) > HEAT_CAP


def _heat_of_city(user, level: str, classes: frozenset[str] | None, since: date, until: date) -> list:
    """(area code, count, mean lon, mean lat) of every area of `level` with cases, the most first."""
    cases = access.visible_cases(user)
    if classes is not None:
        ids = list(CatalogClass.objects.filter(code__in=classes).values_list("pk", flat=True))
        cases = cases.filter(klass_id__in=ids)
    cases = cases.filter(reported_at__gte=clock_day(since), reported_at__lt=clock_day(until + timedelta(days=1)))
    length = AREA_CODE_LENGTHS[level]
    rows = (
        cases.annotate(area=Substr("grid_code", 1, length)).values_list("area")
        .annotate(n=Count("*"), lon=Avg("lon"), lat=Avg("lat")).order_by("-n", "area")
    )
    return list(rows)


def clock_day(day: date) -> datetime:
    """The start of a day in the city's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
