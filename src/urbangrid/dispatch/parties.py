"""Who the parties of a case are (主管部门, 权属单位, 养护单位, 属地), from the component, the catalogue and the map.

- A component names its competent department, owner unit and maintenance unit; they come first.
- The class's responsible organisations (Organisation.responsibilities) fill the parties still unknown, by
  their party type (a blank type counts as competent department). Of several for one party, the one whose
  territory or governed area covers the case's grid most closely wins, so a district's department goes
  before a city-wide one; then the one with the fewest territories, then the oldest. One that serves only
  other areas is never a party; one with no territory and no area serves the whole city.
- 属地 (territory) is the street office, or a unit of party type territory, whose area covers the grid most
  closely; failing those, the district command centre, which dispatches in turn (二级派遣).
Inactive organisations are never parties. Targets carry the organisation's primary key as text.
"""

from urbangrid.accounts.models import Organisation
from urbangrid.core.dispatch import Kind, Target
from urbangrid.core.limits import Party
from urbangrid.dispatch import directory
from urbangrid.dispatch.directory import CENTRE, Unit

COMPONENT_FIELDS = {
    Party.COMPETENT: "competent_department_id", Party.OWNER: "owner_unit_id", Party.MAINTAINER: "maintenance_unit_id"
}
PARTIES = frozenset(str(party) for party in Party)


def target_of(organisation: Organisation) -> Target:
    return directory.target_for(organisation.kind, organisation.pk)


def parties(kind: Kind, class_code: str, grid_code: str, component=None) -> dict[Party, Target]:
    known = directory.get()
    found = _component_parties(component, known.units) if component is not None else {}
    for party, unit in _class_parties(known.responsible.get((str(kind), class_code), ()), grid_code).items():
        found.setdefault(party, unit.target)
    territory = territory_of(grid_code, known.units.values())
    if territory is not None:
        found.setdefault(Party.TERRITORY, territory.target)
    return found


def territory_of(grid_code: str, units) -> Unit | None:
    candidates = [
        unit for unit in units
        if (unit.kind == "street_office" or unit.party_type == "territory" or unit.kind == CENTRE)
        and unit.closeness(grid_code) > 0  # only those whose areas cover the grid, not city-wide ones
    ]
    ranked = sorted(candidates, key=lambda unit: (-unit.closeness(grid_code), unit.kind == CENTRE, *unit.tie))
    return ranked[0] if ranked else None


def _component_parties(component, units: dict[int, Unit]) -> dict[Party, Target]:
    found = {}
    for party, name in COMPONENT_FIELDS.items():
        unit = units.get(getattr(component, name))  # absent when none is named or it is inactive
        if unit is not None:
            found[party] = unit.target
    return found


def _class_parties(responsible: tuple[Unit, ...], grid_code: str) -> dict[Party, Unit]:
    serving = [unit for unit in responsible if unit.closeness(grid_code) >= 0]  # -1: serves only other areas
    ranked = sorted(serving, key=lambda unit: (-unit.closeness(grid_code), *unit.tie))
    found: dict[Party, Unit] = {}
    for unit in ranked:
        party = unit.party_type or Party.COMPETENT
        if party in PARTIES:  # the column has choices but no CHECK: ignore what is not a party
            found.setdefault(Party(party), unit)
    return found
