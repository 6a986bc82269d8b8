"""Importing the component inventory: check every row, then write the good ones in bulk.

Rows are read and handled in batches of CHECK_BATCH, so a file of a million rows never sits in memory.
Checks run in two passes so that a 300,000-row file stays fast: each row on its own (validation.py),
then the batch at once against the database and the grids: one query for the organisations, one
vectorised point-in-grid lookup. Every batch is written inside one transaction for the whole file, so a
strict import that fails (in any batch), or a dry run, leaves the database as it was.

Re-importing a file is idempotent: rows are matched by identifier, identical ones are left alone.
"""

import csv
import getpass
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.legacy import legacy_class_mapper
from urbangrid.catalog.models import CatalogClass
from urbangrid.components import fields, formats, writing
from urbangrid.components.models import Component
from urbangrid.components.nearest import DATA_VERSION
from urbangrid.components.validation import Clean, RowCleaner, RowError
from urbangrid.core.coords import to_wgs84
from urbangrid.grid import locating
from urbangrid.grid.bulk import imported
from urbangrid.grid.versions import bump

WRITE_BATCH = 2000
CHECK_BATCH = 20_000  # rows checked and written together: memory holds one batch, not the file
LOOKUP_BATCH = 900  # identifiers per IN (…) query; SQLite builds before 3.32 allow only 999 parameters
# Model attributes an import sets, in the order of `_values`; equal tuples mean "unchanged".
COMPARED = writing.FIELDS
_DATES = (COMPARED.index("initial_date"), COMPARED.index("change_date"))
_LONLAT = slice(COMPARED.index("lon"), COMPARED.index("lat") + 1)
SAME_POINT_DEG = 1e-9  # about 0.1 mm: a spreadsheet keeps 15–16 significant digits, a float 17
# (code attr, name attr, Clean attrs, party type given to an organisation created for that role)
ORG_ROLES = (
    ("competent_department_code", "competent_department_name", "competent", "competent_name", "competent"),
    ("owner_unit_code", "owner_unit_name", "owner", "owner_name", "owner"),
    ("maintenance_unit_code", "maintenance_unit_name", "maintainer", "maintainer_name", "maintainer"),
)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows with errors, not written
    organisations_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    errors_path: Path | None = None


def import_components(rows: Iterable[dict], **options) -> ImportReport:
    """Import rows given as dicts (keys in any header spelling of fields.py), numbered from 1."""
    normalise = fields.Normaliser()
    return import_numbered(((n, normalise(row)) for n, row in enumerate(rows, start=1)), **options)


def import_file(path: Path | str, fmt: str | None = None, **options) -> ImportReport:
    """Import a CSV, GeoJSON or Shapefile; errors also go to FILE.errors.csv. Raises formats.FileError."""
    fmt = formats.detect_format(Path(path), fmt)
    report = import_numbered(formats.read_rows(Path(path), fmt), **options)
    if report.errors:
        report.errors_path = write_errors(Path(f"{path}.errors.csv"), report.errors)
    if not report.dry_run:
        counts = {"rows": report.rows, "created": report.created, "updated": report.updated,
                  "unchanged": report.unchanged, "skipped": report.skipped, "written": report.written}
        imported.send(Component, what="components", source=Path(path).name, fmt=fmt, counts=counts,
                      by=getpass.getuser())
    return report


