"""Class codes of older standards and the GB/T 47678.5-2026 class each became.

CJ/T 214-2007 used 4-digit class codes (2 large + 2 small) for components and events; GB/T 30428.2-2013
numbered events "MM-SS", stored here as 4 digits. The same 4 digits mean different things in the two
schemes and for components and events (CJ/T 214 0101 is 上水井盖 as a component, 私搭乱建 as an event),
so a lookup without kind or scheme may be ambiguous.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from urbangrid.catalog.models import CatalogClass, LegacyCode

CJT_214 = "CJ/T 214-2007"
GBT_30428 = "GB/T 30428.2-2013"


class AmbiguousLegacyCode(LookupError):
    """The code maps to different classes in different schemes or kinds; say which one is meant."""

    def __init__(self, code: str, candidates: list[LegacyCode]):
        self.code, self.candidates = code, candidates
        listed = "; ".join(f"{c.scheme} {c.kind} {c.code} {c.name} → {c.maps_to}" for c in candidates)
        super().__init__(_("Legacy code {code} is ambiguous: {listed}").format(code=code, listed=listed))


def normalise(code: object) -> str:
    """'01-01' (GB/T 30428.2 notation) and ' 0101 ' both become '0101'."""
    return str(code).strip().replace("-", "")


def legacy_codes(code: object, kind: str | None = None, scheme: str | None = None):
    """Every LegacyCode row with this code, narrowed by kind and scheme when given."""
    rows = LegacyCode.objects.filter(code=normalise(code)).select_related("maps_to")
    if kind:
        rows = rows.filter(kind=kind)
    if scheme:
        rows = rows.filter(scheme=scheme)
    return rows.order_by("scheme", "kind")


def map_legacy_class(code: object, kind: str | None = None, scheme: str | None = None) -> CatalogClass | None:
    """The class a legacy code became; None if it is unknown or has no counterpart.

    Raises AmbiguousLegacyCode when the matching rows disagree (e.g. 0101 without a kind).
    """
    rows = list(legacy_codes(code, kind, scheme))
    targets = {row.maps_to_id for row in rows}
    if len(targets) > 1:
        raise AmbiguousLegacyCode(normalise(code), rows)
    return rows[0].maps_to if rows else None


class LegacyClassMapper:
    """4-digit legacy code → 5-digit class code, or None; the table is read once, on the first call.

    The cache lives as long as the mapper (one import run), not the process: a process-wide cache would keep
    serving a mapping that another worker has since changed in the admin.
    """

    def __init__(self, kind: str, scheme: str = CJT_214):
        self.kind, self.scheme = kind, scheme
        self._table: dict[str, str | None] | None = None

    def __call__(self, code: str) -> str | None:
        if self._table is None:
            rows = LegacyCode.objects.filter(kind=self.kind, scheme=self.scheme)
            self._table = dict(rows.values_list("code", "maps_to__code"))
        return self._table.get(normalise(code))


def legacy_class_mapper(kind: str, scheme: str = CJT_214) -> Callable[[str], str | None]:
    """For core.codes.parse_component_id(value, legacy_class=legacy_class_mapper("component"))."""
    return LegacyClassMapper(kind, scheme)
