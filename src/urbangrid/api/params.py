"""Input types and parsers shared by the routers."""

import math
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import Field

from urbangrid.api.errors import ApiError

# Ids and counts that reach a query: a larger number cannot be stored (SQLite and PostgreSQL bigint) and
# would make the database driver fail, so it is refused as invalid input (422) instead.
DbInt = Annotated[int, Field(ge=0, le=2**63 - 1)]
PAGE_SIZE = 100
MAX_PAGE = 1000
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE, description="Rows per page.")]
BBOX_DESCRIPTION = "west,south,east,north in WGS84 degrees, e.g. 113.60,34.70,113.75,34.80"


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` → four floats; a 400 naming `bbox` when it is not a box on the earth."""
    if not raw:
        return None
    try:
        box = tuple(float(part) for part in raw.split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or not all(math.isfinite(n) for n in box):
        message = _("bbox: “{value}” is not four numbers west,south,east,north.")
        raise ApiError(400, "invalid_bbox", message.format(value=raw[:100]), "bbox")
    west, south, east, north = box
    inside = -180 <= west < east <= 180 and -90 <= south < north <= 90
    if not inside:
        message = _("bbox: west must be less than east and south less than north, within ±180° and ±90°.")
        raise ApiError(400, "invalid_bbox", message, "bbox")
    return west, south, east, north


def page(items: list, limit: int, cursor) -> dict:
    """A keyset page from `limit + 1` fetched rows: the extra row only says that there is a next page."""
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next": str(cursor(items[-1])) if more else None}


def one_of(value: str | None, choices, field: str) -> str | None:
    """`value` if it is one of `choices` (or None); otherwise a 422 naming the field and the choices."""
    choices = [str(c) for c in choices]
    if value is not None and value not in choices:
        message = _("{value} is not one of: {choices}.").format(value=value[:50], choices=", ".join(choices))
        raise ApiError(422, "invalid_input", message, field)
    return value
