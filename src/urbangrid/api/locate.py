"""GET /api/v1/locate: the unit grid (and community, street, district) of a point."""

from ninja import Query, Router, Schema
from pydantic import Field

from urbangrid.api.errors import ApiError
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid.locating import PointError, locate

router = Router(tags=["locate"])


class PlaceOut(Schema):
    code: str
    name: str


class PointOut(Schema):
    lon: float
    lat: float


class LocationOut(Schema):
    outside: bool = Field(description="True when the point lies in no current unit grid.")
    message: str | None = Field(None, description="Why there is no location (only when outside).")
    district: PlaceOut | None = None
    street: PlaceOut | None = None
    community: PlaceOut | None = None
    grid: PlaceOut | None = None
    wgs84: PointOut = Field(description="The point converted to WGS84, as it was located.")


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class PointIn(Schema):
    # Ranges and the coordinate system are checked in grid.locating, so that the error is translated
    # and names the field; the schema only documents them for OpenAPI.
    lon: float = Field(description="Longitude in degrees.", json_schema_extra={"minimum": -180, "maximum": 180})
    lat: float = Field(description="Latitude in degrees.", json_schema_extra={"minimum": -90, "maximum": 90})
    crs: str = Field("wgs84", description="Coordinate system of lon/lat.", json_schema_extra={"enum": list(CRS_NAMES)})


@router.get(
    "/locate",
    response={200: LocationOut, 400: ErrorOut, 422: ErrorOut},
    exclude_none=True,
    summary="Locate a point",
)
def locate_point(request, point: Query[PointIn]):
    """The district, street, community and unit grid of a point; `outside: true` if it is in none."""
    try:
        return locate(point.lon, point.lat, point.crs.strip().lower())
    except PointError as e:
        raise ApiError(400, f"invalid_{e.field}", e.message, e.field) from e
