"""Reading and writing component files: CSV, GeoJSON and ESRI Shapefile.

Readers yield (number, row) with the row's keys already our field names (fields.py) and, for the
geometry formats, the point as `lon`/`lat`. Numbers are what a person finds the row by: the line of a
CSV file, the 1-based feature of GeoJSON, the 1-based record of a Shapefile.

Writers take rows as lists in fields.EXPORT_ATTRS order (lon and lat last).
"""

import csv
import json
import struct
from collections.abc import Iterator
from pathlib import Path

import pyproj
import shapefile
from django.utils.translation import gettext as _

from urbangrid.components import fields

FORMATS = ("csv", "geojson", "shapefile")
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".geojson": "geojson", ".json": "geojson", ".shp": "shapefile"}
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
        message = _("Cannot tell the format of {path}; give --format csv, geojson or shapefile.")
        raise FileError(message.format(path=path))
    return found


def read_rows(path: Path, fmt: str | None = None) -> Iterator[NumberedRow]:
    if not Path(path).is_file():
        raise FileError(_("There is no file {path}.").format(path=path))
    readers = {"csv": read_csv, "geojson": read_geojson, "shapefile": read_shapefile}
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
    for encoding in ("utf-8-sig", _FALLBACK_ENCODING):
        try:
            with path.open(encoding=encoding, newline="") as f:
                rows = list(_csv_rows(f))
        except UnicodeDecodeError:
            continue
        return iter(rows)
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
    try:
        reader = shapefile.Reader(str(path), encoding=_shapefile_encoding(path))
        reader.fields  # noqa: B018 - reading the table's header finds a missing or broken .dbf now
    except (shapefile.ShapefileException, OSError, ValueError, struct.error) as error:
        raise FileError(_("{path} is not a readable Shapefile: {error}").format(path=path, error=error)) from error
    with reader:
        plan = _plan([f.name for f in reader.fields[1:]], geometry=True)
        rows = []
        for number, item in enumerate(reader.iterShapeRecords(), start=1):
            row = _row(list(item.record), plan)
            shape = item.shape
            if shape.shapeType in (shapefile.POINT, shapefile.POINTZ, shapefile.POINTM):
                row["lon"], row["lat"] = shape.points[0][:2]
            elif shape.shapeType != shapefile.NULL:
                row[GEOMETRY_ERROR] = shape.shapeTypeName
            rows.append((number, row))
    return iter(rows)


def _shapefile_encoding(path: Path) -> str:
    # The .cpg file names the encoding of the attribute table; files from Chinese GIS desktops without
    # one are usually GBK.
    cpg = path.with_suffix(".cpg")
    if cpg.exists():
        return cpg.read_text().strip() or "utf-8"
    dbf = path.with_suffix(".dbf")
    try:
        dbf.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return _FALLBACK_ENCODING
    except OSError:
        pass
    return "utf-8"


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
    """Always the abbreviations as field names: DBF names are limited to 10 bytes."""

    def __init__(self, path: Path):
        self._path = Path(path)
        self._writer = shapefile.Writer(str(self._path.with_suffix("")), shapeType=shapefile.POINT, encoding="utf-8")
        self._sizes = []
        for f in fields.FIELDS:
            if f.attr in _DATE_ATTRS:
                self._writer.field(f.abbr, "D")
                self._sizes.append(None)
            else:
                size = min(f.max_length * 3, _DBF_MAX)
                self._writer.field(f.abbr, "C", size=size)
                self._sizes.append(size)

    def write(self, values: list) -> None:
        *props, lon, lat = values
        self._writer.point(lon, lat)
        self._writer.record(*(_fit(v, size) for v, size in zip(props, self._sizes, strict=True)))

    def close(self) -> None:
        self._writer.close()
        self._path.with_suffix(".cpg").write_text("UTF-8")
        self._path.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(4490).to_wkt(pyproj.enums.WktVersion.WKT1_ESRI))


def _fit(value, size: int | None):
    if size is None:  # a date field takes YYYYMMDD as it is
        return value or None
    if value is None:
        return ""
    # DBF cannot hold long remarks: cut on a character boundary rather than let pyshp refuse the record.
    encoded = value.encode("utf-8")
    return value if len(encoded) <= size else encoded[:size].decode("utf-8", "ignore")
