"""The demo component inventory: a plausible few hundred thousand manholes, lamps, trees, bins… in the grids.

Each community gets a number of components proportional to its area, denser towards the city centre, at
random points inside it (a numpy generator seeded by SEED and the community's code, so a community always
gets the same inventory). Classes follow cast.COMPONENT_MIX; the competent department, owner unit and
maintenance unit are the departments responsible for the class in the component's district (the district's
城市管理局 when no competent department is responsible). Each point is located with the application's
own grid locator, so the stored grid code is the one a lookup of the point gives.

Rows go through components.writing, the inventory import's executemany writer, community by community in
batches; a community that already has components is skipped, so seeding twice writes nothing.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Substr

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.models import CatalogClass
from urbangrid.components import writing
from urbangrid.components.models import Component
from urbangrid.components.nearest import DATA_VERSION
from urbangrid.core.geo import Locator
from urbangrid.demo import cast, people
from urbangrid.demo.areas import SEED, DemoError, Scope, StageResult, _bar
from urbangrid.grid import locating
from urbangrid.grid.models import Area
from urbangrid.grid.versions import bump

# Components per km²: PER_KM2_EDGE far out, rising towards PER_KM2_CENTRE at the city centre (二七广场,
# WGS84) with an e-folding distance of FALLOFF_KM. With the six central districts this gives ~300,000.
CITY_CENTRE = (113.6650, 34.7577)
PER_KM2_CENTRE = 1420.0
PER_KM2_EDGE = 112.0
FALLOFF_KM = 5.0
STATUSES = (("intact", 0.955), ("damaged", 0.03), ("missing", 0.01), ("abandoned", 0.005))
DATA_SOURCES = (("实测", 0.85), ("地形图", 0.10), ("基础地理数据", 0.05))
FIRST_SURVEY = dt.date(2012, 1, 1)
LAST_SURVEY = dt.date(2025, 12, 31)
WRITE_BATCH = 20_000  # rows per transaction
COORD_DECIMALS = 7  # ≈1 cm, a surveyor's precision


def per_km2(lon: float, lat: float) -> float:
    return PER_KM2_EDGE + (PER_KM2_CENTRE - PER_KM2_EDGE) * math.exp(-_distance_km(lon, lat) / FALLOFF_KM)


def planned_count(community: Area, density: float = 1.0) -> int:
    centre = ((community.min_lon + community.max_lon) / 2, (community.min_lat + community.max_lat) / 2)
    return round(community.area_m2 / 1e6 * per_km2(*centre) * density)


def _distance_km(lon: float, lat: float) -> float:
    dx = (lon - CITY_CENTRE[0]) * 111.32 * math.cos(math.radians(CITY_CENTRE[1]))
    dy = (lat - CITY_CENTRE[1]) * 110.57
    return math.hypot(dx, dy)


def seed_components(scope: Scope, progress: bool = False) -> StageResult:
    communities = scope.communities()
    stocked = _components_per_community()
    todo = [c for c in communities if c.code not in stocked]
    result = StageResult(existing=sum(stocked.get(c.code, 0) for c in communities))
    if not todo:
        return result
    plan = _Plan.load({c.code[:6] for c in todo}, scope.component_density)
    locator = locating.get_locator(refresh=True)  # the grids may just have been cut
    pending: list[tuple] = []
    for community in _bar(todo, "Components", "communities", progress):
        pending += plan.rows(community, locator)
        if len(pending) >= WRITE_BATCH:
            result.created += _write(pending, plan.adapter)
            pending = []
    result.created += _write(pending, plan.adapter)
    bump(DATA_VERSION)
    return result


def _components_per_community() -> dict[str, int]:
    rows = Component.objects.order_by().values(community=Substr("grid_code", 1, 12)).annotate(n=Count("id"))
    return {row["community"]: row["n"] for row in rows}


def _write(rows: list[tuple], adapter: writing.Adapter) -> int:
    if rows:
        with transaction.atomic():
            writing.insert(rows, adapter.now)
    return len(rows)


@dataclass
class _Plan:
    class_codes: list[str]
    class_ids: list[int]
    class_names: list[str]
    weights: np.ndarray
    owners: dict[tuple[str, str], tuple[int, int | None, int | None]]  # (class, district) → org ids
    sequences: dict[str, int]  # district + class → last sequence number used
    adapter: writing.Adapter
    density: float = 1.0

    @classmethod
    def load(cls, districts: set[str], density: float = 1.0) -> "_Plan":
        classes = {c.code: c for c in CatalogClass.objects.filter(kind="component", code__in=cast.COMPONENT_MIX)}
        missing = set(cast.COMPONENT_MIX) - set(classes)
        if missing:
            raise DemoError(f"component classes {', '.join(sorted(missing))} are not in the catalogue; migrate first")
        codes = sorted(cast.COMPONENT_MIX)
        weights = np.array([cast.COMPONENT_MIX[c] for c in codes], dtype=np.float64)
        return cls(
            class_codes=codes,
            class_ids=[classes[c].id for c in codes],
            class_names=[classes[c].name[:30] for c in codes],
            weights=weights / weights.sum(),
            owners=_owners(codes, districts),
            sequences=_last_sequences(),
            adapter=writing.Adapter(),
            density=density,
        )

    def rows(self, community: Area, locator: Locator) -> list[tuple]:
        """(identifier, *writing.FIELDS) rows of the community's components."""
        rng = np.random.default_rng([SEED, int(community.code)])
        n = planned_count(community, self.density)
        if n == 0:
            return []
        lons, lats = _points_inside(community.shape, n, rng)
        grids = locator.locate_many(lons, lats)
        klass = rng.choice(len(self.class_codes), size=n, p=self.weights)
        status = rng.choice(len(STATUSES), size=n, p=[p for _s, p in STATUSES])
        source = rng.choice(len(DATA_SOURCES), size=n, p=[p for _s, p in DATA_SOURCES])
        span = (LAST_SURVEY - FIRST_SURVEY).days
        surveyed = rng.integers(0, span + 1, size=n)
        changed = rng.integers(0, span + 1, size=n)
        date = self.adapter.date
        district = community.code[:6]
        rows = []
        for i in range(n):
            grid = grids[i]
            if grid is None or not grid.startswith(community.code):
                continue  # on the community's very edge: a neighbour's point, or no grid's
            k = int(klass[i])
            code = self.class_codes[k]
            key = district + code
            seq = self.sequences.get(key, 0) + 1
            if seq > 999_999:
                raise DemoError(f"more than 999,999 components of class {code} in district {district}")
            self.sequences[key] = seq
            competent, owner, maintainer = self.owners[(code, district)]
            state = STATUSES[int(status[i])][0]
            initial = FIRST_SURVEY + dt.timedelta(days=int(surveyed[i]))
            change = None
            if state != "intact":
                change = FIRST_SURVEY + dt.timedelta(days=max(int(surveyed[i]), int(changed[i])))
            rows.append((
                f"{key}{seq:06d}", self.class_names[k], self.class_ids[k], competent, owner, maintainer, grid,
                state, date(initial), date(change), DATA_SOURCES[int(source[i])][0], "",
                float(lons[i]), float(lats[i]),
            ))
        return rows


