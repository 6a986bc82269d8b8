"""Reading and writing component files: CSV, GeoJSON, ESRI Shapefile (alone or zipped) and XLSX.

Readers yield (number, row) with the row's keys already our field names (fields.py) and, for the
geometry formats, the point as `lon`/`lat`. Numbers are what a person finds the row by: the line of a
CSV file, the 1-based feature of GeoJSON, the 1-based record of a Shapefile, the row of a worksheet.
CSV, Shapefile and XLSX are read row by row, never whole; a GeoJSON document is parsed whole.

Writers take rows as lists in fields.EXPORT_ATTRS order (lon and lat last) and keep none of them.
"""

import codecs
import csv
import datetime as dt
import json
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import shapefile
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from urbangrid.components import fields
from urbangrid.grid import shapezip

FORMATS = ("csv", "geojson", "shapefile", "xlsx")
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".geojson": "geojson", ".json": "geojson", ".shp": "shapefile",
             ".zip": "shapefile", ".xlsx": "xlsx"}
# Chinese government spreadsheets are often saved in GBK; GB18030 is its superset.
_FALLBACK_ENCODING = "gb18030"
GEOMETRY_ERROR = "_geometry"  # row key of a feature whose geometry is not a point
NumberedRow = tuple[int, dict]


class FileError(Exception):
    """A problem with the whole file (unreadable, a required column missing); message translated."""


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt:
        return fmt
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        message = _("Cannot tell the format of {path}; give --format csv, geojson, shapefile or xlsx.")
        raise FileError(message.format(path=path))
    return found


def read_rows(path: Path, fmt: str | None = None) -> Iterator[NumberedRow]:
    if not Path(path).is_file():
        raise FileError(_("There is no file {path}.").format(path=path))
    readers = {"csv": read_csv, "geojson": read_geojson, "shapefile": read_shapefile, "xlsx": read_xlsx}
    return readers[detect_format(path, fmt)](Path(path))


def _plan(headers: list[str], geometry: bool) -> list[tuple[int, str]]:
    plan = [(i, attr) for i, h in enumerate(headers) if (attr := fields.canonical(h)) is not None]
    found = {attr for _, attr in plan}
    required = ["identifier"] if geometry else ["identifier", "lon", "lat"]
    missing = [fields.label(attr) for attr in required if attr not in found]
    if missing:
        raise FileError(_("The file has no column for: {missing}.").format(missing=", ".join(missing)))
    return plan


def _row(values, plan: list[tuple[int, str]]) -> dict:
    row: dict = {}
    for i, attr in plan:
        value = values[i] if i < len(values) else None
        if attr not in row or row[attr] in (None, ""):
            row[attr] = value
    return row


def read_csv(path: Path) -> Iterator[NumberedRow]:
    encoding = _text_encoding(path)
    with path.open(encoding=encoding, newline="") as f:
        yield from _csv_rows(f)


def _text_encoding(path: Path) -> str:
    for encoding in ("utf-8-sig", _FALLBACK_ENCODING):
        if _decodes(path, encoding):
            return encoding
    raise FileError(_("{path} is neither UTF-8 nor GBK text.").format(path=path))


def _csv_rows(f) -> Iterator[NumberedRow]:
    reader = csv.reader(f)
    headers = next(reader, None)
    if headers is None:
        raise FileError(_("The file is empty."))
    plan = _plan(headers, geometry=False)
    for values in reader:
        if any(v.strip() for v in values):
            yield reader.line_num, _row(values, plan)


def read_geojson(path: Path) -> Iterator[NumberedRow]:
    try:
        with path.open(encoding="utf-8-sig") as f:
            data = json.load(f)
    except (ValueError, UnicodeDecodeError) as error:
        raise FileError(_("{path} is not a GeoJSON file: {error}").format(path=path, error=error)) from error
    features = data.get("features") if isinstance(data, dict) else data
    if not isinstance(features, list) or not all(isinstance(feature, dict) for feature in features):
        raise FileError(_("{path} is not a GeoJSON FeatureCollection.").format(path=path))
    normalise = fields.Normaliser()
    for number, feature in enumerate(features, start=1):
        properties, geometry = feature.get("properties"), feature.get("geometry")
        row = normalise(properties if isinstance(properties, dict) else {})
        _set_point(row, geometry if isinstance(geometry, dict) else None)
        yield number, row


