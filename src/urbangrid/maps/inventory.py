"""Components on the map: counted per district, street, community or grid when zoomed out, one by one when in.

Counting the whole inventory per community takes a scan of every component (0.3 s for the demo city's
300,000), so those counts, rolled up to streets and districts, are kept per process until the "components"
data version moves on. Per-grid counts and single components are read for the grids in the box only, by
the grid_code index, in batches of BATCH codes (SQLite builds before 3.32 allow 999 parameters).
Removed components (status 移除) are left out, as in components.nearest: they are no longer in the street.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from urbangrid.catalog.models import CatalogClass
from urbangrid.components.models import Component
from urbangrid.core.codes import AREA_CODE_LENGTHS
from urbangrid.maps import areas
from urbangrid.maps.cache import Versioned
from urbangrid.maps.params import BBox

COMPONENTS_VERSION = "components"  # components.nearest.DATA_VERSION, bumped by imports and every save
POINT_CAP = 5000
BATCH = 900


@dataclass
class Tally:
    count: int = 0
    sum_lon: float = 0.0
    sum_lat: float = 0.0

    def add(self, count: int, sum_lon: float, sum_lat: float) -> None:
        self.count += count
        self.sum_lon += sum_lon
        self.sum_lat += sum_lat


# level → area code → class code → Tally
Rollup = dict[str, dict[str, dict[str, Tally]]]


def standing():
    return Component.objects.exclude(status="removed").order_by()


def _rollup() -> Rollup:
    rollup: Rollup = {level: defaultdict(lambda: defaultdict(Tally)) for level in ("district", "street", "community")}
    rows = (
        standing()
        .annotate(community=Substr("grid_code", 1, AREA_CODE_LENGTHS["community"]))
        .values_list("community", "klass__code")
        .annotate(n=Count("id"), lon=Sum("lon"), lat=Sum("lat"))
    )
    for community, class_code, n, sum_lon, sum_lat in rows:
        for level in rollup:
            rollup[level][community[: AREA_CODE_LENGTHS[level]]][class_code].add(n, sum_lon, sum_lat)
    return rollup


rollups = Versioned(COMPONENTS_VERSION, _rollup)


def class_totals() -> list[dict]:
    """Every class that has standing components: code, name and how many, for the map's class filter."""
    totals: dict[str, int] = defaultdict(int)
    for by_class in rollups.get()["district"].values():
        for class_code, tally in by_class.items():
            totals[class_code] += tally.count
    names = dict(CatalogClass.objects.filter(kind="component", code__in=totals).values_list("code", "name"))
    return [{"code": code, "name": names.get(code, ""), "count": totals[code]} for code in sorted(totals)]


@dataclass(frozen=True)
class Cluster:
    code: str
    name: str
    count: int
    lon: float  # mean position of the counted components, WGS84
    lat: float
    by_class: dict[str, int]


def clusters(level: str, box: BBox, classes: frozenset[str] | None) -> tuple[list[Cluster], bool]:
    """The components of each area of `level` in the box, counted; and whether the areas were capped."""
    names, truncated = areas.names_in_box(level, box, areas.FEATURE_CAP)
    tallies = _grid_tallies(list(names), classes) if level == "grid" else rollups.get()[level]
    found = [_cluster(code, name, tallies.get(code, {}), classes) for code, name in names.items()]
    return [c for c in found if c is not None], truncated


def _cluster(code: str, name: str, by_class: dict[str, Tally], classes: frozenset[str] | None) -> Cluster | None:
    chosen = {k: t for k, t in by_class.items() if classes is None or k in classes}
    total = Tally()
    for tally in chosen.values():
        total.add(tally.count, tally.sum_lon, tally.sum_lat)
    if not total.count:
        return None
    counts = {k: t.count for k, t in sorted(chosen.items())}
    return Cluster(code, name, total.count, total.sum_lon / total.count, total.sum_lat / total.count, counts)


def _grid_tallies(codes: list[str], classes: frozenset[str] | None) -> dict[str, dict[str, Tally]]:
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for start in range(0, len(codes), BATCH):
        rows = _of_classes(standing().filter(grid_code__in=codes[start : start + BATCH]), classes)
        rows = rows.values_list("grid_code", "klass__code").annotate(n=Count("id"), lon=Sum("lon"), lat=Sum("lat"))
        for grid_code, class_code, n, sum_lon, sum_lat in rows:
            tallies[grid_code][class_code].add(n, sum_lon, sum_lat)
    return tallies


def _of_classes(components, classes: frozenset[str] | None):
    return components if classes is None else components.filter(klass__code__in=sorted(classes))


@dataclass(frozen=True)
class Point:
    identifier: str
    name: str
    class_code: str
    status: str
    lon: float
    lat: float


def points(box: BBox, classes: frozenset[str] | None) -> tuple[list[Point], bool]:
    """The standing components in the box, at most POINT_CAP; and whether there were more."""
    limit = POINT_CAP
    codes, truncated = areas.codes_in_box("grid", box, areas.FEATURE_CAP)
    found: list[Point] = []
    for start in range(0, len(codes), BATCH):
        rows = _of_classes(standing().filter(grid_code__in=codes[start : start + BATCH]), classes).filter(
            lon__gte=box.west, lon__lte=box.east, lat__gte=box.south, lat__lte=box.north
        )
        fields = ("identifier", "name", "klass__code", "status", "lon", "lat")
        found += [Point(*row) for row in rows.order_by("identifier").values_list(*fields)[: limit + 1 - len(found)]]
        if len(found) > limit:
            return found[:limit], True
    return found, truncated
