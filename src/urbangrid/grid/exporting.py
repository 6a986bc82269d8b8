"""Areas out of the database, one at a time, for the writers of areafiles.py (command line and API)."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.core import codes
from urbangrid.grid.models import Area

CHUNK = 500  # a district's boundary can be megabytes: few at a time


def areas(level: str | None = None, within: str | None = None, current: bool = False) -> QuerySet:
    """Areas in code order, optionally of one level, inside an area (code prefix), in use today."""
    found = Area.objects.current() if current else Area.objects.all()
    if level:
        found = found.filter(level=level)
    if within:
        found = found.filter(code__startswith=codes.parse_area_code(within, "within")[1])
    return found.order_by("code")


def export_rows(qs: QuerySet, progress: bool = False) -> Iterator[dict]:
    """Each area as areafiles.EXPORT_COLUMNS and its WGS84 `shape`; a bar on a terminal with `progress`."""
    total = qs.count() if progress else None
    found = qs.select_related("parent").iterator(chunk_size=CHUNK)
    for area in tqdm(found, total=total, unit=_("areas"), disable=None if progress else True):
        yield {
            "code": area.code, "name": area.name, "level": area.level,
            "parent": area.parent.code if area.parent else None,
            "valid_from": area.valid_from, "valid_to": area.valid_to, "shape": area.shape,
        }
