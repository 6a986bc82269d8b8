"""facts_for: who the parties of a case are, and who the default order picks without a rule."""

import pytest
import shapely

from tests.dispatch.conftest import GRID, NOON, make_component, matter_class, organisation
from tests.factories import make_area
from urbangrid.core.dispatch import Kind, Target, TargetKind
from urbangrid.core.limits import Party
from urbangrid.dispatch.suggesting import facts_for, suggest, target_organisation

pytestmark = pytest.mark.django_db


def department(org) -> Target:
    return Target(TargetKind.DEPARTMENT, str(org.pk))


def suggested(*args, **kwargs):
    suggestion = suggest(facts_for(*args, **kwargs))
    return target_organisation(suggestion.target), suggestion


def test_a_component_goes_to_its_owner_first(town):
    town.manhole.default_party = "owner"
    town.manhole.save()
    component = make_component(town.manhole, town.city_bureau, owner=town.water, maintainer=town.upkeep)
    facts = facts_for("component", "01001", GRID, "normal", NOON, component)
    assert facts.parties == {
        Party.COMPETENT: department(town.city_bureau), Party.OWNER: department(town.water),
        Party.MAINTAINER: department(town.upkeep), Party.TERRITORY: department(town.street_office),
    }
    target, suggestion = suggested("component", "01001", GRID, "normal", NOON, component)
    assert (target, suggestion.rule) == (town.water, None)
    assert suggestion.explain() == "components go to the owner first, then the territory: owner"


def test_the_component_names_its_parties_before_the_catalogue_does(town):
    other_owner = organisation("另一供水公司", party_type="owner")
    town.manhole.default_party = "owner"
    town.manhole.save()
    component = make_component(town.manhole, town.city_bureau, owner=other_owner)
    assert suggested("component", "01001", GRID, "normal", NOON, component)[0] == other_owner


def test_the_classes_first_party_goes_first(town):
    town.manhole.default_party = "maintainer"  # as GB/T 47678.5 classes 01001–01006 are seeded
    town.manhole.save()
    component = make_component(town.manhole, town.city_bureau, owner=town.water)
    assert suggested("component", "01001", GRID, "normal", NOON, component)[0] == town.upkeep
    # … unless the caller knows better (the 立案条件's responsible party).
    assert suggested("component", "01001", GRID, "normal", NOON, component, first_party="owner")[0] == town.water


def test_a_matter_goes_to_the_territory_first(town):
    target, suggestion = suggested("matter", "06001", GRID, "normal", NOON)
    assert target == town.street_office
    assert suggestion.explain() == "events and matters go to the territory first, then the owner: territory"


def test_without_a_street_office_the_district_centre_is_the_territory(town):
    town.street_office.active = False
    town.street_office.save()
    facts = facts_for(Kind.MATTER, "06001", GRID, "normal", NOON)
    assert facts.parties[Party.TERRITORY] == Target(TargetKind.DISTRICT_CENTRE, str(town.centre.pk))


def test_the_closest_responsible_department_wins(town):
    town.illegal.default_party = "competent"
    town.illegal.save()
    # The district's bureau covers 410105; the city's has no territory (the whole city).
    assert suggested("matter", "06001", GRID, "normal", NOON)[0] == town.district_bureau


def test_a_department_of_another_district_is_no_party(town):
    town.illegal.default_party = "competent"
    town.illegal.save()
    zhongyuan = make_area("410102", "中原区", shapely.box(113.5, 34.7, 113.51, 34.71))
    organisation("中原区城市管理局", party_type="competent", responsible_for=[town.illegal], territory=[zhongyuan])
    town.district_bureau.active = False
    town.district_bureau.save()
    assert suggested("matter", "06001", GRID, "normal", NOON)[0] == town.city_bureau


def test_no_party_and_no_rule_leaves_the_choice_to_the_dispatcher(town):
    matter_class("06002", "违规设置户外广告")
    assert suggest(facts_for("matter", "06002", "410199001001001", "normal", NOON)) is None
