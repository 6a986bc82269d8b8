"""Codes of GB/T 47678 (city operation management service platform) and their predecessors.

Unit grid (单元网格, GB/T 47678.3):  6 district + 3 street + 3 community + 3 grid sequence = 15 characters.
    The CJ/T 213-2005 form has 14 digits (grid sequence of 2); it is accepted and widened.
Class code (GB/T 47678.5-2026):    2 large class + 3 small class = 5 digits (CJ/T 214 used 2 + 2).
Component identifier (部件标识码):  6 district + 5 class + 6 sequence = 17 digits (CJ/T 214: 16).
Matter code (事项代码):              6 district + 5 class = 11 digits.
Unified social credit code (GB 32100-2015): 18 characters, the last one a mod-31 check character.

Positions in messages are 1-based, as an operator counts them on paper. Messages are English msgids
marked with `gettext_noop` so the Django layer can translate them (the core itself never imports Django).
"""

from dataclasses import dataclass

DIGITS = frozenset("0123456789")
GRID_SEQUENCE_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

AREA_CODE_LENGTHS = {"district": 6, "street": 9, "community": 12, "grid": 15}
LEVEL_OF_LENGTH = {length: level for level, length in AREA_CODE_LENGTHS.items()}


def gettext_noop(message: str) -> str:
    return message


class CodeError(ValueError):
    """A code that breaks its standard; `message` is an English msgid with {placeholders}."""

    def __init__(self, field: str, message: str, **params: object):
        self.field, self.message, self.params = field, message, params
        super().__init__(f"{field}: {message.format(**params)}")


def _require_length(field: str, value: str, *lengths: int) -> None:
    if len(value) in lengths:
        return
    if len(lengths) == 1:
        message = gettext_noop("must be {expected} characters long, got {actual}")
        raise CodeError(field, message, expected=lengths[0], actual=len(value))
    if len(lengths) == 2:  # whole sentences, so that a translation can place "or" where its language wants it
        message = gettext_noop("must be {first} or {second} characters long, got {actual}")
        raise CodeError(field, message, first=lengths[0], second=lengths[1], actual=len(value))
    message = gettext_noop("must have one of these lengths: {lengths}; got {actual} characters")
    raise CodeError(field, message, lengths=", ".join(map(str, lengths)), actual=len(value))


def _require_chars(field: str, value: str, start: int, end: int, part: str, allowed=DIGITS) -> None:
    for position in range(start, end + 1):
        if value[position - 1] not in allowed:
            message = (
                gettext_noop("characters {start}–{end} ({part}) must be digits")
                if allowed is DIGITS
                else gettext_noop("characters {start}–{end} ({part}) must be digits or capital letters A–Z")
            )
            raise CodeError(field, message, start=start, end=end, part=part)


def _clean(value: object) -> str:
    return str(value).strip().upper()


@dataclass(frozen=True)
class GridCode:
    code: str

    @property
    def district(self) -> str:
        return self.code[:6]

    @property
    def street(self) -> str:
        return self.code[:9]

    @property
    def community(self) -> str:
        return self.code[:12]

    @property
    def sequence(self) -> str:
        return self.code[12:]


def parse_grid_code(value: object, field: str = "grid_code") -> GridCode:
    """Validate a 15-character grid code; a legacy 14-digit code is widened (…NN → …0NN)."""
    code = _clean(value)
    _require_length(field, code, 14, 15)
    _require_chars(field, code, 1, 6, gettext_noop("district code"))
    _require_chars(field, code, 7, 9, gettext_noop("street code"))
    _require_chars(field, code, 10, 12, gettext_noop("community code"))
    if len(code) == 14:
        _require_chars(field, code, 13, 14, gettext_noop("grid sequence"))
        if code.endswith("00"):
            raise CodeError(field, gettext_noop("a 14-digit code ending in 00 names a community, not a grid"))
        code = code[:12] + "0" + code[12:]
    _require_chars(field, code, 13, 15, gettext_noop("grid sequence"), GRID_SEQUENCE_CHARS)
    if code[12:] == "000":
        raise CodeError(field, gettext_noop("characters 13–15 (grid sequence) must not be 000"))
    return GridCode(code)


