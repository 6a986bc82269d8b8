"""Checks of one import row on its own: codes, lengths, status, dates, coordinates.

Checks that need the database or the grids (class in the catalogue, organisation known, point inside a
grid, duplicates) run afterwards over all rows at once, in importing.py.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from urbangrid.components import fields
from urbangrid.components.models import STATUS_FROM_CHINESE, STATUS_LABELS
from urbangrid.core import codes

_DATE = re.compile(r"^(\d{4})(-?)(\d{2})\2(\d{2})$")


@dataclass(frozen=True)
class RowError:
    number: int  # the line of a CSV file, the feature/record of GeoJSON/Shapefile, the item of a list
    field: str  # our field name (fields.FIELDS attr, or lon/lat/class_code)
    value: str
    message: str  # translated

    @property
    def label(self) -> str:
        return fields.label(self.field)

    def __str__(self) -> str:
        return f"{self.number}: {self.label}: {self.message}"


@dataclass(slots=True)
class Clean:
    """A row that passed the checks of this module, in our terms."""

    number: int
    identifier: str
    class_code: str
    name: str
    competent: str
    competent_name: str
    owner: str | None
    owner_name: str
    maintainer: str | None
    maintainer_name: str
    grid_code: str | None
    street_code: str | None
    community_code: str | None
    status: str
    initial_date: dt.date
    change_date: dt.date | None
    data_source: str
    remark: str
    lon: float
    lat: float


def text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def code_message(error: codes.CodeError) -> str:
    params = {k: _(v) if isinstance(v, str) else v for k, v in error.params.items()}
    return _(error.message).format(**params)


@dataclass(frozen=True)
class _Failure:
    message: str


class FieldFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RowCleaner:
    """Turns a row (keys already our names) into a Clean record or a list of RowErrors.

    Values repeat a lot across an inventory (the same department, date, status), so parsed codes are
    memoised per cleaner: a 300,000-row import then parses each distinct code once.
    """

    def __init__(self, legacy_class=None):
        self._legacy_class = legacy_class
        uscc = _memoised(_code_parser(codes.parse_uscc))
        # (field, parser(raw, text) → value, required). Of the names only the component's is required
        # here: an organisation is known by its code.
        self._plan = [
            ("identifier", self._identifier, True),
            *((attr, _limited(fields.BY_ATTR[attr].max_length), attr == "name") for attr in _TEXT_FIELDS),
            *((attr, uscc, attr == "competent_department_code") for attr in _ORG_FIELDS),
            ("grid_code", _memoised(_code_parser(lambda v: codes.parse_grid_code(v).code)), False),
            ("street_code", _digits(9), False),
            ("community_code", _digits(12), False),
            ("status", _memoised(_parse_status), True),
            ("initial_date", _date_parser(), True),
            ("change_date", _date_parser(), False),
            ("lon", _coordinate(180), True),
            ("lat", _coordinate(90), True),
            ("class_code", _memoised(_code_parser(codes.parse_class_code)), False),
        ]

    def clean(self, number: int, row: dict) -> tuple[Clean | None, list[RowError]]:
        errors: list[RowError] = []
        v: dict = {}
        for attr, parse, required in self._plan:
            raw = row.get(attr)
            value = text(raw)
            try:
                if value:
                    v[attr] = parse(raw, value)
                elif required:
                    raise FieldFailed(_("This field is required."))
                else:
                    v[attr] = None
            except FieldFailed as failed:
                errors.append(RowError(number, attr, value, failed.message))
                v[attr] = None
        errors += self._cross_checks(number, v)
        if errors:
            return None, errors
        return Clean(
            number=number, identifier=v["identifier"].code, class_code=v["identifier"].class_code, name=v["name"],
            competent=v["competent_department_code"], competent_name=v["competent_department_name"] or "",
            owner=v["owner_unit_code"], owner_name=v["owner_unit_name"] or "",
            maintainer=v["maintenance_unit_code"], maintainer_name=v["maintenance_unit_name"] or "",
            grid_code=v["grid_code"], street_code=v["street_code"], community_code=v["community_code"],
            status=v["status"], initial_date=v["initial_date"], change_date=v["change_date"],
            data_source=v["data_source"] or "", remark=v["remark"] or "", lon=v["lon"], lat=v["lat"],
        ), []

    @staticmethod
    def _cross_checks(number: int, v: dict) -> list[RowError]:
        errors = []
        expected, given = v["identifier"] and v["identifier"].class_code, v["class_code"]
        if expected and given and given != expected:
            message = _("The class column says {given}, but digits 7–11 of the identifier say {expected}.")
            errors.append(RowError(number, "class_code", given, message.format(given=given, expected=expected)))
        initial, change = v["initial_date"], v["change_date"]
        if initial and change and change < initial:
            message = _("The change date is before the initial date {initial}.")
            errors.append(RowError(
                number, "change_date", change.strftime("%Y%m%d"), message.format(initial=initial.strftime("%Y%m%d"))
            ))
        return errors

    def _identifier(self, raw, value: str) -> codes.ComponentId:
        try:
            return codes.parse_component_id(value, "identifier", legacy_class=self._legacy_class)
        except codes.CodeError as error:
            raise FieldFailed(code_message(error)) from error


_TEXT_FIELDS = (
    "name", "competent_department_name", "owner_unit_name", "maintenance_unit_name", "data_source", "remark",
)
_ORG_FIELDS = ("competent_department_code", "owner_unit_code", "maintenance_unit_code")


def _memoised(parse):
    """parse(text) → value, memoised (failures too), as a parser(raw, text)."""
    memo: dict[str, object] = {}

    def parser(raw, value: str):
        try:
            found = memo[value]
        except KeyError:
            try:
                found = memo[value] = parse(value)
            except FieldFailed as failed:
                # Kept as a message: re-raising one exception object would grow its traceback each time.
                found = memo[value] = _Failure(failed.message)
        if isinstance(found, _Failure):
            raise FieldFailed(found.message)
        return found

    return parser


def _code_parser(parse):
    def wrapped(value: str):
        try:
            return parse(value)
        except codes.CodeError as error:
            raise FieldFailed(code_message(error)) from error

    return wrapped


def _limited(limit: int):
    def parse(raw, value: str) -> str:
        if len(value) > limit:
            raise FieldFailed(_("At most {limit} characters, got {actual}.").format(limit=limit, actual=len(value)))
        return value

    return parse


def _digits(length: int):
    def parse(raw, value: str) -> str:
        if len(value) != length or not value.isdigit():
            raise FieldFailed(_("Must be {length} digits.").format(length=length))
        return value

    return parse


def _date_parser():
    from_text = _memoised(_parse_date)

    def parse(raw, value: str) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        return from_text(raw, value)

    return parse


def _coordinate(limit: float):
    def parse(raw, value: str) -> float:
        try:
            number = float(raw if isinstance(raw, int | float) else value)
        except ValueError:
            raise FieldFailed(_("{value} is not a number.").format(value=value)) from None
        if not -limit <= number <= limit:  # also false for NaN
            raise FieldFailed(_("{value} is out of range (±{limit}).").format(value=value, limit=limit))
        return number

    return parse


def _parse_status(value: str) -> str:
    status = STATUS_FROM_CHINESE.get(value) or (value.lower() if value.lower() in STATUS_LABELS else None)
    if status is None:
        choices = "、".join(STATUS_FROM_CHINESE)
        raise FieldFailed(_("Unknown status {value}; use one of {choices}.").format(value=value, choices=choices))
    return status


def _parse_date(value: str) -> dt.date:
    match = _DATE.match(value)
    try:
        if match:
            return dt.date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        pass
    raise FieldFailed(_("{value} is not a date; write YYYYMMDD or YYYY-MM-DD.").format(value=value))
