"""Topology of areas in metres: children inside their parent, siblings neither overlapping nor leaving gaps.

Works on arrays of projected (metric) polygons and returns findings with a point inside each fault,
so that callers can say where to look. The STRtree keeps the overlap check near-linear for 100,000 grids.
"""

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

# Interiors meet: the DE-9IM pattern of an overlap, a containment or an equality, but not of a shared edge.
INTERIORS_MEET = "T********"


@dataclass(frozen=True)
class Tolerance:
    """How much area may stick out, overlap or stay uncovered before it is a problem.

    Boundaries drawn by different offices (or shifted from GCJ-02) never match to the millimetre, so the
    allowance grows with the area concerned: the larger of `m2` and `fraction` of that area.
    """

    m2: float = 1.0
    fraction: float = 0.001

    def of(self, area_m2: np.ndarray | float) -> np.ndarray | float:
        return np.maximum(self.m2, self.fraction * np.asarray(area_m2))


@dataclass(frozen=True)
class Finding:
    index: int  # the member at fault (the child, or the first of two overlapping siblings)
    other: int | None  # the second sibling of an overlap
    area_m2: float
    where: Point  # inside the faulty area, in the same metric plane


def sticking_out(children: np.ndarray, parents: np.ndarray, tolerance: Tolerance) -> list[Finding]:
    """Children (element k) reaching beyond their parent (element k) by more than the tolerance."""
    if len(children) == 0:
        return []
    covered = shapely.covers(parents, children)
    idx = np.flatnonzero(~covered)
    outside = shapely.difference(children[idx], parents[idx])
    area = shapely.area(outside)
    limit = tolerance.of(shapely.area(children[idx]))
    return [
        Finding(int(k), None, float(a), inside_point(o))
        for k, o, a in zip(idx[area > limit], outside[area > limit], area[area > limit], strict=True)
    ]


def overlaps(geoms: np.ndarray, groups: np.ndarray, tolerance: Tolerance) -> list[Finding]:
    """Pairs of the same group whose common area exceeds the tolerance of the smaller one."""
    if len(geoms) < 2:
        return []
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = (left < right) & (groups[left] == groups[right])
    left, right = left[keep], right[keep]
    meet = shapely.relate_pattern(geoms[left], geoms[right], INTERIORS_MEET)
    left, right = left[meet], right[meet]
    common = shapely.intersection(geoms[left], geoms[right])
    area = shapely.area(common)
    limit = tolerance.of(np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right])))
    bad = area > limit
    return [
        Finding(int(i), int(j), float(a), inside_point(c))
        for i, j, a, c in zip(left[bad], right[bad], area[bad], common[bad], strict=True)
    ]


def gap(parent: BaseGeometry, children: list[BaseGeometry], tolerance: Tolerance) -> Finding | None:
    """The part of the parent its children leave uncovered, if larger than the parent's tolerance."""
    uncovered = shapely.difference(parent, shapely.union_all(children))
    area = float(uncovered.area)
    if area <= tolerance.of(parent.area):
        return None
    return Finding(-1, None, area, inside_point(uncovered))


def inside_point(geom: BaseGeometry) -> Point:
    """A point inside the largest polygonal piece (overlays also return lines where shapes only touch)."""
    parts = [p for p in shapely.get_parts(geom) if p.area > 0] or list(shapely.get_parts(geom))
    largest = max(parts, key=lambda p: p.area)
    return largest.representative_point()