def _set_point(row: dict, geometry: dict | None) -> None:
    if not geometry:
        return  # a missing geometry may still come with lon/lat properties
    coordinates = geometry.get("coordinates")
    if geometry.get("type") != "Point" or not isinstance(coordinates, list) or len(coordinates) < 2:
        row[GEOMETRY_ERROR] = str(geometry.get("type"))
        return
    row["lon"], row["lat"] = coordinates[:2]


def read_shapefile(path: Path) -> Iterator[NumberedRow]:
    if path.suffix.lower() != ".zip":
        yield from _shapefile_rows(path)
        return
    try:
        with shapezip.unpacked(path) as shp:
            yield from _shapefile_rows(shp)
    except shapezip.ZipError as error:
        raise FileError(str(error)) from error


_BROKEN = (shapefile.ShapefileException, OSError, ValueError, struct.error, IndexError, UnicodeDecodeError)


def _shapefile_rows(path: Path) -> Iterator[NumberedRow]:
    try:
        reader = shapefile.Reader(str(path), encoding=_shapefile_encoding(path))
        reader.fields  # noqa: B018 - reading the table's header finds a missing or broken .dbf now
    except _BROKEN as error:
        raise FileError(_("{path} is not a readable Shapefile: {error}").format(path=path.name, error=error)) from error
    with reader:
        plan = _plan([f.name for f in reader.fields[1:]], geometry=True)
        number = 0
        try:
            for number, item in enumerate(reader.iterShapeRecords(), start=1):
                yield number, _shape_row(item, plan)
        except _BROKEN as error:  # a file cut short, or a record in another encoding than the .cpg says
            message = _("{path} cannot be read after record {number}: {error}")
            raise FileError(message.format(path=path.name, number=number, error=error)) from error


def _shape_row(item, plan: list[tuple[int, str]]) -> dict:
    row = _row(list(item.record), plan)
    shape = item.shape
    if shape.shapeType in (shapefile.POINT, shapefile.POINTZ, shapefile.POINTM):
        row["lon"], row["lat"] = shape.points[0][:2]
    elif shape.shapeType != shapefile.NULL:
        row[GEOMETRY_ERROR] = shape.shapeTypeName
    return row


def _shapefile_encoding(path: Path) -> str:
    # The .cpg file names the encoding of the attribute table; files from Chinese GIS desktops without
    # one are usually GBK.
    cpg = path.with_suffix(".cpg")
    if cpg.exists():
        name = cpg.read_text("ascii", errors="ignore").strip() or "utf-8"
        try:
            return codecs.lookup({"65001": "utf-8", "936": "gbk"}.get(name, name)).name
        except LookupError:
            message = _("The .cpg file names an unknown encoding {name}; write UTF-8 or GBK in it.")
            raise FileError(message.format(name=name[:40])) from None
    return "utf-8" if _decodes(path.with_suffix(".dbf"), "utf-8") else _FALLBACK_ENCODING


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes; read in pieces, so a large file is never whole in memory."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while piece := f.read(1024 * 1024):
                decoder.decode(piece)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError:
        return True  # a missing .dbf is reported by the reader
    return True