def _points_inside(shape, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n uniform random points inside `shape` (lon/lat), rounded to COORD_DECIMALS."""
    min_x, min_y, max_x, max_y = shape.bounds
    shapely.prepare(shape)
    found_x: list[np.ndarray] = []
    found_y: list[np.ndarray] = []
    total = 0
    while total < n:
        x = np.round(rng.uniform(min_x, max_x, size=2 * n), COORD_DECIMALS)
        y = np.round(rng.uniform(min_y, max_y, size=2 * n), COORD_DECIMALS)
        inside = shapely.contains_xy(shape, x, y)
        found_x.append(x[inside])
        found_y.append(y[inside])
        total += int(inside.sum())
    return np.concatenate(found_x)[:n], np.concatenate(found_y)[:n]


def _owners(class_codes: list[str], districts: set[str]) -> dict[tuple[str, str], tuple[int, int | None, int | None]]:
    """(class, district) → (competent department, owner unit, maintenance unit) ids.

    Of the departments responsible for a class whose territory holds the district, each party type takes
    the one with the smallest territory (a district's own department before a city-wide one).
    """
    responsible: dict[str, list[tuple[int, str]]] = defaultdict(list)
    links = Organisation.responsibilities.through.objects.filter(
        catalogclass__kind="component", catalogclass__code__in=class_codes, organisation__kind="department",
        organisation__active=True,
    ).values_list("catalogclass__code", "organisation_id", "organisation__party_type")
    for code, org_id, party in links:
        responsible[code].append((org_id, party))
    territory: dict[int, set[str]] = defaultdict(set)
    for org_id, area_code in Organisation.territory.through.objects.filter(
        organisation__kind="department"
    ).values_list("organisation_id", "area__code"):
        territory[org_id].add(area_code)
    fallback = {d: people.territorial_department(d).id for d in districts}
    owners = {}
    for code in class_codes:
        for district in districts:
            chosen = {}
            for party in ("competent", "owner", "maintainer"):
                candidates = [
                    (len(territory[org_id]), org_id)
                    for org_id, p in responsible[code] if p == party and district in territory[org_id]
                ]
                chosen[party] = min(candidates)[1] if candidates else None
            competent = chosen["competent"] or fallback[district]
            owners[(code, district)] = (competent, chosen["owner"], chosen["maintainer"])
    return owners


def _last_sequences() -> dict[str, int]:
    rows = Component.objects.order_by().values(key=Substr("identifier", 1, 11)).annotate(last=Max("identifier"))
    return {row["key"]: int(row["last"][11:]) for row in rows}
