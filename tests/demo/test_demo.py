"""`urbangrid demo --small`: the demo city is complete, consistent, locatable and seeded only once."""

import json

import numpy as np
import pytest
import shapely
from django.db.models import Count

from tests.demo.conftest import run_demo
from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation, User
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.components.models import Component
from urbangrid.core.codes import parse_component_id, parse_uscc
from urbangrid.core.coords import gcj02_to_wgs84
from urbangrid.core.posts import Post
from urbangrid.demo import areas, cast
from urbangrid.grid import locating
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    found = {f"areas:{level}": n for level, n in Area.objects.values_list("level").annotate(n=Count("id"))}
    found.update(
        organisations=Organisation.objects.count(),
        users=User.objects.count(),
        appointments=Appointment.objects.count(),
        collector_grids=CollectorProfile.grids.through.objects.count(),
        components=Component.objects.count(),
        cases=Case.objects.count(),
        events=CaseEvent.objects.count(),
    )
    return found


def test_a_second_run_creates_nothing(demo_city):
    before = counts()
    output = run_demo()
    assert counts() == before
    assert " created" not in output
    assert output.count("already there, skipped") == 7


def test_cases_are_spread_over_the_workflow_by_its_own_actions(demo_city):
    states = dict(Case.objects.values_list("state").annotate(n=Count("id")))
    assert sum(states.values()) == 60
    assert {"closed", "handling", "reported", "rejected"} <= set(states)
    assert len(states) >= 10
    last_targets = {
        case_id: target
        for case_id, target in CaseEvent.objects.order_by("case_id", "seq").values_list("case_id", "target")
    }
    assert all(last_targets[pk] == state for pk, state in Case.objects.values_list("pk", "state"))
    assert Case.objects.filter(state="closed", events__action="pass_check").distinct().count() == states["closed"] - (
        Case.objects.filter(state="closed", self_handled=True).count()
    )


def test_every_level_exists_and_codes_nest(demo_city):
    found = counts()
    assert found["areas:district"] == 12  # every outline of the file, the outer counties included
    assert found["areas:street"] == len(cast.STREET_NAMES["410105"])  # 金水区 is split whole
    assert found["areas:community"] >= 2 * areas.COMMUNITIES_PER_STREET[0]
    assert found["areas:grid"] > 50 * found["areas:community"]
    for area in Area.objects.exclude(level="district").select_related("parent"):
        assert area.code.startswith(area.parent.code)
        assert len(area.code) == {"street": 9, "community": 12, "grid": 15}[area.level]
        assert area.parent.level == {"street": "district", "community": "street", "grid": "community"}[area.level]
    communities = Area.objects.filter(level="community")
    assert all(c.children.exists() for c in communities)  # every community of the small scope is cut


def test_grids_are_about_10000_m2_and_cover_their_community(demo_city):
    community = Area.objects.filter(level="community").first()
    grids = list(community.children.all())
    assert np.median([g.area_m2 for g in grids]) == pytest.approx(10_000, rel=0.01)
    assert sum(g.area_m2 for g in grids) == pytest.approx(community.area_m2, rel=1e-3)
    union = shapely.union_all([g.shape for g in grids])
    # Cut in metres and turned back into degrees, borders may move by millimetres, no more.
    assert shapely.symmetric_difference(union, community.shape).area < 1e-4 * community.shape.area


def test_districts_are_converted_from_gcj02_to_wgs84(demo_city):
    data = json.loads(areas.DISTRICTS_FILE.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["properties"]["adcode"] == "410105")
    gcj_lon, gcj_lat = feature["geometry"]["coordinates"][0][0][0]
    wgs_lon, wgs_lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    stored = Area.objects.get(code="410105").shape
    assert shapely.Point(wgs_lon, wgs_lat).distance(stored.boundary) < 1e-7
    assert shapely.Point(gcj_lon, gcj_lat).distance(stored.boundary) > 1e-3  # GCJ-02 is ~500 m off here


def test_a_point_inside_a_generated_grid_locates_to_it(demo_city):
    grids = list(Area.objects.filter(level="grid").order_by("code"))
    for grid in grids[:: max(1, len(grids) // 40)]:
        point = grid.shape.representative_point()
        found = locating.locate(point.x, point.y)
        assert not found["outside"]
        assert found["grid"]["code"] == grid.code
        assert found["community"]["code"] == grid.code[:12]
        assert found["street"]["code"] == grid.code[:9]
        assert found["district"] == {"code": "410105", "name": "金水区"}


def test_every_post_has_a_demo_user_who_can_log_in(demo_city, client):
    for post in Post:
        appointment = Appointment.objects.filter(post=post, active=True).select_related("user").first()
        assert appointment is not None, post
        # Through the sign-in page: the lockout backend needs the request. Demo accounts are not forced to
        # change their password, so the sign-in lands on the workbench.
        response = client.post("/accounts/login/", {"username": appointment.user.username,
                                                    "password": cast.DEMO_PASSWORD})
        if post == Post.REPORTING_SYSTEM:  # an Open311 client system, known by its API key: no person signs in
            assert response.status_code == 200 and not appointment.user.has_usable_password(), post
            continue
        assert response.status_code == 302 and response["Location"] == "/work/", post
        client.post("/accounts/logout/")
    collector = CollectorProfile.objects.get(user__username="li.jiandu")
    assert collector.is_certified()
    assert collector.grids.count() == 40


def test_departments_have_territories_responsibilities_and_valid_codes(demo_city):
    departments = Organisation.objects.filter(kind="department")
    assert departments.count() == 30  # 24 city-wide + one 城市管理局 per central district
    for department in departments:
        assert department.territory.exists(), department
        assert department.responsibilities.exists(), department
        assert parse_uscc(department.uscc) == department.uscc


def test_components_lie_in_the_grid_they_name(demo_city):
    rows = list(Component.objects.values_list("identifier", "grid_code", "klass__code", "lon", "lat"))
    assert len(rows) > 1000
    identifiers, grid_codes, classes, lons, lats = zip(*rows, strict=True)
    located = locating.get_locator(refresh=True).locate_many(np.array(lons), np.array(lats))
    assert list(located) == list(grid_codes)
    for identifier, grid_code, class_code in zip(identifiers, grid_codes, classes, strict=True):
        parsed = parse_component_id(identifier)
        assert (parsed.district, parsed.class_code) == (grid_code[:6], class_code)
    assert set(classes) <= set(cast.COMPONENT_MIX)


def test_components_have_responsible_departments(demo_city):
    water = Component.objects.filter(klass__code="01001").select_related("owner_unit", "competent_department")
    assert water.exists()
    assert {c.owner_unit.name for c in water} == {"郑州自来水投资控股有限公司"}
    assert {c.competent_department.name for c in water} == {"郑州市金水区城市管理局"}  # the 属地 fallback
    trees = Component.objects.filter(klass__code="04002").select_related("competent_department")
    assert {c.competent_department.name for c in trees} == {"郑州市园林局"}
