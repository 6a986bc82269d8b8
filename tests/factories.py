"""Builders for test data. Explicit values, small geometry near 金水区 (113.66E, 34.77N)."""

import factory
import shapely

from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation, User
from urbangrid.catalog.models import CatalogClass
from urbangrid.core.codes import uscc_check_char
from urbangrid.grid.models import Area
from urbangrid.grid.versions import bump

ORIGIN = (113.66, 34.77)
CELL = 0.001  # about 90 m east-west, 110 m north-south


def square(col: int, row: int, size: float = CELL):
    """The cell `col` columns east and `row` rows south of ORIGIN's north-west corner."""
    west, north = ORIGIN[0] + col * size, ORIGIN[1] - row * size
    return shapely.box(west, north - size, west + size, north)


def make_area(code: str, name: str, geom, parent: Area | None = None, level: str | None = None) -> Area:
    level = level or {6: "district", 9: "street", 12: "community", 15: "grid"}[len(code)]
    area = Area(code=code, name=name, level=level, parent=parent, source="test")
    area.set_shape(geom, area_m2=geom.area * 1e10)  # rough; tests that need m² project properly
    area.save()
    return area


def make_small_city() -> dict[str, Area]:
    """金水区 ▸ 1 street ▸ 1 community ▸ 2×2 grids; grids 001 002 (north row) 003 004 (south row)."""
    whole = shapely.box(ORIGIN[0], ORIGIN[1] - 2 * CELL, ORIGIN[0] + 2 * CELL, ORIGIN[1])
    district = make_area("410105", "金水区", whole)
    street = make_area("410105001", "经八路街道", whole, district)
    community = make_area("410105001001", "省委社区", whole, street)
    areas = {"district": district, "street": street, "community": community}
    for n, (col, row) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)], start=1):
        areas[f"grid{n}"] = make_area(f"410105001001{n:03d}", f"第{n}网格", square(col, row), community)
    bump("areas")
    return areas


def uscc(seed: int) -> str:
    """A valid unified social credit code (11 = 机关, 4101 = 郑州)."""
    first17 = f"1141010{seed:010d}"[:17]
    return first17 + uscc_check_char(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = "department"
    name = factory.Sequence(lambda n: f"测试部门{n}")
    uscc = factory.Sequence(lambda n: uscc(n + 1))
    party_type = "competent"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("test-pass-123")


def appoint(user: User, post: str, organisation: Organisation) -> Appointment:
    return Appointment.objects.create(user=user, post=post, organisation=organisation)


def component_class(code: str = "01001", name: str = "供水井盖") -> CatalogClass:
    klass, _ = CatalogClass.objects.get_or_create(
        kind="component", code=code,
        defaults={
            "large_class_code": code[:2], "large_class_name": "市政公用设施",
            "name": name, "default_party": "competent",
        },
    )
    return klass


def certified_collector(user: User, expires) -> CollectorProfile:
    return CollectorProfile.objects.create(user=user, certificate_no="ZZ-2026-001", certificate_expires=expires)
