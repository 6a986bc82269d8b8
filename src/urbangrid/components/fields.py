"""The 18 component fields of GB/T 47678.5-2026 table 2: Chinese header ⇄ abbreviation (GB/T 47678.7) ⇄ our name.

Import accepts any of the three spellings (abbreviations and our names case-insensitively); export writes
the Chinese headers by default. Our name is the model attribute where one exists; the code and name of an
organisation are the Organisation's `uscc` and `name`, street and community are prefixes of the grid code.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StdField:
    zh: str
    abbr: str
    attr: str
    max_length: int
    required: bool = False


FIELDS: tuple[StdField, ...] = (
    StdField("管理部件标识码", "GLBJBSM", "identifier", 17, True),
    StdField("管理部件名称", "GLBJMC", "name", 30, True),
    StdField("主管部门代码", "ZGBMDM", "competent_department_code", 18, True),
    StdField("主管部门名称", "ZGBMMC", "competent_department_name", 100, True),
    StdField("权属单位代码", "QSDWDM", "owner_unit_code", 18),
    StdField("权属单位名称", "QSDWMC", "owner_unit_name", 100),
    StdField("养护单位代码", "YHDWDM", "maintenance_unit_code", 18),
    StdField("养护单位名称", "YHDWMC", "maintenance_unit_name", 100),
    StdField("所在单元网格标识码", "SZDYWGBSM", "grid_code", 15, True),
    StdField("管理部件状态", "GLBJZT", "status", 10, True),
    StdField("初始日期", "CSRQ", "initial_date", 8, True),
    StdField("变更日期", "BGRQ", "change_date", 8),
    StdField("数据来源", "SJLY", "data_source", 30),
    StdField("备注", "BZ", "remark", 1000),
    StdField("所在街道代码", "SZJDDM", "street_code", 9),
    StdField("所在街道名称", "SZJDMC", "street_name", 50),
    StdField("所在社区代码", "SZSQDM", "community_code", 12),
    StdField("所在社区名称", "SZSQMC", "community_name", 50),
)
BY_ATTR = {f.attr: f for f in FIELDS}

# Columns beside the standard ones: the location, and an optional class column checked against the
# identifier. Headers per style: (Chinese, abbreviation style, our name).
EXTRA_HEADERS = {
    "lon": ("经度", "lon", "lon"),
    "lat": ("纬度", "lat", "lat"),
}
EXTRA_ALIASES = {
    "lon": ("经度", "lon", "lng", "longitude", "x", "jd"),
    "lat": ("纬度", "lat", "latitude", "y", "wd"),
    "class_code": ("部件类别代码", "部件小类代码", "小类代码", "类别代码", "class_code", "class"),
    # Our model's foreign keys, written as codes.
    "competent_department_code": ("competent_department",),
    "owner_unit_code": ("owner_unit",),
    "maintenance_unit_code": ("maintenance_unit",),
}

HEADER_STYLES = ("zh", "abbr", "attr")
EXPORT_ATTRS = [f.attr for f in FIELDS] + ["lon", "lat"]


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for f in FIELDS:
        lookup[f.zh] = lookup[f.abbr.lower()] = lookup[f.attr] = f.attr
    for attr, aliases in EXTRA_ALIASES.items():
        for alias in aliases:
            lookup[alias.lower()] = attr
    return lookup


_LOOKUP = _build_lookup()


def canonical(header: object) -> str | None:
    """Our name for a column header in any accepted spelling, or None for a column we do not know."""
    text = str(header).strip().lstrip("\ufeff").strip()
    return _LOOKUP.get(text) or _LOOKUP.get(text.lower())


def header(attr: str, style: str = "zh") -> str:
    """The column header of one of EXPORT_ATTRS in a header style (zh, abbr or attr)."""
    column = HEADER_STYLES.index(style)
    if attr in EXTRA_HEADERS:
        return EXTRA_HEADERS[attr][column]
    f = BY_ATTR[attr]
    return (f.zh, f.abbr, f.attr)[column]


def label(attr: str) -> str:
    """How a field is named in an error message: the standard's Chinese name and abbreviation."""
    if attr in BY_ATTR:
        return f"{BY_ATTR[attr].zh} ({BY_ATTR[attr].abbr})"
    if attr in EXTRA_ALIASES:
        return f"{EXTRA_ALIASES[attr][0]} ({attr})"
    return attr


class Normaliser:
    """Renames a row's keys to our names, dropping unknown columns.

    Rows of one file share their keys, so the header lookup is done once per distinct key set.
    """

    def __init__(self):
        self._plans: dict[tuple, list[tuple[object, str]]] = {}

    def __call__(self, row: dict) -> dict:
        keys = tuple(row)
        plan = self._plans.get(keys)
        if plan is None:
            plan = self._plans[keys] = self._plan(keys)
        out = {}
        for key, attr in plan:
            value = row[key]
            if attr not in out or out[attr] in (None, ""):
                out[attr] = value
        return out

    @staticmethod
    def _plan(keys: tuple) -> list[tuple[object, str]]:
        return [(key, attr) for key in keys if (attr := canonical(key)) is not None]
