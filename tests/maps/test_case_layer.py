"""The map's case layers: open cases by light, counts per area, heat by class and period, an area's cases.

Cases are made through cases.actions (tests.cases.builders), in the small city (4 grids of 金水区).
"""

import datetime as dt

import pytest
from django.test import Client

from tests.cases.builders import make_case, walk
from tests.cases.helpers import GRID1, GRID4, MONDAY_9AM
from urbangrid.cases import clock
from urbangrid.core.workflow import State
from urbangrid.maps import caselayer

pytestmark = pytest.mark.django_db
S = State
BOX = "113.65,34.76,113.67,34.78"  # the whole small city


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_layer(client: Client, zoom: int = 16, bbox: str = BOX) -> dict:
    r = client.get("/map/cases.geojson", {"bbox": bbox, "zoom": zoom})
    assert r.status_code == 200, r.content.decode()
    return r.json()


def numbers(body: dict) -> set[str]:
    return {f["properties"]["number"] for f in body["features"]}


def open_with_class(cast, class_code: str, condition: int, **report):
    return walk(cast, make_case(cast, S.ACCEPTED, **report), [
        ("zhao", "open", {"class_code": class_code, "condition": condition}),
    ])


def test_anonymous_visitors_see_no_cases(client, cast):
    make_case(cast, S.OPEN)
    for url in ("/map/cases.geojson", "/map/heat.json"):
        r = client.get(url, {"bbox": BOX, "zoom": 16})
        assert r.status_code == 403 and r.json()["code"] == "login_required"
    assert client.get("/map/areas/410105001001001.json").json()["properties"]["cases"] is None
    assert client.get("/map/").status_code == 200  # the page itself stays public


def test_open_cases_come_as_points_with_popup_facts_and_closed_ones_do_not(cast):
    opened = make_case(cast, S.OPEN)
    dispatched = make_case(cast, S.DISPATCHED)
    make_case(cast, S.CLOSED)
    make_case(cast, S.REJECTED)
    body = case_layer(signed_in(cast.sun))
    assert body["mode"] == "points"
    assert numbers(body) == {opened.number, dispatched.number}
    p = next(f["properties"] for f in body["features"] if f["properties"]["number"] == dispatched.number)
    assert (p["state"], p["state_label"], p["class_code"]) == ("dispatched", "已派遣", "06001")
    assert p["url"] == f"/work/cases/{dispatched.pk}/"
    assert p["due_at"] == dispatched.due_at.isoformat()
    lon, lat = next(f["geometry"]["coordinates"] for f in body["features"] if f["id"] == str(dispatched.pk))
    assert (lon, lat) == pytest.approx(GRID1)


def test_each_user_sees_only_the_cases_of_their_scope(cast):
    mine = make_case(cast, S.DISPATCHED)  # to 市政局 (Zhou)
    in_grid4 = make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1], source="hotline")  # not Li's own report
    assert numbers(case_layer(signed_in(cast.zhou))) == {mine.number}
    assert numbers(case_layer(signed_in(cast.wu))) == set()  # 园林局: nothing dispatched to it
    assert numbers(case_layer(signed_in(cast.chen))) == set()  # no post at all
    cast.li.collector.grids.set([cast.areas["grid1"]])  # Li now works grid 001 only
    assert numbers(case_layer(signed_in(cast.li))) == {mine.number}
    assert numbers(case_layer(signed_in(cast.qian))) == {mine.number, in_grid4.number}  # 金水区 reads its district


def test_the_light_turns_yellow_then_red_as_the_deadline_comes(cast, now):
    case = make_case(cast, S.HANDLING)
    sun = signed_in(cast.sun)
    opened = make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1])  # on the 派遣 step's clock

    def light(which) -> str:
        found = {f["id"]: f["properties"]["light"] for f in case_layer(sun)["features"]}
        # The map's many-case light is cases.clock's, case for case.
        assert found[str(which.pk)] == str(clock.light(which, now.at))
        return found[str(which.pk)]

    assert (light(case), light(opened)) == ("green", "green")
    now.at = case.due_at - dt.timedelta(minutes=5)  # over 80 % of the 4 working hours used
    assert light(case) == "yellow"
    now.at = case.due_at + dt.timedelta(minutes=1)
    assert (light(case), light(opened)) == ("red", "red")


