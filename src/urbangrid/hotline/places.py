"""Finding the place a caller names, within our areas: streets, communities and unit grids by name or code, and
the addresses of recent cases. A hit gives a point inside the place; the case is placed there and can be moved
by a click on the map."""

from dataclasses import dataclass

from django.db.models import Max, Q

from urbangrid.cases.models import Case
from urbangrid.grid.models import Area

LIMIT = 8
LEVELS = ("street", "community", "grid")
ADDRESS_WINDOW = 50_000


@dataclass(frozen=True)
class Place:
    label: str
    detail: str
    lon: float
    lat: float


def search(text: str) -> list[Place]:
    text = text.strip()
    if len(text) < 2:
        return []
    return (_areas(text) + _addresses(text))[:LIMIT]


def _areas(text: str) -> list[Place]:
    matching = Q(name__icontains=text) | Q(code__startswith=text)
    found = Area.objects.current().filter(matching, level__in=LEVELS).select_related("parent").order_by("level", "code")
    places = []
    for area in found[:LIMIT]:
        point = area.shape.representative_point()
        detail = area.parent.name if area.parent else ""
        places.append(Place(area.name, f"{detail} · {area.code}", round(point.x, 7), round(point.y, 7)))
    return places


def _addresses(text: str) -> list[Place]:
    # A substring match cannot use an index: only the latest ADDRESS_WINDOW cases are searched (a range of the
    # primary key), so the search stays as fast with ten million cases as with ten thousand.
    newest = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    recent = Case.objects.filter(pk__gt=newest - ADDRESS_WINDOW, address__icontains=text)
    # The latest case at each address: one row per address, not one per case reported there.
    latest = recent.values("address").annotate(last=Max("id")).order_by("-last")
    ids = [row["last"] for row in latest[:LIMIT]]
    cases = Case.objects.filter(pk__in=ids).order_by("-id").values_list("address", "grid_code", "lon", "lat")
    return [Place(address, grid_code, lon, lat) for address, grid_code, lon, lat in cases]
