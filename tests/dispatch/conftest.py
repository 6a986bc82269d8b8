"""A small town for dispatch: 金水区 with one street, its offices, departments and a water-main manhole.

Areas come from tests.factories.make_small_city: district 410105 ▸ street 410105001 ▸ community
410105001001 ▸ grids …001–…004.
"""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from tests.factories import OrganisationFactory, component_class
from urbangrid.catalog.models import CatalogClass
from urbangrid.components.models import Component
from urbangrid.core.workcalendar import SHANGHAI

GRID = "410105001001002"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def matter_class(code: str = "06001", name: str = "私搭乱建", party: str = "territory") -> CatalogClass:
    klass, _ = CatalogClass.objects.update_or_create(
        kind="matter", code=code,
        defaults={"large_class_code": code[:2], "large_class_name": "市容环境类", "name": name, "default_party": party},
    )
    return klass


def organisation(name: str, *, responsible_for=(), territory=(), **fields):
    org = OrganisationFactory(name=name, **fields)
    org.responsibilities.set(responsible_for)
    org.territory.set(territory)
    return org


@pytest.fixture
def town(small_city):
    manhole, lamp = component_class("01001", "供水井盖"), component_class("01006", "路灯")
    illegal = matter_class("06001", "私搭乱建", "territory")
    district, street = small_city["district"], small_city["street"]
    t = SimpleNamespace(areas=small_city, manhole=manhole, lamp=lamp, illegal=illegal)
    t.street_office = organisation("经八路街道办事处", kind="street_office", party_type="", area=street,
                                   territory=[street])
    t.centre = organisation("金水区指挥中心", kind="district_command_centre", party_type="", area=district)
    t.water = organisation("自来水公司", party_type="owner", responsible_for=[manhole])
    t.upkeep = organisation("市政养护处", party_type="maintainer", responsible_for=[manhole, lamp])
    t.city_bureau = organisation("市城市管理局", party_type="competent", responsible_for=[manhole, illegal])
    t.district_bureau = organisation("金水区城市管理局", party_type="competent", responsible_for=[illegal],
                                     territory=[district])
    return t


def make_component(klass, competent, owner=None, maintainer=None, grid=GRID) -> Component:
    return Component.objects.create(
        identifier=f"410105{klass.code}000001", name=klass.name, klass=klass, competent_department=competent,
        owner_unit=owner, maintenance_unit=maintainer, grid_code=grid, initial_date=date(2020, 1, 1),
        lon=113.661, lat=34.769,
    )
