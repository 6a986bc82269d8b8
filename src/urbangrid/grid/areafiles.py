"""Area files in and out: GeoJSON FeatureCollections, ESRI Shapefiles (alone or zipped) and CSV with a WKT column.

Reading turns every feature into a core.areacheck.Feature with raw values, so that the checks can report
each faulty feature (the checks compare every feature with the others, so an import holds them all; a
city has some hundred thousand areas). Only a file that cannot be read at all raises AreaFileError, with
a message fit to show as it is (a broken file is the operator's to fix, never a traceback).

Writing streams: each area is written as it comes from the database and then forgotten.
"""

import codecs
import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import shapefile
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping

from urbangrid.core.areacheck import Feature
from urbangrid.grid import shapezip

FORMATS = ("geojson", "shapefile", "csv")
SUFFIX_FORMATS = {".geojson": "geojson", ".json": "geojson", ".shp": "shapefile", ".zip": "shapefile", ".csv": "csv"}
TEXT_ENCODINGS = ("utf-8-sig", "gbk")  # GB files from desktop GIS are often GBK; UTF-8 is tried first
CODE_PAGES = {"65001": "utf-8", "936": "gbk", "54936": "gb18030", "20936": "gb2312"}
# A district boundary in WKT easily passes csv's default limit of 128 KiB per field.
csv.field_size_limit(256 * 1024 * 1024)


class AreaFileError(Exception):
    """A file that cannot be read at all; the message is translated and complete."""


@dataclass(frozen=True)
class FieldNames:
    code: str = "code"
    name: str = "name"
    level: str = "level"
    parent: str | None = None
    wkt: str = "wkt"


@dataclass
class _Record:
    properties: dict
    geometry: object = None
    geometry_error: str | None = None


def detect_format(path: Path) -> str:
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise AreaFileError(
            _("Cannot tell the format of {name} from its name; give --format ({formats}).").format(
                name=path.name, formats=", ".join(FORMATS)
            )
        )
    return fmt


def read_features(path: Path, fmt: str | None = None, fields: FieldNames = FieldNames()) -> list[Feature]:
    path = Path(path)
    if not path.is_file():
        raise AreaFileError(_("The file {path} does not exist.").format(path=path))
    fmt = fmt or detect_format(path)
    records = {"geojson": _read_geojson, "shapefile": _read_shapefile, "csv": _read_csv}[fmt](path, fields)
    if not records:
        raise AreaFileError(_("The file {path} holds no features.").format(path=path))
    _require_fields(records, fields)
    return [_feature(n, r, fields) for n, r in enumerate(records, start=1)]


def _feature(number: int, r: _Record, fields: FieldNames) -> Feature:
    p = r.properties
    parent = p.get(fields.parent) if fields.parent else None
    return Feature(
        number, p.get(fields.code), p.get(fields.name), p.get(fields.level), parent, r.geometry, r.geometry_error
    )


def _require_fields(records: list[_Record], fields: FieldNames) -> None:
    present = {key for r in records for key in r.properties}
    for name in (fields.code, fields.name, fields.parent):
        if name and name not in present:
            raise AreaFileError(
                _('No feature has the field "{field}". Fields in the file: {present}. '
                  "Name the right ones with --code-field, --name-field or --parent-field.").format(
                    field=name, present=", ".join(sorted(present)) or _("none")
                )
            )


# GeoJSON -----------------------------------------------------------------------------------------------


def _read_geojson(path: Path, fields: FieldNames) -> list[_Record]:
    data = _load_json(path)
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        raise AreaFileError(_("{path} is JSON but not a GeoJSON FeatureCollection.").format(path=path))
    return [_geojson_record(f) for f in data["features"]]


def _load_json(path: Path) -> object:
    try:
        with path.open("rb") as f:
            return json.loads(f.read().decode("utf-8-sig"))
    except json.JSONDecodeError as e:
        message = _("{path} is not valid JSON: {reason} (line {line}, column {column}).")
        raise AreaFileError(message.format(path=path, reason=e.msg, line=e.lineno, column=e.colno)) from e
    except UnicodeDecodeError as e:
        raise AreaFileError(_("{path} is not UTF-8 text, as GeoJSON must be.").format(path=path)) from e
    except OSError as e:
        raise AreaFileError(_("{path} cannot be read: {reason}").format(path=path, reason=e.strerror or e)) from e


def _geojson_record(feature: object) -> _Record:
    if not isinstance(feature, dict):
        return _Record({}, None, _("the feature is not a JSON object"))
    properties = feature.get("properties")
    geometry = feature.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        return _Record(properties if isinstance(properties, dict) else {}, None, _("the geometry is not an object"))
    return _Record(properties if isinstance(properties, dict) else {}, geometry)


# ESRI Shapefile ----------------------------------------------------------------------------------------


def _read_shapefile(path: Path, fields: FieldNames) -> list[_Record]:
    if path.suffix.lower() != ".zip":
        return _read_unzipped(path)
    try:
        with shapezip.unpacked(path) as shp:
            return _read_unzipped(shp)
    except shapezip.ZipError as e:
        raise AreaFileError(str(e)) from e


def _read_unzipped(path: Path) -> list[_Record]:
    if not _sidecar(path, ".dbf").is_file():
        message = _("The shapefile {path} has no .dbf file beside it, so its codes and names are missing; "
                    "copy all of its files (.shp, .shx, .dbf, .cpg).")
        raise AreaFileError(message.format(path=path))
    declared = _cpg_encoding(path)
    encodings = [declared] if declared else ["utf-8", "gbk"]
    for encoding in encodings:
        try:
            return _shapefile_records(path, encoding)
        except shapefile.ShapefileException as e:
            if "decode" not in str(e) or encoding == encodings[-1]:
                raise _broken_shapefile(path, e) from e
        except Exception as e:  # pyshp raises struct, index and value errors on damaged files
            raise _broken_shapefile(path, e) from e
    raise AssertionError("unreachable")