def parse_area_code(value: object, field: str = "code") -> tuple[str, str]:
    """Return (level, code) for a district (6), street (9), community (12) or grid (14/15) code."""
    code = _clean(value)
    _require_length(field, code, 6, 9, 12, 14, 15)
    if len(code) >= 14:
        return "grid", parse_grid_code(code, field).code
    _require_chars(field, code, 1, 6, gettext_noop("district code"))
    if len(code) >= 9:
        _require_chars(field, code, 7, 9, gettext_noop("street code"))
    if len(code) == 12:
        _require_chars(field, code, 10, 12, gettext_noop("community code"))
    return LEVEL_OF_LENGTH[len(code)], code


def parent_code(code: str) -> str | None:
    """The code of the enclosing area: grid → community → street → district → None."""
    return {15: code[:12], 12: code[:9], 9: code[:6]}.get(len(code))


def parse_class_code(value: object, field: str = "class_code") -> str:
    code = _clean(value)
    _require_length(field, code, 5)
    _require_chars(field, code, 1, 2, gettext_noop("large class"))
    _require_chars(field, code, 3, 5, gettext_noop("small class"))
    if code[:2] == "00":
        raise CodeError(field, gettext_noop("characters 1–2 (large class) must not be 00"))
    return code


def parse_legacy_class_code(value: object, field: str = "class_code") -> str:
    """A CJ/T 214-2007 class code (2 + 2 digits); map it with the catalogue's legacy table."""
    code = _clean(value)
    _require_length(field, code, 4)
    _require_chars(field, code, 1, 2, gettext_noop("large class"))
    _require_chars(field, code, 3, 4, gettext_noop("small class"))
    return code


@dataclass(frozen=True)
class ComponentId:
    code: str

    @property
    def district(self) -> str:
        return self.code[:6]

    @property
    def class_code(self) -> str:
        return self.code[6:11]

    @property
    def sequence(self) -> str:
        return self.code[11:]


def parse_component_id(value: object, field: str = "identifier", legacy_class=None) -> ComponentId:
    """Validate a 17-digit component identifier.

    A 16-digit CJ/T 214 identifier is accepted when `legacy_class` (4-digit code → 5-digit code, or None
    when unknown) is given, because the class digits cannot be widened by arithmetic.
    """
    code = _clean(value)
    _require_length(field, code, *((16, 17) if legacy_class else (17,)))
    _require_chars(field, code, 1, 6, gettext_noop("district code"))
    if len(code) == 16:
        _require_chars(field, code, 7, 10, gettext_noop("class code"))
        _require_chars(field, code, 11, 16, gettext_noop("sequence number"))
        new_class = legacy_class(code[6:10])
        if new_class is None:
            message = gettext_noop("legacy class code {code} has no GB/T 47678.5 mapping")
            raise CodeError(field, message, code=code[6:10])
        return ComponentId(code[:6] + new_class + code[10:])
    _require_chars(field, code, 7, 11, gettext_noop("class code"))
    _require_chars(field, code, 12, 17, gettext_noop("sequence number"))
    return ComponentId(code)


def component_id(district: str, class_code: str, sequence: int) -> str:
    if not 1 <= sequence <= 999_999:
        raise CodeError("sequence", gettext_noop("sequence must be between 1 and 999999, got {value}"), value=sequence)
    return parse_component_id(f"{district}{class_code}{sequence:06d}").code


def parse_matter_code(value: object, field: str = "matter_code") -> tuple[str, str]:
    """Return (district, class code) of an 11-digit matter code (事项代码)."""
    code = _clean(value)
    _require_length(field, code, 11)
    _require_chars(field, code, 1, 6, gettext_noop("district code"))
    return code[:6], parse_class_code(code[6:], field)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def parse_uscc(value: object, field: str = "uscc") -> str:
    """Validate an 18-character unified social credit code (统一社会信用代码), check character included."""
    code = _clean(value)
    _require_length(field, code, 18)
    for position, char in enumerate(code, start=1):
        if char not in USCC_CHARS:
            raise CodeError(
                field,
                gettext_noop("character {position} ({char}) is not allowed in a unified social credit code"),
                position=position,
                char=char,
            )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            field, gettext_noop("check character is {actual}, expected {expected}"), actual=code[17], expected=expected
        )
    return code
