"""Exporting the component inventory with the 18 fields of GB/T 47678.5-2026 table 2, plus lon/lat.

Street and community codes are prefixes of the grid code and their names come from the Area table, so
they are derived here rather than stored. Rows stream from the database in chunks: an inventory of
hundreds of thousands of components never sits in memory. What this writes, importing.py reads back
to the same records.
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.components import fields, formats
from urbangrid.components.models import STATUS_FROM_CHINESE, Component
from urbangrid.core import codes
from urbangrid.grid import shapezip
from urbangrid.grid.models import Area

CHUNK = 5000
STATUS_TO_CHINESE = {code: chinese for chinese, code in STATUS_FROM_CHINESE.items()}
_COLUMNS = (
    "identifier", "name", "competent_department__uscc", "competent_department__name", "owner_unit__uscc",
    "owner_unit__name", "maintenance_unit__uscc", "maintenance_unit__name", "grid_code", "status",
    "initial_date", "change_date", "data_source", "remark", "lon", "lat",
)


def components(within: str | None = None, class_code: str | None = None) -> QuerySet:
    """The inventory, optionally inside an area (district/street/community/grid code) or of one class."""
    qs = Component.objects.all()
    if within:
        qs = qs.filter(grid_code__startswith=codes.parse_area_code(within, "within")[1])
    if class_code:
        qs = qs.filter(klass__code=codes.parse_class_code(class_code, "class_code"))
    return qs


def export_rows(qs: QuerySet, progress: bool = False) -> Iterator[list]:
    """Rows in fields.EXPORT_ATTRS order, text fields as strings ("" when empty), dates as YYYYMMDD.

    With `progress`, a bar on stderr when it is a terminal (tqdm's disable=None).
    """
    names = _area_names(Area.objects.filter(level__in=["street", "community"]))
    values = qs.values_list(*_COLUMNS).iterator(chunk_size=CHUNK)
    total = qs.count() if progress else None
    for row in tqdm(values, total=total, unit=_("rows"), disable=None if progress else True):
        yield _row(row, names)


def record(identifier: str) -> dict | None:
    """One component as {our field name: value} (fields.EXPORT_ATTRS), or None."""
    row = Component.objects.filter(identifier=identifier).values_list(*_COLUMNS).first()
    if row is None:
        return None
    grid = row[_COLUMNS.index("grid_code")]
    names = _area_names(Area.objects.filter(code__in=[grid[:9], grid[:12]]))
    return dict(zip(fields.EXPORT_ATTRS, _row(row, names), strict=True))


def _row(row: tuple, names: dict[str, str]) -> list:
    (identifier, name, competent, competent_name, owner, owner_name, maintainer, maintainer_name, grid,
     status, initial, change, source, remark, lon, lat) = row
    street, community = grid[:9], grid[:12]
    return [
        identifier, name, competent or "", competent_name or "", owner or "", owner_name or "",
        maintainer or "", maintainer_name or "", grid, STATUS_TO_CHINESE[status], _date(initial), _date(change),
        source, remark, street, names.get(street, ""), community, names.get(community, ""), lon, lat,
    ]


def _date(value) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _area_names(areas: QuerySet) -> dict[str, str]:
    return dict(areas.values_list("code", "name"))


def export_file(
    path: Path | str,
    fmt: str | None = None,
    headers: str = "zh",
    within: str | None = None,
    class_code: str | None = None,
    progress: bool = False,
    encoding: str = "utf-8",
    crs: str = "cgcs2000",
) -> int:
    """Write the inventory to a file; returns the number of components written.

    `encoding` (utf-8 or gbk) and `crs` (the .prj: cgcs2000 or wgs84) are for Shapefiles; a Shapefile whose
    path ends in .zip is written as one zip of its parts."""
    path = Path(path)
    fmt = formats.detect_format(path, fmt)
    return write_rows(export_rows(components(within, class_code), progress), path, fmt, headers, encoding, crs)


def write_rows(rows, path: Path, fmt: str, headers: str = "zh", encoding: str = "utf-8", crs: str = "cgcs2000") -> int:
    """Write rows of export_rows (or any iterable of such lists) to `path`; returns how many."""
    if fmt == "shapefile":
        with shapezip.written(path) as base:
            return _write(formats.ShapefileWriter(base, encoding, crs), rows)
    if fmt == "xlsx":
        with path.open("wb") as out:
            return _write(formats.XlsxWriter(out, headers), rows)
    # The BOM lets Excel recognise a UTF-8 CSV; the importer strips it.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with path.open("w", encoding=encoding, newline="") as out:
        writer = formats.CsvWriter(out, headers) if fmt == "csv" else formats.GeoJsonWriter(out, headers)
        return _write(writer, rows)


def _write(writer, rows: Iterator[list]) -> int:
    count = 0
    for row in rows:
        writer.write(row)
        count += 1
    writer.close()
    return count


class _Buffer:
    """A file-like object that collects what a writer writes, to be handed on piece by piece."""

    def __init__(self):
        self._pieces: list[str] = []

    def write(self, text: str) -> None:
        self._pieces.append(text)

    def take(self) -> str:
        text = "".join(self._pieces)
        self._pieces.clear()
        return text


def stream(qs: QuerySet, fmt: str = "csv", headers: str = "zh") -> Iterator[str]:
    """CSV (BOM first) or GeoJSON text row by row, for a StreamingHttpResponse."""
    buffer = _Buffer()
    writer = formats.CsvWriter(buffer, headers) if fmt == "csv" else formats.GeoJsonWriter(buffer, headers)
    yield ("\ufeff" if fmt == "csv" else "") + buffer.take()
    for row in export_rows(qs):
        writer.write(row)
        yield buffer.take()
    writer.close()
    yield buffer.take()


def stream_csv(qs: QuerySet, headers: str = "zh") -> Iterator[str]:
    return stream(qs, "csv", headers)


def binary_file(qs: QuerySet, fmt: str, headers: str = "zh", encoding: str = "utf-8", crs: str = "cgcs2000"):
    """An XLSX workbook or a zipped Shapefile of the components in an open temporary file, at its start.

    Nothing is left on disk: the file is removed at once and lives until it is closed."""
    with tempfile.TemporaryDirectory(prefix="urbangrid-export-") as folder:
        path = Path(folder) / ("components.xlsx" if fmt == "xlsx" else "components.zip")
        write_rows(export_rows(qs), path, fmt, headers, encoding, crs)
        return path.open("rb")
