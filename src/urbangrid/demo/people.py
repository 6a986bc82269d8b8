"""Demo organisations and logins. Every step is get-or-create, so seeding twice changes nothing."""

import datetime
import hashlib

from django.db import transaction

from urbangrid.accounts import gridhistory
from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation, User
from urbangrid.catalog.models import CatalogClass
from urbangrid.core.codes import uscc_check_char
from urbangrid.demo import cast
from urbangrid.grid.models import Area

ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def demo_uscc(name: str, company: bool) -> str:
    """A stable, valid unified social credit code derived from the name (11 = 机关, 91 = 企业; 410100 = 郑州)."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    body = "".join(ORG_CODE_CHARS[(digest // 31**i) % 31] for i in range(9))
    first17 = ("91" if company else "11") + "410100" + body
    return first17 + uscc_check_char(first17)


def _org(name: str, kind: str, **fields) -> Organisation:
    org, _ = Organisation.objects.update_or_create(name=name, kind=kind, defaults=fields)
    return org


def _classes(catalogue: list[CatalogClass], prefixes: list[str]) -> list[CatalogClass]:
    return [c for c in catalogue if c.code.startswith(tuple(prefixes))]


def territorial_department(district_code: str) -> Organisation:
    """The district's own department of the cast (its 城市管理局): the 属地 fallback for anything unassigned."""
    district = Area.objects.get(level="district", code=district_code)
    name = next(name for name, _party, level, _prefixes in cast.DEPARTMENTS if level == "district")
    return Organisation.objects.get(kind="department", name=_district_department_name(name, district))


def _district_department_name(name: str, district: Area) -> str:
    return f"郑州市{district.name}{name.removeprefix('区')}"


@transaction.atomic
def seed_organisations() -> dict[str, Organisation]:
    districts = list(Area.objects.filter(level="district", code__in=cast.CENTRAL_DISTRICTS))
    orgs = {
        "supervision_centre": _org("郑州市数字化城市管理监督中心", "supervision_centre", short_name="监督中心"),
        "command_centre": _org("郑州市数字化城市管理指挥中心", "command_centre", short_name="指挥中心"),
        "law_enforcement": _org(cast.LAW_ENFORCEMENT, "law_enforcement"),
        "collection_company": _org(
            cast.COLLECTION_COMPANY, "collection_company", uscc=demo_uscc(cast.COLLECTION_COMPANY, True)
        ),
    }
    for district in districts:
        orgs[f"district_command_centre:{district.code}"] = _org(
            f"{district.name}数字化城市管理指挥中心", "district_command_centre",
            parent=orgs["command_centre"], area=district,
        )
    catalogue = list(CatalogClass.objects.all())
    for name, party, level, prefixes in cast.DEPARTMENTS:
        for territory, full_name in _department_instances(name, level, districts):
            company = "公司" in full_name
            org = _org(full_name, "department", party_type=party, uscc=demo_uscc(full_name, company))
            org.territory.set(territory)
            org.responsibilities.set(_classes(catalogue, prefixes))
            orgs[full_name] = org
    streets = Area.objects.filter(level="street", parent__code__in=cast.CENTRAL_DISTRICTS).select_related("parent")
    for street in streets:
        # A 街道 has its 办事处; a 镇 its 人民政府. Several districts may name a street alike, so the
        # district's name goes first.
        office_name = f"{street.name}人民政府" if street.name.endswith("镇") else f"{street.name}办事处"
        office = _org(f"{street.parent.name}{office_name}", "street_office", area=street)
        office.territory.set([street])
    return orgs


def _department_instances(name: str, level: str, districts: list[Area]):
    if level == "city":
        return [(districts, name)]
    return [([d], _district_department_name(name, d)) for d in districts]


@transaction.atomic
def seed_people(orgs: dict[str, Organisation]) -> list[tuple[str, str, str]]:
    logins = []
    for username, display_name, post, org_key in cast.PEOPLE:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        if created:
            user.set_password(cast.DEMO_PASSWORD)
        user.is_staff = user.is_superuser = post == "system_admin"
        user.save()
        Appointment.objects.get_or_create(user=user, post=post, organisation=orgs[org_key])
        if post == "collector":
            _certify(user)
        logins.append((username, display_name, post))
    return logins


def _certify(user: User) -> None:
    profile, _ = CollectorProfile.objects.get_or_create(
        user=user,
        defaults={
            "certificate_no": "ZZSZCG-2026-0001",
            "certified_on": datetime.date(2026, 3, 1),
            "certificate_expires": datetime.date(2029, 2, 28),
        },
    )
    if not profile.grids.exists():
        with gridhistory.held_since_before():  # the demo's cases, walked over past days, were in these grids
            profile.grids.set(Area.objects.filter(level="grid", code__startswith="410105001").order_by("code")[:40])
