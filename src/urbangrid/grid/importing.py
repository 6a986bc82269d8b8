"""Importing districts, streets, communities and unit grids from a GeoJSON, Shapefile or CSV file.

Every feature is checked first (core.areacheck), against the rest of the file and the current areas in
the database. Then, in one transaction, areas with a new code are created and those with a known code
updated, parents before children. A strict import writes nothing if anything is wrong; a lenient one
writes the good features and lists the rest. Re-importing a file changes nothing (idempotent).
"""

import contextlib
import getpass
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.core.areacheck import CheckedArea, Feature, Problem, accepted, check_areas, render
from urbangrid.core.codes import CodeError, parent_code, parse_area_code
from urbangrid.core.coords import CRS_NAMES
from urbangrid.grid.areafiles import FORMATS, SUFFIX_FORMATS, AreaFileError, FieldNames, read_features
from urbangrid.grid.bulk import imported
from urbangrid.grid.models import CODE_LENGTH, Area
from urbangrid.grid.versions import bump

LEVELS = tuple(CODE_LENGTH)  # parents before children
WRITE_BATCH = 2000
LOOKUP_BATCH = 900  # codes per IN (…): old SQLite builds allow 999 parameters
UPDATED_FIELDS = ["name", "level", "parent", "geometry", "min_lon", "min_lat", "max_lon", "max_lat", "area_m2",
                  "valid_from", "source", "updated_at"]


@dataclass
class ImportOptions:
    format: str | None = None  # from the file name when not given
    crs: str = "wgs84"
    level: str | None = None  # every feature must be of this level
    fields: FieldNames = field(default_factory=FieldNames)
    strict: bool = True
    valid_from: date | None = None  # new areas start today otherwise; updated ones keep their date
    dry_run: bool = False
    progress: bool = False


@dataclass
class ImportReport:
    features: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # feature numbers not imported
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    dry_run: bool = False


def import_areas(path: Path | str, options: ImportOptions | None = None) -> ImportReport:
    """Check and import an area file; AreaFileError if it cannot be read at all."""
    options = options or ImportOptions()
    _check_options(options)
    path = Path(path)
    features = read_features(path, options.format, options.fields)
    existing = _related_areas(features)
    checked = check_areas(features, existing, options.crs, options.level)
    report = ImportReport(features=len(features), problems=checked.problems, dry_run=options.dry_run)
    if options.strict and checked.problems:
        report.skipped = [f.number for f in features]
        _audit(path, options, report)
        return report
    areas, orphans = accepted(checked, set(existing))
    report.problems = sorted(checked.problems + orphans, key=lambda p: (p.number is None, p.number or 0))
    report.skipped = sorted({f.number for f in features} - {a.number for a in areas})
    try:
        with transaction.atomic():
            _write(areas, options, report, source=path.name)
            if options.dry_run:
                transaction.set_rollback(True)
    except IntegrityError as e:
        # E.g. --valid-from after the day an existing area was retired: the whole import is rolled back.
        raise AreaFileError(_("The database refused the import, nothing was written: {reason}").format(reason=e)) from e
    _audit(path, options, report)
    return report


def _audit(path: Path, options: ImportOptions, report: ImportReport) -> None:
    if options.dry_run:
        return
    counts = {"features": report.features, "created": report.created, "updated": report.updated,
              "unchanged": report.unchanged, "skipped": len(report.skipped), "problems": len(report.problems),
              "written": report.written}
    fmt = options.format or SUFFIX_FORMATS.get(path.suffix.lower(), "")
    imported.send(Area, what="areas", source=path.name, fmt=fmt, counts=counts, by=getpass.getuser())


def describe(problem: Problem) -> str:
    """One line for an operator: which feature, which code, where, and what is wrong (translated)."""
    text = render(problem, _)
    where = (
        _("at {lon:.6f}, {lat:.6f}").format(lon=problem.lon, lat=problem.lat) if problem.lon is not None else ""
    )
    if problem.number is None:
        line = _("area {code} in the database").format(code=problem.code)
    else:
        line = _("feature {number} (code {code})").format(number=problem.number, code=problem.code or "—")
    return f"{line} {where}: {text}" if where else f"{line}: {text}"


