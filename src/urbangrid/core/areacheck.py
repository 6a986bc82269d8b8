"""Checks of an area file before it is imported: readable polygons, valid codes, a consistent hierarchy
and clean topology (GB/T 47678.3, DB11/T 2157: closed polygons, exact nesting, no gaps, no overlaps).

Every check runs on every feature, so one pass reports all of a file's problems. A problem names the
feature by its 1-based number in the file (as an operator counts), its code, a WGS84 point near the
fault where there is one, and an English msgid with {placeholders} marked with `gettext_noop` for the
Django layer to translate. Areas and tolerances are in square metres on one Gauss-Kruger projection.
"""

import contextlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from urbangrid.core import areatopology as topo
from urbangrid.core import coords
from urbangrid.core.areashapes import ShapeError, read_shape
from urbangrid.core.areatopology import Tolerance
from urbangrid.core.codes import CodeError, gettext_noop, parent_code, parse_area_code

__all__ = ["Checked", "CheckedArea", "Feature", "Problem", "Tolerance", "accepted", "check_areas", "level_of", "render"]

LEVEL_OF_LENGTH = {6: "district", 9: "street", 12: "community", 15: "grid"}
LEVEL_NAMES = {
    "district": gettext_noop("district"),
    "street": gettext_noop("street"),
    "community": gettext_noop("community"),
    "grid": gettext_noop("unit grid"),
}
LEVEL_ALIASES = {
    "district": "district", "区": "district", "县": "district", "区县": "district", "县级": "district",
    "street": "street", "街道": "street", "乡镇": "street", "镇": "street", "乡": "street",
    "community": "community", "社区": "community", "村": "community", "居委会": "community",
    "grid": "grid", "网格": "grid", "单元网格": "grid", "cell": "grid",
}

# GEOS's reasons for an invalid polygon as translatable sentences; any other is shown as GEOS words it.
VALIDITY_REASONS = {
    "Self-intersection": gettext_noop("the boundary crosses itself"),
    "Ring Self-intersection": gettext_noop("a ring of the boundary touches itself"),
    "Hole lies outside shell": gettext_noop("a hole lies outside the outer boundary"),
    "Nested shells": gettext_noop("one outer boundary lies inside another"),
    "Interior is disconnected": gettext_noop("holes cut the area into separate pieces"),
    "Too few points": gettext_noop("a ring has too few distinct points"),
    "Duplicate Rings": gettext_noop("a ring is given twice"),
}
DEFAULT_TOLERANCE = Tolerance()
_REASON = re.compile(r"^(?P<reason>[^\[]*)(\[(?P<x>\S+) (?P<y>\S+)\])?")


@dataclass
class Problem:
    number: int | None  # the feature in the file, 1-based; None for an area already in the database
    code: str
    message: str
    params: dict = field(default_factory=dict)
    lon: float | None = None
    lat: float | None = None
    rejects: bool = True  # False for the fault of a group (a gap), which is no single feature's


@dataclass
class Feature:
    """One feature as read from a file; values are still raw (the checks clean them)."""

    number: int
    code: object
    name: object
    level: object = None
    parent: object = None
    geometry: Mapping | BaseGeometry | None = None  # a GeoJSON-like mapping or a shapely geometry
    geometry_error: str | None = None  # why the reader could not read the geometry at all


@dataclass
class CheckedArea:
    number: int
    code: str
    level: str
    name: str
    parent: str | None
    geometry: BaseGeometry  # WGS84
    area_m2: float = 0.0
    metric: BaseGeometry | None = None  # set when the geometry is valid


@dataclass
class Checked:
    areas: list[CheckedArea]
    problems: list[Problem]
    codes: set[str] = field(default_factory=set)  # every valid code in the file, readable geometry or not

    def rejected_numbers(self) -> set[int]:
        return {p.number for p in self.problems if p.rejects and p.number is not None}


