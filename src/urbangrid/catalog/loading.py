"""Load the catalogue, its 立案条件 and the legacy codes from CSV files: every row valid, or nothing written.

Loading is idempotent: rows are matched on their natural keys (kind + code; matter + seq; scheme + kind + code),
changed values are updated and unchanged rows left alone. The conditions file is authoritative for each matter
it lists, so a condition dropped from the file is deleted. A class whose code is not in the national file is
flagged as a local extension, whichever file it comes from.

The data migration 0002 runs this code with the historical models (apps.get_model), so the functions take the
model classes as a parameter and only set fields the given models have.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid.catalog import checking
from urbangrid.catalog.checking import ConditionRow, LegacyRow, RowChecker, RowError
from urbangrid.catalog.labels import KIND_LABELS

catalog_loaded = Signal()  # sent inside the load's transaction, so a failed load tells no cache anything

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOG_FILE = DATA_DIR / "gbt47678-5-2026-catalog.csv"
CONDITIONS_FILE = DATA_DIR / "filing-conditions.csv"
LEGACY_FILE = DATA_DIR / "legacy-codes.csv"
DEFAULTS_FILE = DATA_DIR / "class-defaults.csv"


class CatalogModels(NamedTuple):
    CatalogClass: type
    FilingCondition: type
    LegacyCode: type

    @classmethod
    def current(cls) -> "CatalogModels":
        from urbangrid.catalog import models

        return cls(models.CatalogClass, models.FilingCondition, models.LegacyCode)

    @classmethod
    def historical(cls, apps) -> "CatalogModels":
        return cls(*(apps.get_model("catalog", name) for name in cls._fields))


@dataclass
class LoadReport:
    classes_created: int = 0
    classes_updated: int = 0
    local_extensions: int = 0  # classes of the loaded files that are not in the national catalogue
    conditions_created: int = 0
    conditions_updated: int = 0
    conditions_deleted: int = 0
    legacy_created: int = 0
    legacy_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        counts = (self.classes_created, self.classes_updated, self.conditions_created, self.conditions_updated,
                  self.conditions_deleted, self.legacy_created, self.legacy_updated)
        return any(counts)


@dataclass
class Checked:
    classes: dict[tuple[str, str], dict] = field(default_factory=dict)  # (kind, code) → field values
    conditions: dict[tuple[str, int], dict] = field(default_factory=dict)  # (matter code, seq) → values
    legacy: dict[tuple[str, str, str], LegacyRow] = field(default_factory=dict)


def national_keys() -> frozenset[tuple[str, str]]:
    rows, _errors = checking.read_csv(CATALOG_FILE, checking.CATALOG_COLUMNS)
    return frozenset((row["kind"], row["code"]) for _line, row in rows)


def load_catalog(catalog_csv=CATALOG_FILE, conditions_csv=CONDITIONS_FILE, legacy_csv=LEGACY_FILE,
                 progress: bool = False, *, defaults_csv=None, models: CatalogModels | None = None) -> LoadReport:
    """Check every row of the given files (any may be None), then write them in one transaction."""
    historical = models is not None  # a migration's models: no process has cached anything yet
    models = models or CatalogModels.current()
    report = LoadReport()
    with transaction.atomic():
        existing = set(models.CatalogClass.objects.values_list("kind", "code"))
        checked = _check_files(models, report.errors, existing, catalog_csv, conditions_csv, legacy_csv, defaults_csv)
        if report.errors:
            return report
        national = national_keys()
        ids = _write_classes(models, checked.classes, national, report, progress)
        _write_conditions(models, checked.conditions, ids, report, progress)
        _write_legacy(models, checked.legacy, ids, report, progress)
        if not historical:  # bulk writes send no model signals; tell the caches of classes instead
            catalog_loaded.send(sender=CatalogModels)
    return report


def _check_files(models, errors, existing, catalog_csv, conditions_csv, legacy_csv, defaults_csv) -> Checked:
    checked = Checked()
    if catalog_csv:
        _check_catalog(catalog_csv, models.CatalogClass, checked, errors)
    known = existing | set(checked.classes)
    if defaults_csv:
        _check_defaults(defaults_csv, models.CatalogClass, checked, known, errors)
    if conditions_csv:
        _check_conditions(conditions_csv, models.FilingCondition, checked, known, errors)
    if legacy_csv:
        _check_legacy(legacy_csv, models.LegacyCode, checked, known, errors)
    return checked


def _rows(path, columns, model, errors):
    """(checker positioned on the row, header) for each row; the checker appends to `errors`."""
    rows, problems = checking.read_csv(path, columns)
    errors.extend(problems)
    checker = RowChecker(path, model, errors)
    for line, row in rows:
        checker.start(line, row)
        yield checker, set(row)


def _check_catalog(path, model, checked: Checked, errors: list[RowError]) -> None:
    first_line: dict[tuple[str, str], int] = {}
    for c, header in _rows(path, checking.CATALOG_COLUMNS, model, errors):
        row = checking.check_class_row(c, header)
        if row is not None and _unique(c, first_line, (row.kind, row.code), "code"):
            checked.classes[(row.kind, row.code)] = row.values


def _check_defaults(path, model, checked: Checked, known: set, errors: list[RowError]) -> None:
    first_line: dict[tuple[str, str], int] = {}
    for c, _header in _rows(path, checking.DEFAULT_COLUMNS, model, errors):
        row = checking.check_default_row(c)
        if row is None or not _unique(c, first_line, (row.kind, row.code), "code"):
            continue
        if (row.kind, row.code) not in known:
            c.error("code", _("No {kind} class has this code.").format(kind=KIND_LABELS[row.kind]))
            continue
        # The defaults file fills what a catalogue row left out; a city's own columns win.
        values = checked.classes.setdefault((row.kind, row.code), {})
        for name, value in row.values.items():
            values.setdefault(name, value)


def _check_conditions(path, model, checked: Checked, known: set, errors: list[RowError]) -> None:
    first_line: dict[tuple[str, int], int] = {}
    for c, _header in _rows(path, checking.CONDITION_COLUMNS, model, errors):
        row: ConditionRow | None = checking.check_condition_row(c)
        if row is None or not _unique(c, first_line, (row.matter_code, row.seq), "seq"):
            continue
        if ("matter", row.matter_code) not in known:
            c.error("matter_code", _("No matter class has this code."))
            continue
        checked.conditions[(row.matter_code, row.seq)] = row.values


def _check_legacy(path, model, checked: Checked, known: set, errors: list[RowError]) -> None:
    first_line: dict[tuple[str, str, str], int] = {}
    for c, _header in _rows(path, checking.LEGACY_COLUMNS, model, errors):
        row = checking.check_legacy_row(c)
        if row is None or not _unique(c, first_line, row.key, "code"):
            continue
        if row.target is not None and row.target not in known:
            c.error("maps_to_code", _("No {kind} class has this code.").format(kind=KIND_LABELS[row.target[0]]))
            continue
        checked.legacy[row.key] = row


def _unique(c: RowChecker, first_line: dict, key: tuple, column: str) -> bool:
    seen = first_line.setdefault(key, c.line)
    if seen != c.line:
        c.error(column, _("The same key is already on line {line}.").format(line=seen))
    return seen == c.line


def _known_fields(model, values: dict) -> dict:
    # A historical model of an old migration may lack fields added since; those keep their database default.
    names = {f.attname for f in model._meta.concrete_fields}
    return {k: v for k, v in values.items() if k in names}


def _upsert(model, existing: dict, wanted: dict, key_fields: tuple[str, ...], desc: str, progress: bool):
    """Create the missing rows, update the changed ones; return (created, updated) counts."""
    created, updated, fields = [], [], set()
    for key, values in tqdm(wanted.items(), desc=desc, unit=_("rows"), disable=not progress):
        values = _known_fields(model, values)
        obj = existing.get(key)
        if obj is None:
            created.append(model(**dict(zip(key_fields, key, strict=True)), **values))
            continue
        changed = {name for name, value in values.items() if getattr(obj, name) != value}
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            updated.append(obj)
            fields |= changed
    model.objects.bulk_create(created)
    if updated:
        model.objects.bulk_update(updated, sorted(fields))
    return len(created), len(updated)


def _write_classes(models, classes: dict, national: frozenset, report: LoadReport, progress: bool) -> dict:
    model = models.CatalogClass
    wanted = {}
    for key, values in classes.items():
        if "name" in values:  # a catalogue row, not only defaults: whether it is national decides the flag
            values = {**values, "is_local_extension": key not in national}
            report.local_extensions += key not in national
        wanted[key] = values
    existing = {(c.kind, c.code): c for c in model.objects.all()}
    counts = _upsert(model, existing, wanted, ("kind", "code"), _("Classes"), progress)
    report.classes_created, report.classes_updated = counts
    return {(c.kind, c.code): c.pk for c in model.objects.only("kind", "code")}


def _write_conditions(models, conditions: dict, ids: dict, report: LoadReport, progress: bool) -> None:
    model = models.FilingCondition
    wanted = {(ids[("matter", code)], seq): values for (code, seq), values in conditions.items()}
    matter_ids = {matter_id for matter_id, _seq in wanted}
    existing = {(c.matter_id, c.seq): c for c in model.objects.filter(matter_id__in=matter_ids)}
    stale = [c.pk for key, c in existing.items() if key not in wanted]
    report.conditions_deleted = model.objects.filter(pk__in=stale).delete()[0] if stale else 0
    counts = _upsert(model, existing, wanted, ("matter_id", "seq"), _("Filing conditions"), progress)
    report.conditions_created, report.conditions_updated = counts


def _write_legacy(models, legacy: dict, ids: dict, report: LoadReport, progress: bool) -> None:
    model = models.LegacyCode
    wanted = {
        key: {**row.values, "maps_to_id": ids[row.target] if row.target else None} for key, row in legacy.items()
    }
    existing = {(c.scheme, c.kind, c.code): c for c in model.objects.all()}
    report.legacy_created, report.legacy_updated = _upsert(
        model, existing, wanted, ("scheme", "kind", "code"), _("Legacy codes"), progress
    )
