"""The named cast of the case tests, a clock they can move, and a small HTTP client.

The cast, all in the small city of tests.factories (金水区 ▸ one street ▸ one community ▸ 4 grids):
监督员 Li (certified collector of the 4 grids), 受理员 Wang, 值班长 Zhao (supervision centre), 派遣员 Sun
(city command centre), 区指挥 Qian (金水区 command centre), 市政局 handler Zhou, 园林局 handler Wu (another
department of 金水区), 执法局 handler Feng (law enforcement, for 移交执法) and Chen, who holds no post.
"""

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import OrganisationFactory, UserFactory, appoint, certified_collector
from urbangrid.accounts import gridhistory
from urbangrid.accounts.models import Organisation, User
from urbangrid.cases.models import Case
from urbangrid.demo.images import tiny_png

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = dt.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)  # a working Monday
GRID1 = (113.6605, 34.7695)  # the centre of grid 410105001001001
GRID4 = (113.6615, 34.7685)
OUTSIDE = (113.70, 34.80)
PNG = tiny_png("evidence")  # a real picture: uploads are decoded and re-encoded (cases.photos)
MATTER = ("06001", 1)  # 私搭乱建, "正在搭建的违法建设": 4 working hours
MANHOLE = ("01001", 2)  # 供水井盖 破损: 4 working hours


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, **delta) -> dt.datetime:
        self.at += dt.timedelta(**delta)
        return self.at


@dataclass
class Cast:
    li: User
    wang: User
    zhao: User
    sun: User
    qian: User
    zhou: User
    wu: User
    feng: User
    chen: User
    supervision: Organisation
    command: Organisation
    district_centre: Organisation
    shizheng: Organisation
    yuanlin: Organisation
    law: Organisation
    areas: dict

    def people(self) -> dict[str, User]:
        names = ("li", "wang", "zhao", "sun", "qian", "zhou", "wu", "feng", "chen")
        return {name: getattr(self, name) for name in names}


def person(username: str, display_name: str) -> User:
    return UserFactory(username=username, display_name=display_name)


def make_cast(small_city) -> Cast:
    district = small_city["district"]
    org = OrganisationFactory
    supervision = org(kind="supervision_centre", name="监督中心", party_type="")
    command = org(kind="command_centre", name="指挥中心", party_type="")
    centre = org(kind="district_command_centre", name="金水区指挥中心", area=district, party_type="")
    shizheng, yuanlin = org(name="金水区市政局"), org(name="金水区园林局")
    shizheng.territory.set([district])
    yuanlin.territory.set([district])
    law = org(kind="law_enforcement", name="金水区城市管理执法局", party_type="")
    company = org(kind="collection_company", name="信息采集公司", party_type="")
    people = {
        "li": ("li", "监督员李", "collector", company), "wang": ("wang", "受理员王", "intake_operator", supervision),
        "zhao": ("zhao", "值班长赵", "shift_leader", supervision), "sun": ("sun", "派遣员孙", "dispatcher", command),
        "qian": ("qian", "区指挥钱", "district_operator", centre),
        "zhou": ("zhou", "市政局周", "department_handler", shizheng),
        "wu": ("wu", "园林局吴", "department_handler", yuanlin),
        "feng": ("feng", "执法局冯", "department_handler", law),
    }
    users = {}
    for key, (username, name, post, organisation) in people.items():
        users[key] = person(username, name)
        appoint(users[key], post, organisation)
    profile = certified_collector(users["li"], dt.date(2030, 12, 31))
    with gridhistory.held_since_before():  # Li has walked these grids since before anything is counted
        profile.grids.set([small_city[f"grid{n}"] for n in range(1, 5)])
    return Cast(
        **users, chen=person("chen", "陈"), supervision=supervision, command=command, district_centre=centre,
        shizheng=shizheng, yuanlin=yuanlin, law=law, areas=small_city,
    )


class Api:
    """The case API as one user sees it."""

    def __init__(self, user: User | None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def report(self, headers=None, **body):
        body = {"description": "井盖破损", "lon": GRID1[0], "lat": GRID1[1], "kind": "matter", **body}
        return self.client.post("/api/v1/cases", json.dumps(body), "application/json", headers=headers or {})

    def act(self, case, action: str, version: int | None = None, **body):
        case_id = case if isinstance(case, int) else case.pk
        if version is None:
            version = Case.objects.get(pk=case_id).version
        url = f"/api/v1/cases/{case_id}/actions/{action}"
        return self.client.post(url, json.dumps({"version": version, **body}), "application/json")

    def photo(self, case, kind: str = "evidence", content: bytes = PNG, name: str = "photo.png"):
        case_id = case if isinstance(case, int) else case.pk
        upload = SimpleUploadedFile(name, content, "image/png")
        return self.client.post(f"/api/v1/cases/{case_id}/attachments", {"file": upload, "kind": kind})

    def photos(self, case, *kinds: str) -> list[int]:
        ids = []
        for kind in kinds or ("evidence",):
            response = self.photo(case, kind)
            assert response.status_code == 201, response.content
            ids.append(response.json()["id"])
        return ids

    def get(self, url: str, **params):
        return self.client.get(f"/api/v1{url}", params)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()
