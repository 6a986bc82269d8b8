"""Cases as CSV, XLSX or GeoJSON, streamed: a million rows never sit in memory.

Rows come from the database in chunks; CSV and GeoJSON are written as they come (over HTTP as a
streaming response), XLSX through openpyxl's write-only workbook, which keeps only the current row in
memory and spools the sheet to a temporary file. The reporter's name and phone are never exported.
"""

import csv
import json
import tempfile
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import Workbook
from tqdm import tqdm

from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.labels import SOURCE_LABELS, state_label
from urbangrid.core import codes
from urbangrid.core.workflow import State

FORMATS = ("csv", "xlsx", "geojson")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".geojson": "geojson", ".json": "geojson"}
CHUNK = 2000
COLUMNS = (  # (query path, header)
    ("number", gettext_lazy("case number")),
    ("state", gettext_lazy("state")),
    ("source", gettext_lazy("source")),
    ("kind", gettext_lazy("kind")),
    ("klass__code", gettext_lazy("class code")),
    ("klass__name", gettext_lazy("class")),
    ("urgency", gettext_lazy("urgency")),
    ("description", gettext_lazy("description")),
    ("address", gettext_lazy("address")),
    ("grid_code", gettext_lazy("unit grid code")),
    ("lon", gettext_lazy("longitude (WGS84)")),
    ("lat", gettext_lazy("latitude (WGS84)")),
    ("department__name", gettext_lazy("responsible department")),
    ("reported_at", gettext_lazy("reported")),
    ("due_at", gettext_lazy("handling deadline")),
    ("closed_at", gettext_lazy("closed")),
    ("self_handled", gettext_lazy("handled on the spot")),
    ("duplicate_of__number", gettext_lazy("merged into")),
)
PATHS = [path for path, _header in COLUMNS]
LON, LAT = PATHS.index("lon"), PATHS.index("lat")


def filtered(cases: QuerySet, area=None, class_code=None, source=None, states=()) -> QuerySet:
    """Cases narrowed by area (code prefix), class, source and states; a bad value is InvalidInput."""
    if area:
        if not (area.isdigit() and len(area) <= 15):
            raise InvalidInput(gettext_noop("An area is a district, street, community or grid code."), "area")
        cases = cases.filter(grid_code__startswith=area)
    if class_code:
        cases = cases.filter(klass__code=codes.parse_class_code(class_code, "class_code"))
    if source:
        cases = cases.filter(source=_one_of(source, list(SOURCE_LABELS), "source"))
    if states:
        cases = cases.filter(state__in=[_one_of(s, [str(x) for x in State], "state") for s in states])
    return cases


def _one_of(value: str, choices: list[str], name: str) -> str:
    if value not in choices:
        message = gettext_noop("{value} is not one of: {choices}.")
        raise InvalidInput(message, name, value=value, choices=", ".join(choices))
    return value


def headers() -> list[str]:
    return [str(header) for _path, header in COLUMNS]


def rows(cases: QuerySet, progress: bool = False) -> Iterator[list]:
    """Each case as a list of plain values in COLUMNS order, oldest first; labels in the active language."""
    values = cases.order_by("id").values_list(*PATHS).iterator(chunk_size=CHUNK)
    total = cases.count() if progress else None
    for row in tqdm(values, total=total, unit=_("cases"), disable=None if progress else True):
        yield _plain(row)


def stream_csv(cases: QuerySet, progress: bool = False) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers())  # the BOM lets Excel read UTF-8
    for row in rows(cases, progress):
        yield writer.writerow(row)


def stream_geojson(cases: QuerySet, progress: bool = False) -> Iterator[str]:
    names = [path.replace("__", "_") for path in PATHS]
    yield '{"type":"FeatureCollection","features":['
    for n, row in enumerate(rows(cases, progress)):
        feature = {
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [row[LON], row[LAT]]},
            "properties": dict(zip(names, row, strict=True)),
        }
        yield ("," if n else "") + json.dumps(feature, ensure_ascii=False)
    yield "]}"


def write_xlsx(cases: QuerySet, out, progress: bool = False) -> int:
    """Write an .xlsx to the binary file `out`; returns the number of cases."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    sheet.append(headers())
    count = 0
    for row in rows(cases, progress):
        sheet.append(row)
        count += 1
    book.save(out)
    return count


def xlsx_file(cases: QuerySet):
    """A temporary file holding the workbook, positioned at its start (deleted when closed)."""
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, which deletes it)
    write_xlsx(cases, spooled)
    spooled.seek(0)
    return spooled


def write_file(cases: QuerySet, path, fmt: str, progress: bool = False) -> int:
    """Write the cases to `path` in `fmt` (csv, xlsx or geojson); returns the number written."""
    if fmt == "xlsx":
        with open(path, "wb") as out:
            return write_xlsx(cases, out, progress)
    stream = stream_csv if fmt == "csv" else stream_geojson
    with open(path, "w", encoding="utf-8", newline="") as out:
        for piece in stream(cases, progress):
            out.write(piece)
    return cases.count()


def _plain(row: tuple) -> list:
    found = list(row)
    found[PATHS.index("state")] = state_label(found[PATHS.index("state")])
    source = PATHS.index("source")
    found[source] = str(SOURCE_LABELS.get(found[source], found[source]))
    for index, value in enumerate(found):
        if isinstance(value, datetime):
            found[index] = timezone.localtime(value).isoformat(timespec="seconds")
        elif value is None:
            found[index] = ""
    return found


class _Echo:
    def write(self, text: str) -> str:
        return text