def test_only_cases_in_the_box_are_given_and_a_bad_box_is_refused(cast):
    west = make_case(cast, S.OPEN, lon=GRID1[0], lat=GRID1[1])  # 113.6605
    make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1])  # 113.6615
    sun = signed_in(cast.sun)
    assert numbers(case_layer(sun, bbox="113.660,34.768,113.661,34.770")) == {west.number}
    r = sun.get("/map/cases.geojson", {"bbox": "113.67,34.76,113.65,34.78", "zoom": 16})
    assert r.status_code == 400 and r.json()["field"] == "bbox"


def test_zoomed_out_the_cases_are_counted_per_area_with_the_overdue_ones(cast, now):
    late = make_case(cast, S.HANDLING)
    make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1])
    now.at = late.due_at + dt.timedelta(hours=1)
    make_case(cast, S.REPORTED)
    body = case_layer(signed_in(cast.sun), zoom=11)
    assert (body["mode"], body["level"]) == ("counts", "street")
    [street] = body["features"]
    assert street["properties"] == {
        "code": "410105001", "name": "经八路街道", "level": "street", "count": 3, "overdue": 2,
    }  # the handling case past its deadline, and the open one past its 派遣 step's limit
    # The centres' counts come from the per-grid tallies, a district operator's from SQL: the same numbers.
    assert case_layer(signed_in(cast.qian), zoom=11)["features"] == body["features"]
    assert [f["properties"]["count"] for f in case_layer(signed_in(cast.zhou), zoom=11)["features"]] == [1]
    district = case_layer(signed_in(cast.sun), zoom=9)
    assert district["level"] == "district" and district["features"][0]["properties"]["count"] == 3


def test_more_open_cases_than_the_cap_are_counted_per_grid(cast, monkeypatch):
    make_case(cast, S.OPEN)
    make_case(cast, S.OPEN)
    make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1])
    monkeypatch.setattr(caselayer, "POINT_CAP", 2)
    body = case_layer(signed_in(cast.sun), zoom=16)
    assert (body["mode"], body["level"]) == ("counts", "grid")
    assert {f["id"]: f["properties"]["count"] for f in body["features"]} == {
        "410105001001001": 2, "410105001001004": 1,
    }


def test_heat_counts_cases_by_class_and_period_per_grid(cast, now):
    for _ in range(3):
        open_with_class(cast, "06001", 1)  # 私搭乱建, grid 001
    open_with_class(cast, "06001", 1, lon=GRID4[0], lat=GRID4[1])
    open_with_class(cast, "01001", 2, lon=GRID4[0], lat=GRID4[1])  # 供水井盖
    now.at = MONDAY_9AM + dt.timedelta(days=3)
    open_with_class(cast, "06001", 1)  # Thursday
    sun = signed_in(cast.sun)

    def heat(**params) -> dict:
        r = sun.get("/map/heat.json", {"bbox": BOX, "zoom": 15, **params})
        assert r.status_code == 200, r.content.decode()
        return r.json()

    monday = {"since": "2026-11-30", "until": "2026-11-30"}
    body = heat(classes="06001", **monday)
    assert (body["level"], body["total"], body["max"]) == ("grid", 4, 3)
    assert [p[2] for p in body["points"]] == [3, 1]
    assert body["points"][0][:2] == pytest.approx([GRID1[1], GRID1[0]])
    assert heat(classes="01001", **monday)["total"] == 1
    assert heat(**monday)["total"] == 5  # every class, by the day in the case number
    assert heat(classes="06001")["total"] == 5  # the default: the last 30 days up to today (Thursday)
    assert heat(classes="06001", since="2026-12-01", until="2026-12-03")["total"] == 1
    assert heat(classes="")["total"] == 0
    community = sun.get("/map/heat.json", {"bbox": BOX, "zoom": 12, **monday}).json()
    assert (community["level"], community["points"][0][2]) == ("community", 5)
    bad = sun.get("/map/heat.json", {"bbox": BOX, "zoom": 15, "since": "30.11.2026"})
    assert bad.status_code == 400 and bad.json()["field"] == "since"
    too_long = sun.get("/map/heat.json", {"bbox": BOX, "zoom": 15, "since": "2025-01-01", "until": "2026-11-30"})
    assert too_long.status_code == 400