def _check_options(options: ImportOptions) -> None:
    checks = (
        (options.crs.lower() in CRS_NAMES, _("Unknown coordinate system {value}; use one of {choices}."),
         options.crs, CRS_NAMES),
        (options.level in (None, *LEVELS), _("Unknown level {value}; use one of {choices}."), options.level, LEVELS),
        (options.format in (None, *FORMATS), _("Unknown format {value}; use one of {choices}."), options.format,
         FORMATS),
    )
    for ok, message, value, choices in checks:
        if not ok:
            raise AreaFileError(message.format(value=value, choices=", ".join(choices)))


# Reading the database ---------------------------------------------------------------------------------


def _related_areas(features: list[Feature]) -> dict[str, shapely.Geometry]:
    """Current areas the file's features are compared with: their parents and their parents' children."""
    codes = set()
    for f in features:
        with contextlib.suppress(CodeError):
            codes.add(parse_area_code(f.code)[1])
    parents = sorted({p for c in codes if (p := parent_code(c))})
    current = Area.objects.current().order_by()
    rows: list[tuple[str, bytes]] = []
    for chunk in _chunks(parents, LOOKUP_BATCH):
        rows += current.filter(code__in=chunk).values_list("code", "geometry")
        rows += current.filter(parent__code__in=chunk).values_list("code", "geometry")
    if any(len(c) == CODE_LENGTH["district"] for c in codes):
        rows += current.filter(level="district").values_list("code", "geometry")
    shapes = shapely.from_wkb(np.array([bytes(g) for _code, g in rows], dtype=object)) if rows else []
    return {code: shape for (code, _g), shape in zip(rows, shapes, strict=True)}


# Writing -------------------------------------------------------------------------------------------------


def _write(areas: list[CheckedArea], options: ImportOptions, report: ImportReport, source: str) -> None:
    stored = _stored(a.code for a in areas)
    ids = _ids({a.parent for a in areas if a.parent})
    ids.update((code, row[0]) for code, row in stored.items())
    now = timezone.now()
    with tqdm(total=len(areas), desc=_("Writing"), unit=_("areas"), disable=None if options.progress else True) as bar:
        for level in LEVELS:
            batch = [a for a in areas if a.level == level]
            to_create, to_update = _split(batch, stored, ids, options.valid_from, source, now, report)
            Area.objects.bulk_create(to_create, batch_size=WRITE_BATCH)
            Area.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=WRITE_BATCH)
            ids.update(_ids(a.code for a in to_create))
            bar.update(len(batch))
    report.created = sum(1 for a in areas if a.code not in stored)
    report.written = not options.dry_run and report.created + report.updated > 0
    if report.created or report.updated:
        bump("areas")


def _split(
    batch: list[CheckedArea], stored: dict, ids: dict, valid_from: date | None, source: str, now, report: ImportReport
) -> tuple[list[Area], list[Area]]:
    to_create, to_update = [], []
    for a in batch:
        area = Area(code=a.code, level=a.level, name=a.name, parent_id=ids.get(a.parent), source=source[:200])
        area.set_shape(a.geometry, a.area_m2)
        old = stored.get(a.code)
        if old is None:
            area.valid_from = valid_from or timezone.localdate()
            to_create.append(area)
        elif _same(old, area, valid_from):
            report.unchanged += 1
        else:
            area.id, area.valid_from, area.updated_at = old[0], valid_from or old[5], now
            to_update.append(area)
            report.updated += 1
    return to_create, to_update


def _same(old: tuple, new: Area, valid_from: date | None) -> bool:
    _id, name, level, parent_id, geometry, old_from = old
    if (name, level, parent_id, old_from) != (new.name, new.level, new.parent_id, valid_from or old_from):
        return False
    if bytes(geometry) == new.geometry:
        return True
    # The same boundary may come back with its rings turned or started elsewhere (a Shapefile's outer
    # rings run clockwise, GeoJSON's anticlockwise): that is no change.
    before, after = shapely.normalize(shapely.from_wkb([bytes(geometry), new.geometry]))
    return shapely.equals_exact(before, after, tolerance=0)


def _stored(codes) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for chunk in _chunks(sorted(codes), LOOKUP_BATCH):
        rows = Area.objects.filter(code__in=chunk).order_by()
        fields = ("code", "id", "name", "level", "parent_id", "geometry", "valid_from")
        found.update((row[0], row[1:]) for row in rows.values_list(*fields))
    return found


def _ids(codes) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(codes), LOOKUP_BATCH):
        found.update(Area.objects.filter(code__in=chunk).order_by().values_list("code", "id"))
    return found


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