def _shapefile_records(path: Path, encoding: str) -> list[_Record]:
    with shapefile.Reader(str(path), encoding=encoding) as reader:
        return [
            _Record(dict(item.record.as_dict()), _shape_geometry(item.shape))
            for item in reader.iterShapeRecords()
        ]


def _shape_geometry(shape: shapefile.Shape) -> dict | None:
    if shape.shapeType == shapefile.NULL:
        return None
    return shape.__geo_interface__


def _sidecar(path: Path, suffix: str) -> Path:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return path.with_suffix(suffix)


def _cpg_encoding(path: Path) -> str | None:
    cpg = _sidecar(path, ".cpg")
    if not cpg.is_file():
        return None
    text = cpg.read_text("ascii", errors="ignore").strip().upper().removeprefix("ANSI ").strip()
    name = CODE_PAGES.get(text, f"cp{text}" if text.isdigit() else text.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None  # an unknown code page: detect as if there were no .cpg


def _broken_shapefile(path: Path, error: Exception) -> AreaFileError:
    return AreaFileError(_("The shapefile {path} cannot be read: {reason}").format(path=path, reason=error))


# CSV with WKT ------------------------------------------------------------------------------------------


def _read_csv(path: Path, fields: FieldNames) -> list[_Record]:
    text = _decode_text(path)
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or fields.wkt not in reader.fieldnames:
        message = _('{path} has no column "{column}" holding the boundary as WKT. Columns: {columns}.')
        raise AreaFileError(message.format(path=path, column=fields.wkt, columns=", ".join(reader.fieldnames or [])))
    try:
        return [_csv_record(row, fields.wkt) for row in reader]
    except csv.Error as e:
        raise AreaFileError(_("{path} is not valid CSV: {reason}").format(path=path, reason=e)) from e


def _decode_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise AreaFileError(_("{path} cannot be read: {reason}").format(path=path, reason=e.strerror or e)) from e
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AreaFileError(_("{path} is neither UTF-8 nor GBK text.").format(path=path))


def _csv_record(row: dict, wkt_column: str) -> _Record:
    properties = {k: v for k, v in row.items() if k is not None and k != wkt_column}
    wkt = (row.get(wkt_column) or "").strip()
    if not wkt:
        return _Record(properties)
    try:
        return _Record(properties, shapely.from_wkt(wkt))
    except shapely.errors.ShapelyError as e:
        return _Record(properties, None, _("invalid WKT ({reason})").format(reason=e))


# Writing -----------------------------------------------------------------------------------------------

EXPORT_COLUMNS = ("code", "name", "level", "parent", "valid_from", "valid_to")


def geojson_pieces(rows: Iterable[dict]) -> Iterator[str]:
    """A FeatureCollection as text, one feature a piece. Rows hold EXPORT_COLUMNS and a WGS84 `shape`."""
    yield '{"type": "FeatureCollection", "features": [\n'
    for n, row in enumerate(rows):
        feature = {"type": "Feature", "properties": {k: row[k] for k in EXPORT_COLUMNS},
                   "geometry": mapping(row["shape"])}
        yield (",\n" if n else "") + json.dumps(feature, ensure_ascii=False, default=str)
    yield "\n]}\n"


def csv_pieces(rows: Iterable[dict]) -> Iterator[str]:
    """CSV with a BOM (so Excel sees UTF-8) and the boundary as WKT, one line a piece."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([*EXPORT_COLUMNS, "wkt"])
    for row in rows:
        values = ["" if row[k] is None else str(row[k]) for k in EXPORT_COLUMNS]
        yield writer.writerow([*values, shapely.to_wkt(row["shape"], rounding_precision=-1)])


class _Echo:
    def write(self, text: str) -> str:
        return text


def write_geojson(path: Path, rows: Iterable[dict]) -> int:
    return _write_text(path, geojson_pieces(rows), extra=2)


def write_csv(path: Path, rows: Iterable[dict]) -> int:
    return _write_text(path, csv_pieces(rows), extra=1)


def _write_text(path: Path, pieces: Iterator[str], extra: int) -> int:
    """Write the pieces; returns the number of areas (the pieces less `extra` ones of header or footer)."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        for piece in pieces:
            f.write(piece)
            count += 1
    return count - extra


_SHAPE_FIELDS = (("code", "C", 15), ("name", "C", 100), ("level", "C", 10), ("parent", "C", 15),
                 ("valid_from", "D", 8), ("valid_to", "D", 8))


def write_shapefile(path: Path, rows: Iterable[dict], encoding: str = "utf-8", crs: str = "cgcs2000") -> int:
    """Polygons with the EXPORT_COLUMNS as attributes; `path` ends in .shp, or in .zip for one file."""
    count = 0
    with shapezip.written(Path(path)) as base:
        width = 3 if encoding == "utf-8" else 2  # bytes of a Chinese character
        with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding=encoding) as writer:
            for name, kind, size in _SHAPE_FIELDS:
                writer.field(name, kind, size=min(size * width, 254) if kind == "C" else size)  # DBF text ≤ 254 B
            for row in rows:
                writer.shape(mapping(row["shape"]))  # pyshp turns outer rings clockwise, as the format wants
                writer.record(*(row[name] for name, _kind, _size in _SHAPE_FIELDS))
                count += 1
        shapezip.write_sidecars(base, encoding, crs)
    return count