def read_xlsx(path: Path) -> Iterator[NumberedRow]:
    """The first worksheet; the first row holds the headers. read_only: openpyxl parses the sheet as it goes."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise FileError(_("{path} is not a readable XLSX workbook: {error}").format(path=path, error=error)) from error
    try:
        lines = book.worksheets[0].iter_rows(values_only=True)
        headers = next(lines, None)
        if headers is None:
            raise FileError(_("The file is empty."))
        plan = _plan(["" if h is None else str(h) for h in headers], geometry=False)
        for number, values in enumerate(lines, start=2):
            if any(v not in (None, "") for v in values):
                yield number, _row([_cell(v) for v in values], plan)
    finally:
        book.close()


def _cell(value):
    # Excel keeps codes typed as numbers as floats, and dates as datetimes: both back to what a CSV holds.
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e6:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    return value


class CsvWriter:
    def __init__(self, out, style: str):
        self._writer = csv.writer(out)
        self._writer.writerow([fields.header(attr, style) for attr in fields.EXPORT_ATTRS])

    def write(self, values: list) -> None:
        self._writer.writerow(["" if v is None else v for v in values])

    def close(self) -> None:
        pass


class GeoJsonWriter:
    """Writes one feature per line, so hundreds of thousands of features never sit in memory."""

    def __init__(self, out, style: str):
        self._out = out
        self._keys = [fields.header(attr, style) for attr in fields.EXPORT_ATTRS[:-2]]
        self._first = True
        out.write('{"type": "FeatureCollection", "features": [\n')

    def write(self, values: list) -> None:
        *props, lon, lat = values
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": dict(zip(self._keys, props, strict=True)),
        }
        self._out.write(("" if self._first else ",\n") + json.dumps(feature, ensure_ascii=False))
        self._first = False

    def close(self) -> None:
        self._out.write("\n]}\n")


# A DBF text field holds at most 254 bytes; in UTF-8 a Chinese character takes 3.
_DBF_MAX = 254
_DATE_ATTRS = {"initial_date", "change_date"}


class ShapefileWriter:
    """Always the abbreviations as field names: DBF names are limited to 10 bytes.

    Attributes in UTF-8 or GBK (named in the .cpg); a .prj for CGCS2000 or WGS84 (the coordinates are the
    same numbers at this precision). Give `base` without a suffix; shapezip.written() makes one for a zip.
    """

    def __init__(self, base: Path, encoding: str = "utf-8", crs: str = "cgcs2000"):
        self._base, self._encoding, self._crs = Path(base), encoding, crs
        self._writer = shapefile.Writer(str(self._base), shapeType=shapefile.POINT, encoding=encoding)
        self._sizes = []
        width = 3 if encoding == "utf-8" else 2  # bytes of a Chinese character
        for f in fields.FIELDS:
            if f.attr in _DATE_ATTRS:
                self._writer.field(f.abbr, "D")
                self._sizes.append(None)
            else:
                size = min(f.max_length * width, _DBF_MAX)
                self._writer.field(f.abbr, "C", size=size)
                self._sizes.append(size)

    def write(self, values: list) -> None:
        *props, lon, lat = values
        self._writer.point(lon, lat)
        self._writer.record(*(_fit(v, size, self._encoding) for v, size in zip(props, self._sizes, strict=True)))

    def close(self) -> None:
        self._writer.close()
        shapezip.write_sidecars(self._base, self._encoding, self._crs)


class XlsxWriter:
    """openpyxl's write-only workbook: each row goes to a temporary file as it is appended."""

    def __init__(self, out, style: str):
        self._out = out
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(_("Components"))
        self._sheet.append([fields.header(attr, style) for attr in fields.EXPORT_ATTRS])

    def write(self, values: list) -> None:
        self._sheet.append(["" if v is None else v for v in values])

    def close(self) -> None:
        self._book.save(self._out)


def _fit(value, size: int | None, encoding: str = "utf-8"):
    if size is None:  # a date field takes YYYYMMDD as it is
        return value or None
    if value is None:
        return ""
    # DBF cannot hold long remarks: cut on a character boundary rather than let pyshp refuse the record.
    # GBK has no form for a few characters (emoji, rare ones): they become "?" rather than fail the export.
    return value.encode(encoding, "replace")[:size].decode(encoding, "ignore")