def check_areas(
    features: list[Feature],
    existing: Mapping[str, BaseGeometry],
    crs: str = "wgs84",
    level: str | None = None,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> Checked:
    """Check features against each other and against `existing` (code → WGS84 geometry of current areas).

    Geometry is converted from `crs` to WGS84 first. `level`, when given, is the level every feature must
    have. The areas come back with WGS84 geometry and area in m², whether they have problems or not.
    """
    problems: list[Problem] = []
    areas = [a for f in features if (a := _read(f, crs, level, problems)) is not None]
    areas = _drop_duplicates(areas, problems)
    valid = [a for a in areas if not _geometry_problem(a, problems)]
    codes = _codes_in(features)
    _check_parents(areas, codes, existing, problems)
    if valid:
        projection = coords.MetricProjection.for_longitude(float(np.median([a.geometry.centroid.x for a in valid])))
        _measure(valid, projection)
        _check_topology(valid, existing, projection, tolerance, problems)
    problems.sort(key=lambda p: (p.number is None, p.number or 0))
    return Checked(areas, problems, codes)


def accepted(checked: Checked, existing_codes: set[str]) -> tuple[list[CheckedArea], list[Problem]]:
    """The areas a lenient import may write, parents first, and a problem for each child left without one.

    A child whose parent is in the file but rejected is left out even if the database holds an older
    version of that parent: the child was checked against the file's version, not the stored one.
    """
    rejected = checked.rejected_numbers()
    taken: set[str] = set()
    result, orphans = [], []
    for area in sorted(checked.areas, key=lambda a: (len(a.code), a.code)):
        if area.number in rejected:
            continue
        parent_missing = area.parent in checked.codes or area.parent not in existing_codes
        if area.parent and area.parent not in taken and parent_missing:
            message = gettext_noop("skipped because its parent {parent} is not imported")
            orphans.append(Problem(area.number, area.code, message, {"parent": area.parent}))
            continue
        taken.add(area.code)
        result.append(area)
    return result, orphans


def render(problem: Problem, gettext=lambda message: message) -> str:
    """The problem as a sentence; `gettext` translates the msgids (the default leaves them English)."""
    params = dict(problem.params)
    if "reason_params" in params:
        params["reason"] = gettext(params["reason"]).format(**params.pop("reason_params"))
    for key in ("level", "parent_level"):
        if key in params:
            params[key] = gettext(LEVEL_NAMES.get(params[key], params[key]))
    return gettext(problem.message).format(**params)


def level_of(value: object) -> str | None:
    """A level written in English or Chinese (区县, 街道, 社区, 网格 …), or None."""
    return LEVEL_ALIASES.get(str(value).strip().lower())


# One feature -------------------------------------------------------------------------------------------


def _read(f: Feature, crs: str, expected_level: str | None, problems: list[Problem]) -> CheckedArea | None:
    code = _read_code(f, expected_level, problems)
    name = _raw(f.name)
    if code is not None and not name:
        problems.append(Problem(f.number, code, gettext_noop("the name is missing")))
    geometry = _read_geometry(f, code or _raw(f.code), crs, problems)
    if code is None or geometry is None:
        return None
    return CheckedArea(f.number, code, LEVEL_OF_LENGTH[len(code)], name, parent_code(code), geometry)


def _raw(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_code(f: Feature, expected_level: str | None, problems: list[Problem]) -> str | None:
    raw = _raw(f.code)
    if not raw:
        problems.append(Problem(f.number, "", gettext_noop("the code is missing")))
        return None
    try:
        level, code = parse_area_code(raw)
    except CodeError as e:
        message = gettext_noop("the code {code} is not valid: {reason}")
        params = {"code": raw, "reason": e.message, "reason_params": e.params}
        problems.append(Problem(f.number, raw, message, params))
        return None
    for given in (f.level, expected_level):
        if given is not None and str(given).strip() and level_of(given) != level:
            message = gettext_noop("the level is {given}, but a code of {length} characters names a {level}")
            problems.append(Problem(f.number, code, message, {"given": given, "length": len(code), "level": level}))
    _check_given_parent(f, code, level, problems)
    return code


def _check_given_parent(f: Feature, code: str, level: str, problems: list[Problem]) -> None:
    given = _raw(f.parent)
    # A district's parent is its city (e.g. 410100), which is no area here, so it is not compared.
    if level != "district" and given and given != parent_code(code):
        message = gettext_noop("the parent is given as {given}, but the code {code} lies under {expected}")
        problems.append(Problem(f.number, code, message, {"given": given, "code": code, "expected": parent_code(code)}))


def _read_geometry(f: Feature, code: str, crs: str, problems: list[Problem]) -> BaseGeometry | None:
    if f.geometry_error:
        message = gettext_noop("the geometry cannot be read: {reason}")
        problems.append(Problem(f.number, code, message, {"reason": f.geometry_error}))
        return None
    try:
        return read_shape(f.geometry, crs)
    except ShapeError as e:
        problems.append(Problem(f.number, code, e.message, e.params, e.lon, e.lat))
        return None


def _codes_in(features: list[Feature]) -> set[str]:
    # A parent whose geometry is broken is still in the file: its children are not told it is missing.
    found = set()
    for f in features:
        with contextlib.suppress(CodeError):
            found.add(parse_area_code(f.code)[1])
    return found


def _drop_duplicates(areas: list[CheckedArea], problems: list[Problem]) -> list[CheckedArea]:
    # Which copy is right cannot be known, so every copy is rejected.
    numbers: dict[str, list[int]] = defaultdict(list)
    for a in areas:
        numbers[a.code].append(a.number)
    for a in areas:
        if len(numbers[a.code]) > 1:
            listed = ", ".join(str(n) for n in numbers[a.code])
            message = gettext_noop("the code {code} is used by several features: {numbers}")
            problems.append(Problem(a.number, a.code, message, {"code": a.code, "numbers": listed}))
    return [a for a in areas if len(numbers[a.code]) == 1]


def _geometry_problem(a: CheckedArea, problems: list[Problem]) -> bool:
    problem = _find_geometry_problem(a)
    if problem is not None:
        problems.append(problem)
    return problem is not None


def _find_geometry_problem(a: CheckedArea) -> Problem | None:
    g = a.geometry
    if g.is_empty:
        return Problem(a.number, a.code, gettext_noop("the geometry is empty"))
    min_x, min_y, max_x, max_y = g.bounds
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        message = gettext_noop(
            "the coordinates ({x}, {y}) are not longitude and latitude in degrees; "
            "convert the file to WGS84, GCJ-02 or BD-09 first"
        )
        return Problem(a.number, a.code, message, {"x": min_x, "y": min_y})
    reason = shapely.is_valid_reason(g)
    if reason != "Valid Geometry":
        return _invalid(a, reason)
    centre = g.centroid
    if coords.out_of_china(centre.x, centre.y):
        message = gettext_noop("the area lies outside China, around ({lon:.4f}, {lat:.4f})")
        return Problem(a.number, a.code, message, {"lon": centre.x, "lat": centre.y}, centre.x, centre.y)
    return None


def _invalid(a: CheckedArea, reason: str) -> Problem:
    match = _REASON.match(reason)
    text = match["reason"].strip()
    lon, lat = (float(match["x"]), float(match["y"])) if match["x"] else (None, None)
    described = VALIDITY_REASONS.get(text)
    if described is None:
        message = gettext_noop("the boundary is not valid: {reason}")
        return Problem(a.number, a.code, message, {"reason": text}, lon, lat)
    return Problem(a.number, a.code, described, {}, lon, lat)


def _measure(areas: list[CheckedArea], projection: coords.MetricProjection) -> None:
    # One projection for the whole file, so that neighbours are compared in one plane.
    metric = projection.project(np.array([a.geometry for a in areas], dtype=object))
    for a, m, area in zip(areas, metric, shapely.area(metric), strict=True):
        a.metric, a.area_m2 = m, float(area)


# The hierarchy and its topology -------------------------------------------------------------------------


def _check_parents(
    areas: list[CheckedArea], codes: set[str], existing: Mapping[str, BaseGeometry], problems: list[Problem]
) -> None:
    for a in areas:
        if a.parent and a.parent not in codes and a.parent not in existing:
            message = gettext_noop("its {parent_level} {parent} is neither in the file nor in the database")
            params = {"parent": a.parent, "parent_level": LEVEL_OF_LENGTH[len(a.parent)]}
            problems.append(Problem(a.number, a.code, message, params))


@dataclass
class _Members:
    """The areas whose topology is compared: the file's valid areas, then the database's they leave alone."""

    codes: list[str]
    numbers: list[int | None]
    metric: np.ndarray
    projection: coords.MetricProjection

    def place(self, finding: topo.Finding) -> tuple[float, float]:
        lon, lat = self.projection.inverse(finding.where.x, finding.where.y)
        return float(lon), float(lat)


def _check_topology(
    areas: list[CheckedArea],
    existing: Mapping[str, BaseGeometry],
    projection: coords.MetricProjection,
    tolerance: Tolerance,
    problems: list[Problem],
) -> None:
    members = _members(areas, existing, projection)
    by_code = {code: k for k, code in enumerate(members.codes)}
    _check_nesting(members, by_code, tolerance, problems)
    _check_overlaps(members, tolerance, problems)
    _check_gaps(members, by_code, areas, tolerance, problems)


def _members(
    areas: list[CheckedArea], existing: Mapping[str, BaseGeometry], projection: coords.MetricProjection
) -> _Members:
    in_file = {a.code for a in areas}
    groups = {a.parent or "" for a in areas}
    parents = {a.parent for a in areas if a.parent}
    kept = [c for c in existing if c not in in_file and ((parent_code(c) or "") in groups or c in parents)]
    kept_metric = projection.project(np.array([existing[c] for c in kept], dtype=object)) if kept else []
    return _Members(
        codes=[a.code for a in areas] + kept,
        numbers=[a.number for a in areas] + [None] * len(kept),
        metric=np.array([a.metric for a in areas] + list(kept_metric), dtype=object),
        projection=projection,
    )


def _check_nesting(members: _Members, by_code: dict[str, int], tolerance: Tolerance, problems: list[Problem]) -> None:
    pairs = [
        (k, by_code[parent])
        for k, (code, number) in enumerate(zip(members.codes, members.numbers, strict=True))
        if number is not None and (parent := parent_code(code)) in by_code
    ]
    if not pairs:
        return
    child, parent = (np.array(side, dtype=np.intp) for side in zip(*pairs, strict=True))
    for f in topo.sticking_out(members.metric[child], members.metric[parent], tolerance):
        k, p = int(child[f.index]), int(parent[f.index])
        message = gettext_noop("it reaches {area:.0f} m² beyond its parent {parent}")
        params = {"area": f.area_m2, "parent": members.codes[p]}
        problems.append(Problem(members.numbers[k], members.codes[k], message, params, *members.place(f)))


def _check_overlaps(members: _Members, tolerance: Tolerance, problems: list[Problem]) -> None:
    # Siblings share a parent; districts (no parent here) are siblings of each other, never of a street.
    groups = np.array([f"{parent_code(c) or ''}/{len(c)}" for c in members.codes])
    message = gettext_noop("it overlaps {other} by {area:.0f} m²")
    for f in topo.overlaps(members.metric, groups, tolerance):
        for k, other in ((f.index, f.other), (f.other, f.index)):
            if members.numbers[k] is not None:
                params = {"other": members.codes[other], "area": f.area_m2}
                problems.append(Problem(members.numbers[k], members.codes[k], message, params, *members.place(f)))


def _check_gaps(
    members: _Members, by_code: dict[str, int], areas: list[CheckedArea], tolerance: Tolerance, problems: list[Problem]
) -> None:
    children: dict[str, list[int]] = defaultdict(list)
    for k, code in enumerate(members.codes):
        if (parent := parent_code(code)) in by_code:
            children[parent].append(k)
    touched = {a.parent for a in areas if a.parent}
    message = gettext_noop("its {level} areas leave {area:.0f} m² of it uncovered")
    for parent in sorted(touched & children.keys()):
        p = by_code[parent]
        if not _complete(parent, members.numbers[p]):
            continue
        f = topo.gap(members.metric[p], list(members.metric[children[parent]]), tolerance)
        if f is not None:
            params = {"level": LEVEL_OF_LENGTH[len(parent) + 3], "area": f.area_m2}
            lon, lat = members.place(f)
            problems.append(Problem(members.numbers[p], parent, message, params, lon, lat, rejects=False))


def _complete(parent: str, number: int | None) -> bool:
    # A community is always cut into grids as a whole. Streets and communities arrive street by street,
    # so their cover is only judged when the file brings the parent too, as a complete hierarchy.
    return len(parent) == 12 or number is not None
