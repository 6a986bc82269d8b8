"""Maintenance funding basis (art. 31(5)) on the scripted history, the cases tied to components by hand.

Units: 养护公司甲 maintains c1 (井盖, intact), c2 (井盖, damaged), c3 (03001, intact); 养护公司乙 maintains c4
(03001, missing); c5 (井盖, intact) has no maintenance unit recorded.
Cases: A → c1, B → c2, C → c3, F → c4, I → c4, D → c5 (the others name no component).
Week 1 by hand (history.py): opened A B C D F I (E is voided, names no component); handled A (on time),
B (late), C (on time, after its extension); F is handled only in week 2, late; D is suspended, I untouched.
  甲: found A B C = 3, handled 3, on time A C = 2 (66.67 %);  乙: found F I = 2, handled 0;
  no unit: found D = 1, handled 0.
Week 2: 乙 found 0, handled F = 1, on time 0.
"""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from tests.evaluation.history import WEEK1, WEEK2, play
from tests.factories import OrganisationFactory, appoint, component_class
from urbangrid.components.models import Component
from urbangrid.core import evaluation as core
from urbangrid.evaluation import maintenance

pytestmark = pytest.mark.django_db


def component(n: int, klass, unit, status: str, department) -> Component:
    return Component.objects.create(
        identifier=f"4101050010010{n:04d}", name=f"部件{n}", klass=klass, competent_department=department,
        maintenance_unit=unit, grid_code="410105001001001", status=status, initial_date=dt.date(2020, 1, 1),
        lon=113.66, lat=34.77,
    )


@pytest.fixture
def tied(cast, now):
    cases = play(cast, now)
    jia = OrganisationFactory(name="养护公司甲", party_type="maintainer")
    yi = OrganisationFactory(name="养护公司乙", party_type="maintainer")
    cover, lamp = component_class("01001"), component_class("03001")
    parts = {
        "c1": component(1, cover, jia, "intact", cast.shizheng),
        "c2": component(2, cover, jia, "damaged", cast.shizheng),
        "c3": component(3, lamp, jia, "intact", cast.shizheng),
        "c4": component(4, lamp, yi, "missing", cast.shizheng),
        "c5": component(5, cover, None, "intact", cast.shizheng),
    }
    ties = {"A": "c1", "B": "c2", "C": "c3", "F": "c4", "I": "c4", "D": "c5"}
    with connection.cursor() as cursor:  # test setup: the script reports matters, not components
        for letter, part in ties.items():
            cursor.execute("UPDATE cases_case SET component_id = %s WHERE id = %s", [parts[part].pk, cases[letter].pk])
    return {"cases": cases, "jia": jia, "yi": yi, "cover": cover, "lamp": lamp}


def by_unit(period) -> dict:
    return {row.label: row for row in maintenance.table(period)}


def test_week_one_by_hand(tied):
    rows = by_unit(core.period("week", WEEK1))
    assert list(rows)[:2] == ["养护公司乙", "养护公司甲"]  # by name; the unrecorded last
    jia, yi = rows["养护公司甲"], rows["养护公司乙"]
    none = next(r for r in rows.values() if r.unit_id == maintenance.NO_UNIT)
    assert jia.components == 3 and jia.by_status == {"intact": 2, "damaged": 1, "missing": 0, "abandoned": 0,
                                                     "removed": 0}
    assert jia.by_class == {tied["cover"].pk: {"intact": 1, "damaged": 1, "missing": 0, "abandoned": 0, "removed": 0},
                            tied["lamp"].pk: {"intact": 1, "damaged": 0, "missing": 0, "abandoned": 0, "removed": 0}}
    assert jia.counts == {"opened": 3, "handled": 3, "handled_on_time": 2} and str(jia.on_time_rate) == "66.67"
    assert yi.components == 1 and yi.by_status["missing"] == 1
    assert yi.counts == {"opened": 2, "handled": 0, "handled_on_time": 0} and yi.on_time_rate is None
    assert none.components == 1 and none.counts == {"opened": 1, "handled": 0, "handled_on_time": 0}
    c = tied["cases"]
    assert jia.cases["handled_on_time"] == sorted([c["A"].pk, c["C"].pk])
    assert yi.cases["opened"] == sorted([c["F"].pk, c["I"].pk])


def test_week_two_by_hand(tied):
    rows = by_unit(core.period("week", WEEK2))
    assert rows["养护公司乙"].counts == {"opened": 0, "handled": 1, "handled_on_time": 0}
    assert rows["养护公司甲"].counts == {"opened": 0, "handled": 0, "handled_on_time": 0}
    assert rows["养护公司甲"].components == 3  # the inventory, whatever the period


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def test_page_drill_down_and_workbook(tied, cast):
    query = f"kind=week&day={WEEK1.isoformat()}"
    page = client(cast.zhao).get(f"/evaluation/maintenance/?{query}").content.decode()
    assert "养护公司甲" in page and "66.67%" in page and "03001" in page and "破损" in page and "发现问题" in page
    unit = tied["jia"].pk
    listing = client(cast.zhao).get(f"/evaluation/maintenance/cases/?{query}&unit={unit}&n=handled_on_time")
    text = listing.content.decode()
    c = tied["cases"]
    assert c["A"].number in text and c["C"].number in text and c["B"].number not in text
    assert "按期处置: 2" in text
    response = client(cast.zhao).get(f"/evaluation/maintenance.xlsx?{query}")
    book = load_workbook(BytesIO(response.content))
    units, classes = book[book.sheetnames[0]], book[book.sheetnames[1]]
    jia = next(row for row in units.iter_rows(min_row=3, values_only=True) if row[0] == "养护公司甲")
    assert jia[:7] == ("养护公司甲", 3, 2, 1, 0, 0, 0)  # components: total, intact, damaged, missing, …
    assert jia[7:] == (3, 3, 2, pytest.approx(2 / 3, abs=1e-4))
    assert sum(1 for row in classes.iter_rows(min_row=3, values_only=True) if row[0] == "养护公司甲") == 2


@pytest.mark.parametrize("who,status", [("li", 403), ("zhou", 403), ("qian", 403), ("zhao", 200), ("sun", 200),
                                        ("wang", 200), ("chen", 200)])
def test_who_reads_the_maintenance_report(cast, who, status):
    if who == "chen":
        appoint(cast.chen, "leader", cast.supervision)
    query = f"kind=week&day={WEEK1.isoformat()}"
    assert client(getattr(cast, who)).get(f"/evaluation/maintenance/?{query}").status_code == status
    assert client(getattr(cast, who)).get(f"/evaluation/maintenance.xlsx?{query}").status_code == status
    url = f"/evaluation/maintenance/cases/?{query}&unit=0&n=opened"
    assert client(getattr(cast, who)).get(url).status_code == status
