"""The dispatch directory: the active organisations with their areas and duties, the active rules, the class
settings and the catalogue's classes, held in memory by each process.

Every report asks who its parties are and what the rules suggest (ARCHITECTURE.md §9.8.6: intake is the
hot path); reading organisations, territories and rules from the database for each one cost two thirds of a
report. The directory is rebuilt when the data version "dispatch" moves (signals.py bumps it on every change
of an organisation, its territory or duties, a rule, a class setting or a class, and after a catalogue load)
or "areas" moves (an organisation's area code).
"""

from collections import defaultdict
from dataclasses import dataclass

from urbangrid.accounts.models import Organisation
from urbangrid.catalog.models import CatalogClass
from urbangrid.core import dispatch
from urbangrid.core.dispatch import Target, TargetKind
from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule
from urbangrid.grid.versions import Versioned

DATA_VERSION = "dispatch"
CENTRE = "district_command_centre"


def target_for(kind: str, pk: int) -> Target:
    """A dispatch target: a district command centre dispatches in turn; any other unit handles the case."""
    return Target(TargetKind.DISTRICT_CENTRE if kind == CENTRE else TargetKind.DEPARTMENT, str(pk))


@dataclass(frozen=True)
class Unit:
    """An active organisation as dispatch sees it."""

    id: int
    kind: str
    party_type: str
    area_code: str | None  # the area it governs (a street office's street, a district centre's district)
    territory: tuple[str, ...]  # the areas it serves

    @property
    def target(self) -> Target:
        return target_for(self.kind, self.id)

    def closeness(self, grid_code: str) -> int:
        """The length of the longest of its area codes the grid lies in; 0 for the whole city, -1 for elsewhere."""
        codes = self.territory + ((self.area_code,) if self.area_code else ())
        if not codes:
            return 0
        return max((len(code) for code in codes if grid_code.startswith(code)), default=-1)

    @property
    def tie(self) -> tuple[int, int]:
        return len(self.territory), self.id


@dataclass(frozen=True)
class Directory:
    units: dict[int, Unit]
    responsible: dict[tuple[str, str], tuple[Unit, ...]]  # (kind, class code) → its responsible units
    rules: tuple[DispatchRule, ...]  # active rows in (priority, id) order
    core_rules: tuple[dispatch.Rule, ...]
    auto: frozenset[tuple[str, str]]  # (kind, class code) dispatched without a 派遣员
    classes: dict[tuple[str, str], CatalogClass]  # every class, active or not


def build() -> Directory:
    rows = Organisation.objects.filter(active=True).values_list("id", "kind", "party_type", "area__code")
    territory = defaultdict(list)
    for organisation_id, code in Organisation.territory.through.objects.filter(
        organisation__active=True
    ).values_list("organisation_id", "area__code"):
        territory[organisation_id].append(code)
    units = {
        pk: Unit(pk, kind, party_type or "", area_code, tuple(sorted(territory[pk])))
        for pk, kind, party_type, area_code in rows
    }
    responsible = defaultdict(list)
    duties = Organisation.responsibilities.through.objects.filter(organisation__active=True)
    fields = ("organisation_id", "catalogclass__kind", "catalogclass__code")
    for organisation_id, kind, code in duties.values_list(*fields):
        responsible[(kind, code)].append(units[organisation_id])
    rules = tuple(DispatchRule.objects.filter(active=True).order_by("priority", "id"))
    auto = ClassDispatchSetting.objects.filter(auto_dispatch=True).values_list("klass__kind", "klass__code")
    return Directory(
        units=units,
        responsible={key: tuple(found) for key, found in responsible.items()},
        rules=rules,
        core_rules=tuple(rule for row in rules for rule in row.to_rules()),
        auto=frozenset(auto),
        classes={(c.kind, c.code): c for c in CatalogClass.objects.all()},
    )


_directory = Versioned((DATA_VERSION, "areas"), build)


def get() -> Directory:
    return _directory.get()
