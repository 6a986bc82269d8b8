"""Cutting communities into 万米 unit grids (core.gridgen) and saving them as areas.

Grids are numbered in the order cut_grids returns them (west→east, then north→south, as Beijing's
DB11/T 2157 numbers them), so the same boundary always gives the same codes.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.core.coords import MetricProjection
from urbangrid.core.gridgen import GRID_NUMBER_CAPACITY, cut_grids, grid_number
from urbangrid.grid.actions import AreaActionError, references
from urbangrid.grid.models import Area
from urbangrid.grid.versions import bump

# The customary name of a unit grid. It is data in the city's language, not interface text, so it is
# not translated: a grid keeps its name whoever generated it.
GRID_NAME = "{community}第{number}网格"


def generate_grids(
    community: Area, cell_m: float = 100.0, min_fraction: float = 0.3, replace: bool = False
) -> list[Area]:
    """Cut one community into grids, save them and return them in number order."""
    with transaction.atomic():
        grids = _generate(community, cell_m, min_fraction, replace)
        bump("areas")
    return grids


def generate_under(
    code: str, cell_m: float = 100.0, min_fraction: float = 0.3, replace: bool = False, progress: bool = False
) -> dict[str, list[Area]]:
    """Grids for the community `code`, or for every current community of the street or district `code`."""
    communities = _communities(code)
    result = {}
    with transaction.atomic():
        bar = tqdm(communities, desc=_("Cutting"), unit=_("communities"), disable=None if progress else True)
        for community in bar:
            result[community.code] = _generate(community, cell_m, min_fraction, replace)
        bump("areas")
    return result


def _communities(code: str) -> list[Area]:
    area = Area.objects.filter(code=code.strip()).first()
    if area is None:
        raise AreaActionError(_("There is no area with the code {code}.").format(code=code))
    if area.level == "grid":
        message = _("{code} is a unit grid already; give a community, street or district.")
        raise AreaActionError(message.format(code=code))
    if area.level == "community":
        return [area]
    communities = list(Area.objects.current().filter(level="community", code__startswith=area.code))
    if not communities:
        raise AreaActionError(_("{code} {name} has no current communities to cut.").format(code=code, name=area.name))
    return communities


def _generate(community: Area, cell_m: float, min_fraction: float, replace: bool) -> list[Area]:
    if community.level != "community":
        raise AreaActionError(_("{code} is not a community.").format(code=community.code))
    _clear(community, replace)
    shape = community.shape
    projection = MetricProjection.for_longitude(shape.centroid.x)
    polygons = cut_grids(shape, projection, cell_m, min_fraction)
    if len(polygons) > GRID_NUMBER_CAPACITY:
        message = _("{code} would need {count} grids, more than the {capacity} a community code allows.")
        raise AreaActionError(message.format(code=community.code, count=len(polygons), capacity=GRID_NUMBER_CAPACITY))
    grids = [_grid(community, n, polygon, projection) for n, polygon in enumerate(polygons, start=1)]
    return Area.objects.bulk_create(grids, batch_size=1000)


def _grid(community: Area, n: int, polygon, projection: MetricProjection) -> Area:
    number = grid_number(n)
    grid = Area(
        code=community.code + number,
        level="grid",
        name=GRID_NAME.format(community=community.name, number=number),
        parent=community,
        valid_from=timezone.localdate(),
        source="generated",
    )
    grid.set_shape(polygon, projection.area_m2(polygon))
    return grid


def _clear(community: Area, replace: bool) -> None:
    # Retired grids count too: their codes stay taken, so the new grids could not be saved beside them.
    old = Area.objects.filter(parent=community, level="grid")
    count = old.count()
    if not count:
        return
    if not replace:
        message = _("{code} {name} already has {count} grids; give --replace to delete and cut them again.")
        raise AreaActionError(message.format(code=community.code, name=community.name, count=count))
    found = references(old)
    if found:
        message = _("The grids of {code} cannot be replaced because they are referenced: {references}. "
                    "Change those first, or retire the grids instead.")
        raise AreaActionError(message.format(code=community.code, references="; ".join(found)))
    old.delete()
