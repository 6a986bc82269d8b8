"""Reading and checking the catalogue's CSV files, row by row, before anything is written.

Every problem becomes a RowError with the file, the line (as a text editor numbers it: the header is line 1)
and the column, so that a city can fix its file in one pass. Maximum lengths are read from the models that
are passed in, which may be the historical models of a migration.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from urbangrid.catalog.labels import KIND_LABELS
from urbangrid.core import codes
from urbangrid.core.limits import LimitUnit, Party, Urgency

KINDS = ("component", "matter")
UNITS = tuple(str(u) for u in LimitUnit)
URGENCIES = tuple(str(u) for u in Urgency)
PARTIES = tuple(str(p) for p in Party)

CATALOG_COLUMNS = ("kind", "code", "large_class_code", "large_class_name", "name")
CONDITION_COLUMNS = (
    "matter_code", "seq", "description", "limit_value", "limit_unit", "closing_condition", "urgency",
    "responsible_party", "legal_basis",
)
LEGACY_COLUMNS = ("scheme", "kind", "code", "name", "maps_to_kind", "maps_to_code", "note")
DEFAULT_COLUMNS = ("kind", "code", "default_party", "keywords")


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        return _("{file}, line {line}, column {field} ({value}): {message}").format(
            file=self.file, line=self.line, field=self.field, value=self.value or "—", message=self.message
        )


def read_csv(path: Path, required: tuple[str, ...]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Rows as (line number, stripped values); a missing column or an unreadable file is an error on line 1."""
    name = Path(path).name
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:  # -sig: Excel writes a BOM
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                return [], [RowError(name, 1, c, "", _("The column is missing.")) for c in missing]
            rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return [], [RowError(name, 1, "", "", _("The file cannot be read as UTF-8 CSV: {error}").format(error=e))]
    return rows, []


def code_message(error: codes.CodeError) -> str:
    return _(error.message).format(**error.params)


class RowChecker:
    """Checks the fields of one row at a time; each check returns the clean value, or None after an error."""

    def __init__(self, file: str, model, errors: list[RowError]):
        self.file, self.model, self.errors = Path(file).name, model, errors
        self.line, self.row = 0, {}

    def start(self, line: int, row: dict) -> None:
        self.line, self.row = line, row

    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.file, self.line, field, self.row.get(field, ""), message))

    def text(self, field: str, required: bool = True) -> str | None:
        value = self.row.get(field, "")
        limit = self.model._meta.get_field(field).max_length
        if required and not value:
            self.error(field, _("A value is required."))
            return None
        if len(value) > limit:
            self.error(field, _("At most {limit} characters, got {length}.").format(limit=limit, length=len(value)))
            return None
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str | None:
        value = self.row.get(field, "")
        if value not in allowed:
            self.error(field, _("Must be one of: {allowed}.").format(allowed=", ".join(allowed)))
            return None
        return value

    def class_code(self, field: str, legacy: bool = False) -> str | None:
        parse = codes.parse_legacy_class_code if legacy else codes.parse_class_code
        try:
            return parse(self.row.get(field, ""), field)
        except codes.CodeError as e:
            self.error(field, code_message(e))
            return None

    def positive_int(self, field: str) -> int | None:
        value = self.row.get(field, "")
        if not value.isdigit() or int(value) == 0:
            self.error(field, _("Must be a whole number from 1 up."))
            return None
        return int(value)

    def limit(self, field: str) -> Decimal | None:
        """A positive limit with at most one decimal, as the model stores it (e.g. 0.5 工作日)."""
        try:
            value = Decimal(self.row.get(field, ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value <= 0:
            self.error(field, _("Must be a number greater than 0."))
            return None
        if value != value.quantize(Decimal("0.1")) or value >= 100_000:
            self.error(field, _("At most one decimal place and less than 100000."))
            return None
        return value


@dataclass(frozen=True)
class ClassRow:
    kind: str
    code: str
    values: dict  # model field → value


@dataclass(frozen=True)
class ConditionRow:
    matter_code: str
    seq: int
    values: dict


@dataclass(frozen=True)
class LegacyRow:
    key: tuple[str, str, str]  # scheme, kind, code
    target: tuple[str, str] | None  # kind, code of the class it maps to
    values: dict


def check_class_row(c: RowChecker, header: set[str]) -> ClassRow | None:
    kind, code = c.choice("kind", KINDS), c.class_code("code")
    large = c.row.get("large_class_code", "")
    if code and large != code[:2]:
        message = _("Must be {expected}, the first two digits of the code.")
        c.error("large_class_code", message.format(expected=code[:2]))
    values = {"large_class_code": large, "large_class_name": c.text("large_class_name"), "name": c.text("name")}
    if "default_party" in header and c.row.get("default_party"):  # optional columns of a city's own file
        values["default_party"] = c.choice("default_party", PARTIES)
    if "keywords" in header:
        values["keywords"] = c.text("keywords", required=False)
    if kind is None or code is None or None in values.values() or large != code[:2]:
        return None
    return ClassRow(kind, code, values)


def check_default_row(c: RowChecker) -> ClassRow | None:
    kind, code = c.choice("kind", KINDS), c.class_code("code")
    values = {"default_party": c.choice("default_party", PARTIES), "keywords": c.text("keywords", required=False)}
    if kind is None or code is None or None in values.values():
        return None
    return ClassRow(kind, code, values)


def check_condition_row(c: RowChecker) -> ConditionRow | None:
    matter_code, seq = c.class_code("matter_code"), c.positive_int("seq")
    values = {
        "description": c.text("description"),
        "limit_value": c.limit("limit_value"),
        "limit_unit": c.choice("limit_unit", UNITS),
        "closing_condition": c.text("closing_condition"),
        "urgency": c.choice("urgency", URGENCIES),
        "responsible_party": c.choice("responsible_party", PARTIES),
        "legal_basis": c.text("legal_basis", required=False),
    }
    if matter_code is None or seq is None or None in values.values():
        return None
    return ConditionRow(matter_code, seq, values)


def check_legacy_row(c: RowChecker) -> LegacyRow | None:
    scheme, kind, code = c.text("scheme"), c.choice("kind", KINDS), c.class_code("code", legacy=True)
    values = {"name": c.text("name"), "note": c.text("note", required=False)}
    target, ok = None, True
    if c.row.get("maps_to_kind") or c.row.get("maps_to_code"):  # both or neither: an unmapped code keeps a note
        target_kind, target_code = c.choice("maps_to_kind", KINDS), c.class_code("maps_to_code")
        target, ok = (target_kind, target_code), None not in (target_kind, target_code)
        if ok and kind and target_kind != kind:  # an old event is a matter, an old component a component
            c.error("maps_to_kind", _("Must be {kind}, the kind of the legacy code.").format(kind=KIND_LABELS[kind]))
            ok = False
    if not ok or None in (scheme, kind, code, *values.values()):
        return None
    return LegacyRow((scheme, kind, code), target, values)
