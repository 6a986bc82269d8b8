"""The permission matrix for the posts and scopes that tests/cases/test_permissions.py leaves out.

That test walks every row of core.workflow.MOVES for the nine people of the case tests. This one adds, for
every row on a case in the row's source state, the rest of core.posts.Post and the people just outside a scope:
a 领导 (city-wide reader, acts only where the table names LEADER), a 系统管理员 who is a Django superuser (acts on
no case: no row names SYSTEM_ADMIN), a collector without the case's grid, a collector of the grid whose
certificate ran out, another district's command-centre operator, and someone holding every post in an
organisation that was deactivated. Expected outcomes are derived from the table: allowed ⇔ the post is in
the row and the person is in scope; refused with 403 when the person may see the case (409 for the rows no
post holds, which only the system takes), 404 otherwise.
"""

import datetime as dt

import pytest
import shapely

from tests.cases.builders import make_case, photo
from tests.cases.helpers import Api
from tests.cases.test_permissions import PHOTOS, case_fields, inputs
from tests.factories import OrganisationFactory, UserFactory, appoint, certified_collector, make_area
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import MOVES

pytestmark = pytest.mark.django_db
ROWS = sorted({(move.source, str(move.action)) for move in MOVES})
TABLE_POSTS = {key: frozenset().union(*(m.posts for m in MOVES if (m.source, str(m.action)) == key)) for key in ROWS}


def outsiders(cast) -> dict[str, tuple]:
    """name → (user, the post that would allow, whether in scope for acting, whether they may see the case)."""
    leader = UserFactory(username="leader")
    appoint(leader, Post.LEADER, cast.supervision)
    admin = UserFactory(username="sysadmin", is_staff=True, is_superuser=True)
    appoint(admin, Post.SYSTEM_ADMIN, cast.command)
    stranger = UserFactory(username="collector2")
    appoint(stranger, Post.COLLECTOR, cast.supervision)
    certified_collector(stranger, dt.date(2030, 12, 31))  # certified, but for no grid of the case
    expired = UserFactory(username="collector3")
    appoint(expired, Post.COLLECTOR, cast.supervision)
    certified_collector(expired, dt.date(2020, 12, 31)).grids.set([cast.areas["grid1"]])
    elsewhere = make_area("410102", "中原区", shapely.box(113.50, 34.70, 113.55, 34.75))
    other_centre = OrganisationFactory(kind="district_command_centre", name="中原区指挥中心", area=elsewhere,
                                       party_type="")
    operator = UserFactory(username="operator2")
    appoint(operator, Post.DISTRICT_OPERATOR, other_centre)
    client = UserFactory(username="open311-client")  # an outside system: reports, reads only its own reports
    appoint(client, Post.REPORTING_SYSTEM, cast.supervision)
    everything = UserFactory(username="disbanded")
    closed = OrganisationFactory(name="已撤销单位", active=False)
    for post in Post:
        appoint(everything, post, closed)
    return {
        "leader": (leader, Post.LEADER, True, True),
        "sysadmin": (admin, Post.SYSTEM_ADMIN, True, False),
        "collector of other grids": (stranger, Post.COLLECTOR, False, False),
        "collector with an expired certificate": (expired, Post.COLLECTOR, False, False),
        "operator of another district": (operator, Post.DISTRICT_OPERATOR, False, False),
        "reporting system (Open311 client)": (client, Post.REPORTING_SYSTEM, False, False),
        "every post in a closed organisation": (everything, None, False, False),
    }


def test_every_post_is_in_one_matrix_or_the_other():
    cast_posts = {Post.COLLECTOR, Post.INTAKE_OPERATOR, Post.SHIFT_LEADER, Post.DISPATCHER,
                  Post.DISTRICT_OPERATOR, Post.DEPARTMENT_HANDLER}  # tests/cases/test_permissions.py
    assert cast_posts | {Post.LEADER, Post.SYSTEM_ADMIN, Post.REPORTING_SYSTEM} == set(Post)
    assert not any({Post.SYSTEM_ADMIN, Post.REPORTING_SYSTEM} & posts for posts in TABLE_POSTS.values())


@pytest.mark.parametrize(("state", "action"), ROWS, ids=lambda v: str(v))
def test_outside_the_cast_only_the_table_and_the_scope_allow(cast, now, state, action):
    people = outsiders(cast)
    case = make_case(cast, state, **case_fields(action))
    if action == "supervise":
        now.at += dt.timedelta(days=3)
    body = inputs(cast, state, action)
    allowed_here = []
    for name, (user, post, in_scope, sees) in people.items():
        allowed = post in TABLE_POSTS[(state, action)] and in_scope
        if allowed:
            allowed_here.append((name, user))
            continue
        response = Api(user).act(case, action, **body)
        by_hand = bool(TABLE_POSTS[(state, action)])  # rows no post holds are the system's own (409)
        assert response.status_code == ((403 if by_hand else 409) if sees else 404), (name, response.content)
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.version, fresh.events.count()) == (case.version, case.version), name
    assert [name for name, _ in allowed_here] == (["leader"] if action == "supervise" else [])
    for name, user in allowed_here:
        attachments = [photo(case, user, kind).pk for kind in PHOTOS.get(action, [])]
        response = Api(user).act(case, action, attachments=attachments, **body)
        assert response.status_code == 200, (name, response.content)


def test_a_django_superuser_without_posts_sees_no_case(cast):
    """Django's superuser flag opens the admin, never the cases: only posts do."""
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    case = make_case(cast)
    api = Api(admin)
    assert api.get(f"/cases/{case.pk}").status_code == 404
    assert api.get("/cases").json()["items"] == []
    assert api.act(case, "accept").status_code == 404
