"""The demo city's areas: Zhengzhou's districts ▸ generated streets ▸ communities ▸ 万米 unit grids.

District outlines come from data/zhengzhou-districts.geojson (GCJ-02, converted to WGS84 on import by the
ordinary importer). The six central districts are then split into as many streets as cast.STREET_NAMES
names, each street into communities of about COMMUNITY_KM2, and each community into ≈10,000 m² grids.

Every step looks at what exists and only makes what is missing (a district without streets, a street
without communities, a community without grids), so a second run writes nothing and an interrupted run
resumes. Random choices are seeded by the area's code, so whatever runs first, an area is always cut alike.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from tqdm import tqdm

from urbangrid.core.coords import MetricProjection
from urbangrid.core.gridgen import GRID_NUMBER_CAPACITY, cut_grids, grid_number, split_region
from urbangrid.demo import cast
from urbangrid.grid.areafiles import FieldNames
from urbangrid.grid.generating import GRID_NAME
from urbangrid.grid.importing import ImportOptions, describe, import_areas
from urbangrid.grid.models import Area
from urbangrid.grid.versions import bump

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "zhengzhou-districts.geojson"
DISTRICT_FIELDS = FieldNames(code="adcode", name="name", level="level", parent="parent_adcode")
SEED = 2026
COMMUNITY_KM2 = 1.2  # a 社区 of the city proper; a township's villages come out the same size
COMMUNITIES_PER_STREET = (3, 60)
CELL_M = 100.0
MIN_FRACTION = 0.3
SOURCE = "demo"
WRITE_BATCH = 5000  # grids per bulk_create call
NUMERALS = "一二三四五六七八九十"


class DemoError(Exception):
    """The demo data cannot be seeded; the message says why."""


@dataclass(frozen=True)
class Scope:
    """Which part of the city to build: every central district, or (small) a few streets of one."""

    districts: tuple[str, ...] = tuple(cast.CENTRAL_DISTRICTS)
    streets_per_district: int | None = None  # streets that get communities; None = all
    component_density: float = 1.0  # × the demo's components per km² (the benchmark city: ≈ 6.7 for 2,000,000)

    @classmethod
    def small(cls) -> "Scope":
        # 金水区: the district of the demo collector's grids and of the district command operator.
        return cls(districts=("410105",), streets_per_district=2)

    def streets(self) -> list[Area]:
        """The current streets of the scope's districts that are to be filled, in code order."""
        streets = list(Area.objects.current().filter(level="street", parent__code__in=self.districts).order_by("code"))
        if self.streets_per_district is None:
            return streets
        return [s for s in streets if int(s.code[6:]) <= self.streets_per_district]

    def communities(self) -> list[Area]:
        streets = [s.id for s in self.streets()]
        return list(Area.objects.current().filter(level="community", parent_id__in=streets).order_by("code"))


@dataclass
class StageResult:
    created: int = 0  # areas (or rows) written by this run
    existing: int = 0  # already there, left alone
    notes: list[str] = field(default_factory=list)


# Districts -------------------------------------------------------------------------------------------------


def seed_districts(scope: Scope, progress: bool = False) -> StageResult:
    """Import the district outlines (all twelve: the outer ones stay outlines) unless they are all there."""
    wanted = _district_codes()
    present = set(Area.objects.filter(level="district", code__in=wanted).values_list("code", flat=True))
    if present == wanted:
        return StageResult(existing=len(present))
    options = ImportOptions(crs="gcj02", level="district", fields=DISTRICT_FIELDS, strict=True, progress=progress)
    report = import_areas(DISTRICTS_FILE, options)
    if report.problems:
        lines = "\n".join(describe(p) for p in report.problems)
        raise DemoError(f"{DISTRICTS_FILE.name} was not imported:\n{lines}")
    return StageResult(created=report.created, existing=report.unchanged + report.updated)


def _district_codes() -> set[str]:
    data = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    return {str(f["properties"][DISTRICT_FIELDS.code]) for f in data["features"]}


# Streets and communities ---------------------------------------------------------------------------------


def seed_streets(scope: Scope, progress: bool = False) -> StageResult:
    """Split each central district of the scope that has no streets yet into its named streets."""
    districts = list(Area.objects.current().filter(level="district", code__in=scope.districts).order_by("code"))
    missing = set(scope.districts) - {d.code for d in districts}
    if missing:
        raise DemoError(f"districts {', '.join(sorted(missing))} are missing; import the districts first")
    filled = _with_children(districts)
    todo = [d for d in districts if d.id not in filled]
    result = StageResult(existing=Area.objects.filter(level="street", parent__in=filled).count())
    for district in _bar(todo, "Streets", "districts", progress):
        names = list(cast.STREET_NAMES[district.code])
        pieces = _split(district, len(names))
        streets = [
            _area(f"{district.code}{n:03d}", "street", _street_name(name), district, piece)
            for n, (name, piece) in enumerate(zip(_named(names, len(pieces)), pieces, strict=True), start=1)
        ]
        result.created += _write(streets)
    return result


