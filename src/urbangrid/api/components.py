"""The component inventory over HTTP: the nearest component to a point, and one component by identifier."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from urbangrid.api.errors import ApiError
from urbangrid.api.locate import ErrorOut
from urbangrid.components import exporting, fields, nearest
from urbangrid.core import codes
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid.locating import PointError, check_point

router = Router(tags=["components"])

MAX_WITHIN_M = 500.0


class ComponentHit(Schema):
    identifier: str = Field(description="管理部件标识码 (GLBJBSM)")
    name: str = Field(description="管理部件名称 (GLBJMC)")
    class_code: str
    class_name: str
    status: str = Field(description="intact, damaged, missing or abandoned")
    status_label: str
    grid_code: str = Field(description="所在单元网格标识码 (SZDYWGBSM)")
    lon: float = Field(description="WGS84 / CGCS2000")
    lat: float = Field(description="WGS84 / CGCS2000")
    distance_m: float


class NearestIn(Schema):
    # Ranges are checked in the view so that the error is translated and names the field; the schema
    # only documents them for OpenAPI.
    lon: float = Field(description="Longitude in degrees.", json_schema_extra={"minimum": -180, "maximum": 180})
    lat: float = Field(description="Latitude in degrees.", json_schema_extra={"minimum": -90, "maximum": 90})
    within: float = Field(
        nearest.DEFAULT_WITHIN_M, description="Search radius in metres.",
        json_schema_extra={"exclusiveMinimum": 0, "maximum": MAX_WITHIN_M},
    )
    class_code: str | None = Field(None, description="Only components of this 5-digit class (GB/T 47678.5).")
    crs: str = Field("wgs84", description="Coordinate system of lon/lat.", json_schema_extra={"enum": list(CRS_NAMES)})


class NearestOut(Schema):
    found: bool
    within_m: float
    message: str
    component: ComponentHit | None = None


# The 18 standard fields under our names, their Chinese names and abbreviations in the description;
# dates are written as the standard does, YYYYMMDD.
ComponentOut = create_model(
    "ComponentOut",
    __base__=Schema,
    **{f.attr: (str, Field(description=f"{f.zh} ({f.abbr})")) for f in fields.FIELDS},
    lon=(float, Field(description="经度, WGS84 / CGCS2000")),
    lat=(float, Field(description="纬度, WGS84 / CGCS2000")),
)


@router.get(
    "/nearest", response={200: NearestOut, 400: ErrorOut, 422: ErrorOut}, summary="Nearest component to a point"
)
def nearest_component(request, query: Query[NearestIn]):
    """The nearest component (not removed) within `within` metres of the point, optionally of one class."""
    crs = query.crs.strip().lower()
    try:
        check_point(query.lon, query.lat, crs)
    except PointError as e:
        raise ApiError(400, f"invalid_{e.field}", e.message, e.field) from e
    if not 0 < query.within <= MAX_WITHIN_M:  # also false for NaN
        message = _("The search radius must be more than 0 and at most {max:g} m, got {value:g}.")
        raise ApiError(400, "invalid_within", message.format(max=MAX_WITHIN_M, value=query.within), "within")
    class_code = codes.parse_class_code(query.class_code, "class_code") if query.class_code else None
    return nearest.answer(query.lon, query.lat, query.within, class_code, crs)


@router.get(
    "/{identifier}", response={200: ComponentOut, 400: ErrorOut, 404: ErrorOut},
    summary="One component with the 18 standard fields",
)
def component_detail(request, identifier: str):
    code = codes.parse_component_id(identifier, "identifier").code
    found = exporting.record(code)
    if found is None:
        raise ApiError(404, "not_found", _("No component has the identifier {code}.").format(code=code), "identifier")
    return found
