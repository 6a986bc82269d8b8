"""Demo organisations and logins. Every step is get-or-create, so seeding twice changes nothing."""

import datetime

from django.db import transaction

from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation, User
from urbangrid.catalog.models import CatalogClass
from urbangrid.core.codes import uscc_check_char
from urbangrid.demo import cast
from urbangrid.grid.models import Area

ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def demo_uscc(name: str, company: bool) -> str:
    """A stable, valid unified social credit code derived from the name (11 = 机关, 91 = 企业; 410100 = 郑州)."""
    digest = sum((i + 1) * ord(c) for i, c in enumerate(name))
    body = "".join(ORG_CODE_CHARS[(digest // 31**i + i * 7) % 31] for i in range(9))
    first17 = ("91" if company else "11") + "410100" + body
    return first17 + uscc_check_char(first17)


def _org(name: str, kind: str, **fields) -> Organisation:
    org, _ = Organisation.objects.update_or_create(name=name, kind=kind, defaults=fields)
    return org


def _classes(prefixes: list[str]) -> list[CatalogClass]:
    wanted = [c for c in CatalogClass.objects.all() if any(c.code.startswith(p) for p in prefixes)]
    return wanted


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
    for name, party, level, prefixes in cast.DEPARTMENTS:
        for territory, full_name in _department_instances(name, level, districts):
            company = "公司" in full_name
            org = _org(full_name, "department", party_type=party, uscc=demo_uscc(full_name, company))
            org.territory.set(territory)
            org.responsibilities.set(_classes(prefixes))
            orgs[full_name] = org
    for street in Area.objects.filter(level="street", code__regex=r"^(" + "|".join(cast.CENTRAL_DISTRICTS) + ")"):
        office = _org(f"{street.name}办事处", "street_office", area=street)
        office.territory.set([street])
    return orgs


def _department_instances(name: str, level: str, districts: list[Area]):
    if level == "city":
        return [(districts, name)]
    return [([d], f"郑州市{d.name}{name.removeprefix('区')}") for d in districts]


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
        profile.grids.set(Area.objects.filter(level="grid", code__startswith="410105001").order_by("code")[:40])