def test_the_area_panel_lists_its_open_cases_by_deadline_with_access(cast, now):
    late = make_case(cast, S.HANDLING)
    other = make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1])
    make_case(cast, S.CLOSED)
    now.at = late.due_at + dt.timedelta(minutes=10)
    grid1 = signed_in(cast.sun).get("/map/areas/410105001001001.json").json()["properties"]["cases"]
    assert (grid1["open"], grid1["overdue"]) == (1, 1)
    assert [(c["number"], c["light"], c["url"]) for c in grid1["items"]] == [
        (late.number, "red", f"/work/cases/{late.pk}/"),
    ]
    district = signed_in(cast.sun).get("/map/areas/410105.json").json()["properties"]["cases"]
    # Earliest deadline first: the open case's 派遣 step ends before the department's 4 working hours.
    assert other.step_due_at < late.due_at
    assert district["open"] == 2 and [c["id"] for c in district["items"]] == [other.pk, late.pk]
    zhou = signed_in(cast.zhou).get("/map/areas/410105.json").json()["properties"]["cases"]
    assert [c["id"] for c in zhou["items"]] == [late.pk]


def test_area_ranges_follow_the_grid_code_prefix():
    assert caselayer._next_code("410105") == "410106"
    assert caselayer._next_code("410109") == "410110"
    assert caselayer._next_code("999") is None


def test_the_map_page_offers_the_case_layers_only_to_signed_in_users(client, cast):
    anonymous = client.get("/map/").content.decode()
    assert 'id="show-cases"' not in anonymous and "leaflet-heat.js" not in anonymous
    page = signed_in(cast.sun).get("/map/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="show-cases"' in page and 'id="heat-class"' in page and "leaflet-heat.js" in page
    assert 'data-cases-url="/map/cases.geojson"' in page and 'value="06001"' in page


def statements_sent(fn) -> list[str]:
    """The SQL fn() sends on the default connection, raw driver reads (db.select) included, which Django's
    query log does not see."""
    from django.db import connection

    connection.ensure_connection()
    sent: list[str] = []
    driver = connection.connection
    if connection.vendor == "sqlite":
        driver.set_trace_callback(sent.append)
        try:
            fn()
        finally:
            driver.set_trace_callback(None)
        return sent
    factory = driver.cursor_factory

    class Counting(factory):
        def execute(self, query, *args, **kwargs):
            sent.append(str(query))
            return super().execute(query, *args, **kwargs)

    driver.cursor_factory = Counting
    try:
        fn()
    finally:
        driver.cursor_factory = factory
    return sent


def test_the_tallies_of_every_level_come_from_one_query(cast, now):
    make_case(cast, S.HANDLING)
    make_case(cast, S.OPEN)
    make_case(cast, S.OPEN, lon=GRID4[0], lat=GRID4[1])
    caselayer.forget_tallies()
    found = {}
    sent = statements_sent(lambda: found.update(levels=caselayer.tallies(now.at)))
    assert len(sent) == 1 and "GROUP BY" in sent[0], sent
    levels = found["levels"]
    grids = levels["grid"].under("410105001")
    assert sorted((code, t.count) for code, t in grids.items()) == [("410105001001001", 2), ("410105001001004", 1)]
    [(street, tally)] = levels["street"].in_box(caselayer.BBox(113.0, 34.0, 114.0, 35.0)).items()
    assert (street, tally.count, tally.overdue) == ("410105001", 3, 0)
    assert tally.lon == pytest.approx((2 * GRID1[0] + GRID4[0]) / 3, abs=1e-3)
    assert levels["district"].under("410102") == {}