def import_numbered(
    numbered: Iterable[tuple[int, dict]],
    *,
    crs: str = "wgs84",
    strict: bool = True,
    create_organisations: bool = False,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Check and write the rows batch by batch in one transaction, rolled back if strict and any row failed."""
    run = _Import(crs, create_organisations)
    report = run.report
    report.dry_run = dry_run
    # disable=None: a bar only on a terminal, not \r-garbage in a log file
    with tqdm(desc=_("Checking"), unit=_("rows"), disable=None if progress else True) as bar, transaction.atomic():
        for batch in _batches(numbered, CHECK_BATCH):
            run.check(batch)
            bar.update(len(batch))
            if not (strict and report.errors):  # once a strict import failed, only check the rest
                bar.set_description(_("Writing"))
                run.write()
                bar.set_description(_("Checking"))
        run.finish()
        if strict and report.errors:  # earlier batches may have been written: none of it stays
            report.created = report.updated = report.unchanged = 0
            report.organisations_created = []
        if dry_run or (strict and report.errors):
            transaction.set_rollback(True)
        report.written = not transaction.get_rollback() and bool(
            report.created or report.updated or report.organisations_created
        )
    return report


def write_errors(path: Path, errors: list[RowError]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([_("row"), _("field"), _("value"), _("error")])
        writer.writerows([e.number, e.label, e.value, e.message] for e in errors)
    return path


class _Import:
    """One import run. Rows come in batches; what outlives a batch is small: the first row number of each
    identifier (to find duplicates across batches), the classes and organisations, the errors."""

    def __init__(self, crs: str, create_organisations: bool):
        self.crs, self.create_organisations = crs, create_organisations
        self.report = ImportReport()
        self.cleans: list[Clean] = []
        self.failed: set[int] = set()
        self.first: dict[str, int] = {}
        self.class_ids: dict[str, int] = dict(
            CatalogClass.objects.filter(kind="component").values_list("code", "id")
        )
        self.org_ids: dict[str, int] = {}
        self.new_orgs: dict[str, tuple[str, str]] = {}  # uscc → (name, party type)
        self.cleaner = RowCleaner(legacy_class=legacy_class_mapper("component"))
        self.locator = locating.get_locator(refresh=True)  # grids may have just changed
        self.adapter = writing.Adapter()

    def error(self, clean: Clean, attr: str, value: object, message: str) -> None:
        self.report.errors.append(RowError(clean.number, attr, "" if value is None else str(value), message))
        self.failed.add(clean.number)

    def check(self, numbered: list[tuple[int, dict]]) -> None:
        self.cleans, self.failed, self.new_orgs = [], set(), {}
        self._clean(numbered)
        self._check_duplicates()
        self._check_classes()
        self._check_locations()
        self._check_organisations()  # last: organisations are only created for rows that pass everything
        self.cleans = [c for c in self.cleans if c.number not in self.failed]
        self.report.skipped += len(self.failed)

    def finish(self) -> None:
        self.report.errors.sort(key=lambda e: e.number)
        if self.report.created or self.report.updated:
            bump(DATA_VERSION)

    def _clean(self, numbered: list[tuple[int, dict]]) -> None:
        for number, row in numbered:
            self.report.rows += 1
            clean, errors = self.cleaner.clean(number, row)
            if formats.GEOMETRY_ERROR in row:
                kind = row[formats.GEOMETRY_ERROR]
                message = _("The geometry must be a Point, not {kind}.").format(kind=kind)
                errors = [e for e in errors if e.field not in ("lon", "lat")]  # not "missing", but wrong
                errors.append(RowError(number, "lon", kind, message))
            if errors:
                self.report.errors.extend(errors)
                self.failed.add(number)
            else:
                self.cleans.append(clean)

    def _check_duplicates(self) -> None:
        for c in self.cleans:
            seen = self.first.setdefault(c.identifier, c.number)
            if seen != c.number:
                message = _("The same identifier is already in row {row}.").format(row=seen)
                self.error(c, "identifier", c.identifier, message)

    def _check_classes(self) -> None:
        for c in self.cleans:
            if c.class_code not in self.class_ids:
                message = _("Class {code} (identifier digits 7–11) is not a component class of the catalogue.")
                self.error(c, "identifier", c.identifier, message.format(code=c.class_code))

    def _check_organisations(self) -> None:
        self.org_ids = dict(Organisation.objects.filter(uscc__isnull=False).values_list("uscc", "id"))
        names = self._organisation_names() if self.create_organisations else {}
        wanted: list[tuple[int, str, str]] = []  # (row, code, party) of organisations to create
        for code_attr, name_attr, code_of, _name_of, party in ORG_ROLES:
            for c in self.cleans:
                code = getattr(c, code_of)
                if code is None or code in self.org_ids:
                    continue
                if not self.create_organisations:
                    message = _(
                        "No organisation has the unified social credit code {code}; "
                        "add it first or import with --create-organisations."
                    )
                    self.error(c, code_attr, code, message.format(code=code))
                elif names.get(code):
                    wanted.append((c.number, code, party))
                else:
                    message = _("A name is needed to create the organisation {code}.")
                    self.error(c, name_attr, "", message.format(code=code))
        for number, code, party in wanted:
            if number not in self.failed and code not in self.new_orgs:
                self.new_orgs[code] = (names[code], party)

    def _organisation_names(self) -> dict[str, str]:
        # The first name written anywhere in the file for a code, whichever role it was given for.
        names: dict[str, str] = {}
        for *_attrs, code_of, name_of, _party in ORG_ROLES:
            for c in self.cleans:
                code, name = getattr(c, code_of), getattr(c, name_of)
                if code and name and code not in names:
                    names[code] = name
        return names

    def _check_locations(self) -> None:
        if not self.cleans:
            return
        lons, lats = to_wgs84(
            np.fromiter((c.lon for c in self.cleans), np.float64, len(self.cleans)),
            np.fromiter((c.lat for c in self.cleans), np.float64, len(self.cleans)),
            self.crs,
        )
        located = self.locator.locate_many(lons, lats)
        for c, lon, lat, code in zip(self.cleans, lons.tolist(), lats.tolist(), located, strict=True):
            c.lon, c.lat = lon, lat
            self._check_location(c, code)

    def _check_location(self, c: Clean, code: str | None) -> None:
        if code is None:
            message = _("The point ({lon:.6f}, {lat:.6f}) lies outside every unit grid of the city.")
            self.error(c, "lon", f"{c.lon}, {c.lat}", message.format(lon=c.lon, lat=c.lat))
            return
        if c.grid_code and c.grid_code != code:
            message = _("The location lies in grid {located}, but {given} was written.")
            self.error(c, "grid_code", c.grid_code, message.format(located=code, given=c.grid_code))
            return
        c.grid_code = code
        for attr, given, length in (("street_code", c.street_code, 9), ("community_code", c.community_code, 12)):
            if given and given != code[:length]:
                message = _("The location lies in {located}, but {given} was written.")
                self.error(c, attr, given, message.format(located=code[:length], given=given))

    def write(self) -> None:
        self._create_organisations()
        existing = self._existing()
        adapter = self.adapter
        to_create, to_update = [], []
        for c in self.cleans:
            values = self._values(c)
            old = existing.get(c.identifier)
            if old is None:
                to_create.append((c.identifier, *_adapted(values, adapter)))
            elif _unchanged(old[1:], values):
                self.report.unchanged += 1
            else:
                to_update.append((old[0], *_adapted(values, adapter)))
        self._save(to_create, to_update, adapter.now)

    def _create_organisations(self) -> None:
        for code, (name, party) in self.new_orgs.items():
            org = Organisation.objects.create(kind="department", name=name, uscc=code, party_type=party)
            self.org_ids[code] = org.id
            self.report.organisations_created.append(code)

    def _values(self, c: Clean) -> tuple:
        org = self.org_ids.get
        return (
            c.name, self.class_ids[c.class_code], org(c.competent), org(c.owner), org(c.maintainer), c.grid_code,
            c.status, c.initial_date, c.change_date, c.data_source, c.remark, c.lon, c.lat,
        )

    def _existing(self) -> dict[str, tuple]:
        identifiers = [c.identifier for c in self.cleans]
        found: dict[str, tuple] = {}
        for chunk in _chunks(identifiers, LOOKUP_BATCH):
            rows = Component.objects.filter(identifier__in=chunk).order_by().values_list("identifier", "id", *COMPARED)
            found.update((row[0], row[1:]) for row in rows)
        return found

    def _save(self, to_create: list[tuple], to_update: list[tuple], now) -> None:
        for chunk in _chunks(to_create, WRITE_BATCH):
            writing.insert(chunk, now)
        for chunk in _chunks(to_update, WRITE_BATCH):
            writing.update(chunk, now)
        self.report.created += len(to_create)
        self.report.updated += len(to_update)


def _unchanged(old: tuple, new: tuple) -> bool:
    if old == new:
        return True
    same_point = all(abs(a - b) < SAME_POINT_DEG for a, b in zip(old[_LONLAT], new[_LONLAT], strict=True))
    return same_point and old[: _LONLAT.start] + old[_LONLAT.stop :] == new[: _LONLAT.start] + new[_LONLAT.stop :]


def _adapted(values: tuple, adapter: writing.Adapter) -> tuple:
    adapted = list(values)
    for i in _DATES:
        adapted[i] = adapter.date(adapted[i])
    return tuple(adapted)


def _batches(numbered: Iterable[tuple[int, dict]], size: int) -> Iterator[list[tuple[int, dict]]]:
    batch = []
    for item in numbered:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
