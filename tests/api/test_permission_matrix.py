"""Who may do what on the new resources of /api/v1/, for every person of the cast, a leader and a system
administrator: deny by default. Reading areas, the catalogue and components is public; evaluation reports are
for the centres' city-wide posts (as the report pages); the inventory changes only with the admin's permissions."""

import datetime as dt
import json

import pytest
from django.test import Client

from tests.components.conftest import GRID_CENTRES, WATER_USCC
from tests.factories import OrganisationFactory, UserFactory, appoint, component_class
from urbangrid.cases.access import CITY_WIDE
from urbangrid.core.posts import Post

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 1).isoformat()


def everybody(cast) -> dict[str, tuple]:
    """name → (user, its posts)."""
    people = {name: (user, {Post(a.post) for a in user.appointments.all()}) for name, user in cast.people().items()}
    leader = UserFactory(username="leader")
    appoint(leader, Post.LEADER, cast.supervision)
    admin = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)
    appoint(admin, Post.SYSTEM_ADMIN, cast.command)
    return {**people, "leader": (leader, {Post.LEADER}), "sysadmin": (admin, {Post.SYSTEM_ADMIN})}


def test_every_post_against_every_new_operation(cast):
    component_class("01001", "供水井盖")
    OrganisationFactory(name="郑州市供水公司", uscc=WATER_USCC)
    lon, lat = GRID_CENTRES["410105001001001"]
    outcomes = {}
    for n, (name, (user, posts)) in enumerate(everybody(cast).items(), start=1):
        client = Client()
        client.force_login(user)
        new = {"identifier": f"41010501001{n:06d}", "name": "井盖", "competent_department_code": WATER_USCC,
               "initial_date": "20250101", "lon": lon, "lat": lat}
        outcomes[name] = (
            client.get("/api/v1/areas").status_code,
            client.get("/api/v1/catalog/classes").status_code,
            client.get("/api/v1/components").status_code,
            client.get("/api/v1/evaluation/report", {"day": DAY}).status_code,
            client.post("/api/v1/components", json.dumps(new), "application/json").status_code,
        )
        reports = 200 if posts & CITY_WIDE else 403
        changes = 201 if user.is_superuser else 403
        assert outcomes[name] == (200, 200, 200, reports, changes), name
    assert {name for name, o in outcomes.items() if o[3] == 200} == {"wang", "zhao", "sun", "leader"}
    assert {name for name, o in outcomes.items() if o[4] == 201} == {"sysadmin"}