def seed_communities(scope: Scope, progress: bool = False) -> StageResult:
    """Split each street of the scope that has no communities yet into communities of about COMMUNITY_KM2."""
    streets = scope.streets()
    filled = _with_children(streets)
    todo = [s for s in streets if s.id not in filled]
    result = StageResult(existing=Area.objects.filter(level="community", parent__in=filled).count())
    for street in _bar(todo, "Communities", "streets", progress):
        low, high = COMMUNITIES_PER_STREET
        count = min(high, max(low, round(street.area_m2 / 1e6 / COMMUNITY_KM2)))
        pieces = _split(street, count)
        names = _community_names(street, len(pieces))
        communities = [
            _area(f"{street.code}{n:03d}", "community", name, street, piece)
            for n, (name, piece) in enumerate(zip(names, pieces, strict=True), start=1)
        ]
        result.created += _write(communities)
    return result


def _split(area: Area, parts: int) -> list[BaseGeometry]:
    projection = projection_for(area)
    rng = np.random.default_rng([SEED, int(area.code)])
    pieces = [_polygonal(p) for p in split_region(area.shape, projection, parts, rng)]
    return [p for p in pieces if not p.is_empty]


def _street_name(name: str) -> str:
    return f"{name}镇" if name in cast.TOWNSHIPS else f"{name}街道"


def _named(names: list[str], count: int) -> list[str]:
    # More pieces than names would be numbered; split_region gives at most as many pieces as asked.
    return [names[i] if i < len(names) else f"第{i + 1}" for i in range(count)]


def _community_names(street: Area, count: int) -> list[str]:
    """Distinct names from the stems, shuffled per street; a township's are villages (村)."""
    stems = list(cast.COMMUNITY_STEMS)
    np.random.default_rng([SEED, int(street.code)]).shuffle(stems)
    suffix = "村" if street.name.endswith("镇") else "社区"
    names = []
    for i in range(count):
        round_, k = divmod(i, len(stems))
        names.append(stems[k] + (NUMERALS[round_] if round_ else "") + suffix)
    return names


# Unit grids --------------------------------------------------------------------------------------------------


def seed_grids(scope: Scope, progress: bool = False) -> StageResult:
    """Cut every community of the scope that has no grids yet into ≈10,000 m² unit grids."""
    communities = scope.communities()
    filled = _with_children(communities)
    todo = [c for c in communities if c.id not in filled]
    result = StageResult(existing=Area.objects.filter(level="grid", parent__in=filled).count())
    if not todo:
        return result
    pending: list[Area] = []
    for community in _bar(todo, "Unit grids", "communities", progress):
        pending += _grids(community)
        if len(pending) >= WRITE_BATCH:
            result.created += _write(pending, bump_version=False)
            pending = []
    result.created += _write(pending, bump_version=False)
    bump("areas")
    return result


def _grids(community: Area) -> list[Area]:
    projection = projection_for(community)
    polygons = cut_grids(community.shape, projection, CELL_M, MIN_FRACTION)
    if len(polygons) > GRID_NUMBER_CAPACITY:
        raise DemoError(f"{community.code} would need {len(polygons)} grids, more than a community code allows")
    shapes = np.array(polygons, dtype=object)
    areas = shapely.area(projection.project(shapes))
    return [
        _area(
            community.code + grid_number(n), "grid", GRID_NAME.format(community=community.name, number=grid_number(n)),
            community, polygon, float(area_m2), projection,
        )
        for n, (polygon, area_m2) in enumerate(zip(polygons, areas, strict=True), start=1)
    ]


# Shared helpers ----------------------------------------------------------------------------------------------


def projection_for(area: Area) -> MetricProjection:
    return MetricProjection.for_longitude((area.min_lon + area.max_lon) / 2)


def _polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygonal part of a valid version of `geom` (splitting may leave slivers, lines or bow-ties)."""
    valid = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(valid) if isinstance(p, Polygon) and not p.is_empty]
    nested = [q for p in shapely.get_parts(valid) if isinstance(p, MultiPolygon) for q in p.geoms]
    parts += [q for q in nested if not q.is_empty]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _area(
    code: str, level: str, name: str, parent: Area, geom: BaseGeometry, area_m2: float | None = None,
    projection: MetricProjection | None = None,
) -> Area:
    area = Area(code=code, level=level, name=name, parent=parent, source=SOURCE, valid_from=timezone.localdate())
    if area_m2 is None:
        area_m2 = (projection or projection_for(parent)).area_m2(geom)
    area.set_shape(geom, area_m2)
    return area


def _with_children(parents: Iterable[Area]) -> set[int]:
    """Ids of those of `parents` that already have children (retired ones count: their codes are taken)."""
    ids = [p.id for p in parents]
    found: set[int] = set()
    for chunk in _chunks(ids, 900):
        found.update(Area.objects.filter(parent_id__in=chunk).values_list("parent_id", flat=True).distinct())
    return found


def _write(areas: list[Area], bump_version: bool = True) -> int:
    if not areas:
        return 0
    with transaction.atomic():
        Area.objects.bulk_create(areas, batch_size=1000)
        if bump_version:
            bump("areas")
    return len(areas)


def _bar(items: list, desc: str, unit: str, progress: bool) -> Iterable:
    return tqdm(items, desc=desc, unit=unit, disable=None if progress else True, leave=False)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

