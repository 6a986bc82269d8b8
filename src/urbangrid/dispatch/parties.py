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

from django.db.models import Q

from urbangrid.accounts.models import Organisation
from urbangrid.core.dispatch import Kind, Target, TargetKind
from urbangrid.core.limits import Party

COMPONENT_FIELDS = {
    Party.COMPETENT: "competent_department", Party.OWNER: "owner_unit", Party.MAINTAINER: "maintenance_unit"
}
CENTRE = "district_command_centre"
AREA_LENGTHS = (6, 9, 12, 15)
PARTIES = frozenset(str(party) for party in Party)


def target_of(organisation: Organisation) -> Target:
    kind = TargetKind.DISTRICT_CENTRE if organisation.kind == CENTRE else TargetKind.DEPARTMENT
    return Target(kind, str(organisation.pk))


def parties(kind: Kind, class_code: str, grid_code: str, component=None) -> dict[Party, Target]:
    found = _component_parties(component) if component is not None else {}
    for party, organisation in _class_parties(kind, class_code, grid_code).items():
        found.setdefault(party, target_of(organisation))
    territory = territory_of(grid_code)
    if territory is not None:
        found.setdefault(Party.TERRITORY, target_of(territory))
    return found


def territory_of(grid_code: str) -> Organisation | None:
    candidates = _covering(grid_code).filter(Q(kind="street_office") | Q(party_type="territory") | Q(kind=CENTRE))
    ranked = sorted(candidates, key=lambda org: (-_closeness(org, grid_code), org.kind == CENTRE, *_tie(org)))
    return ranked[0] if ranked else None


def _component_parties(component) -> dict[Party, Target]:
    found = {}
    for party, name in COMPONENT_FIELDS.items():
        organisation = getattr(component, name)
        if organisation is not None and organisation.active:
            found[party] = target_of(organisation)
    return found


def _class_parties(kind: Kind, class_code: str, grid_code: str) -> dict[Party, Organisation]:
    responsible = (
        Organisation.objects.filter(active=True, responsibilities__kind=kind, responsibilities__code=class_code)
        .filter(_covers(grid_code) | Q(area=None, territory=None))
        .distinct()
    )
    ranked = sorted(_with_areas(responsible), key=lambda org: (-_closeness(org, grid_code), *_tie(org)))
    found: dict[Party, Organisation] = {}
    for organisation in ranked:
        party = organisation.party_type or Party.COMPETENT
        if party in PARTIES:  # the column has choices but no CHECK: ignore what is not a party
            found.setdefault(Party(party), organisation)
    return found


def _covering(grid_code: str):
    return _with_areas(Organisation.objects.filter(_covers(grid_code), active=True).distinct())


def _with_areas(organisations):
    return organisations.select_related("area").prefetch_related("territory")


def _covers(grid_code: str) -> Q:
    prefixes = [grid_code[:n] for n in AREA_LENGTHS if len(grid_code) >= n]
    return Q(area__code__in=prefixes) | Q(territory__code__in=prefixes)


def _closeness(organisation: Organisation, grid_code: str) -> int:
    """The length of the longest of its area codes the grid lies in; 0 for the whole city, -1 for elsewhere."""
    codes = [area.code for area in organisation.territory.all()]
    if organisation.area is not None:
        codes.append(organisation.area.code)
    if not codes:
        return 0
    return max((len(code) for code in codes if grid_code.startswith(code)), default=-1)


def _tie(organisation: Organisation) -> tuple[int, int]:
    return len(organisation.territory.all()), organisation.pk
