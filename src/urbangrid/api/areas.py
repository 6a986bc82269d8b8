"""GET /api/v1/areas: districts, streets, communities and unit grids, paged by code; one area with its boundary.

Public, like the city map: area boundaries are what every report is placed by.
"""

import tempfile
from datetime import date
from pathlib import Path

import shapely
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from shapely.geometry import mapping

from urbangrid.api import auth
from urbangrid.api.errors import ApiError
from urbangrid.api.locate import ErrorOut
from urbangrid.api.params import BBOX_DESCRIPTION, PAGE_SIZE, Limit, one_of, page, parse_bbox
from urbangrid.core import codes
from urbangrid.grid import areafiles, exporting, shapezip
from urbangrid.grid.areafiles import FORMATS
from urbangrid.grid.models import CODE_LENGTH, Area

router = Router(tags=["areas"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
COLUMNS = ("code", "name", "level", "parent__code", "valid_from", "valid_to", "min_lon", "min_lat", "max_lon",
           "max_lat", "area_m2")


class AreaOut(Schema):
    code: str = Field(description="6 district, 9 street, 12 community or 15 unit grid characters")
    name: str
    level: str = Field(description="district, street, community or grid")
    parent: str | None = Field(description="The code of the enclosing area.")
    valid_from: date
    valid_to: date | None = Field(description="Retired from this day on; null while in use.")
    bbox: list[float] = Field(description="west, south, east, north (WGS84)")
    area_m2: float


class AreaDetailOut(AreaOut):
    geometry: dict = Field(description="The boundary as a GeoJSON Polygon or MultiPolygon (WGS84 / CGCS2000).")


class AreaPage(Schema):
    items: list[AreaOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")


class AreaListIn(Schema):
    level: str | None = Field(None, json_schema_extra={"enum": list(CODE_LENGTH)})
    code: str | None = Field(None, description="Only areas whose code starts with this (e.g. 410105).")
    bbox: str | None = Field(None, description=f"Only areas whose extent meets the box: {BBOX_DESCRIPTION}.")
    current: bool = Field(True, description="Only areas in use today; false includes retired ones.")
    after: str | None = Field(None, description="The `next` of the previous page.")
    limit: Limit = PAGE_SIZE


def _out(row: tuple) -> dict:
    code, name, level, parent, valid_from, valid_to, west, south, east, north, area_m2 = row
    return {"code": code, "name": name, "level": level, "parent": parent, "valid_from": valid_from,
            "valid_to": valid_to, "bbox": [west, south, east, north], "area_m2": area_m2}


@router.get("", response={200: AreaPage, **ERRORS}, summary="Areas, in code order")
def list_areas(request, query: Query[AreaListIn]):
    one_of(query.level, CODE_LENGTH, "level")
    areas = Area.objects.current() if query.current else Area.objects.all()
    if query.level:
        areas = areas.filter(level=query.level)
    if query.code:
        if not (query.code.isalnum() and query.code.isascii() and len(query.code) <= 15):
            raise ApiError(400, "invalid_code", _("An area code has at most 15 digits or capital letters."), "code")
        areas = areas.filter(code__startswith=query.code.upper())
    if box := parse_bbox(query.bbox):
        west, south, east, north = box
        areas = areas.filter(min_lon__lte=east, max_lon__gte=west, min_lat__lte=north, max_lat__gte=south)
    if query.after:
        areas = areas.filter(code__gt=query.after)
    rows = list(areas.order_by("code").values_list(*COLUMNS)[: query.limit + 1])
    return page([_out(row) for row in rows], query.limit, lambda last: last["code"])


class ExportIn(Schema):
    format: str = Field("geojson", json_schema_extra={"enum": list(FORMATS)})
    level: str | None = Field(None, json_schema_extra={"enum": list(CODE_LENGTH)})
    code: str | None = Field(None, description="Only this area and those under it (a district, street, … code).")
    current: bool = Field(False, description="Only areas in use today.")
    encoding: str = Field("utf-8", description="Shapefile attribute encoding.",
                          json_schema_extra={"enum": list(shapezip.ENCODINGS)})
    prj: str = Field("cgcs2000", description="Shapefile .prj.", json_schema_extra={"enum": list(shapezip.PRJ_EPSG)})


CONTENT_TYPES = {"geojson": "application/geo+json", "csv": "text/csv; charset=utf-8", "shapefile": "application/zip"}


# Before /{code}, which would take "export" for a code.
@router.get("/export", auth=auth.USER, response={200: None, **ERRORS, 401: ErrorOut}, summary="Export areas")
def export_areas(request, query: Query[ExportIn]):
    """Areas with their boundaries (WGS84) as GeoJSON or CSV with WKT, streamed, or a zipped Shapefile; files
    `urbangrid grids import` reads back."""
    one_of(query.format, FORMATS, "format")
    one_of(query.level, CODE_LENGTH, "level")
    one_of(query.encoding, shapezip.ENCODINGS, "encoding")
    one_of(query.prj, shapezip.PRJ_EPSG, "prj")
    code = codes.parse_area_code(query.code, "code")[1] if query.code else None
    rows = exporting.export_rows(exporting.areas(query.level, code, query.current))
    suffix = {"shapefile": "zip"}.get(query.format, query.format)
    name = f"areas-{timezone.localtime():%Y%m%d-%H%M}.{suffix}"
    if query.format == "shapefile":
        with tempfile.TemporaryDirectory(prefix="urbangrid-export-") as folder:
            path = Path(folder) / name
            areafiles.write_shapefile(path, rows, query.encoding, query.prj)
            spooled = path.open("rb")  # still readable once the folder is gone
        return FileResponse(spooled, as_attachment=True, filename=name, content_type=CONTENT_TYPES["shapefile"])
    pieces = areafiles.geojson_pieces(rows) if query.format == "geojson" else areafiles.csv_pieces(rows)
    response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPES[query.format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/{code}", response={200: AreaDetailOut, **ERRORS}, summary="One area with its boundary")
def area_detail(request, code: str):
    """The area of that code, in use or retired (codes are never reused)."""
    code = codes.parse_area_code(code, "code")[1]
    found = Area.objects.filter(code=code).values_list(*COLUMNS, "geometry").first()
    if found is None:
        raise ApiError(404, "not_found", _("No area has the code {code}.").format(code=code), "code")
    return {**_out(found[:-1]), "geometry": mapping(shapely.from_wkb(bytes(found[-1])))}
