"""cases.access, one rule per test: who sees a case and which posts count on it."""

import datetime as dt

import pytest

from tests.cases.builders import make_case
from tests.factories import OrganisationFactory, UserFactory, appoint
from urbangrid.cases import access
from urbangrid.cases.errors import CaseNotFound, NotAllowed
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_centre_posts_count_on_every_case(cast):
    case = make_case(cast, State.REPORTED)
    assert access.posts_for(cast.wang, case) == {Post.INTAKE_OPERATOR}
    assert access.posts_for(cast.zhao, case) == {Post.SHIFT_LEADER}
    assert access.posts_for(cast.sun, case) == {Post.DISPATCHER}


def test_a_handler_counts_only_on_cases_with_their_department(cast):
    case = make_case(cast, State.DISPATCHED)
    assert access.posts_for(cast.zhou, case) == {Post.DEPARTMENT_HANDLER}
    assert access.posts_for(cast.wu, case) == set()
    assert not access.may_see(cast.wu, case)


def test_a_district_operator_reads_its_district_but_acts_only_on_forwarded_cases(cast):
    case = make_case(cast, State.OPEN)
    assert access.may_see(cast.qian, case) and access.posts_for(cast.qian, case) == set()
    forwarded = make_case(cast, State.AT_DISTRICT)
    assert access.posts_for(cast.qian, forwarded) == {Post.DISTRICT_OPERATOR}


def test_a_district_operator_coordinates_disputes_in_its_district(cast):
    case = make_case(cast, State.DISTRICT_COORDINATION)
    assert access.posts_for(cast.qian, case) == {Post.DISTRICT_OPERATOR}


def test_another_districts_operator_neither_reads_nor_acts(cast, small_city):
    from tests.factories import make_area, square

    other_district = make_area("410102", "中原区", square(5, 5))
    centre = OrganisationFactory(kind="district_command_centre", area=other_district, party_type="")
    stranger = UserFactory(username="zhengzhou-zy")
    appoint(stranger, "district_operator", centre)
    case = make_case(cast, State.DISTRICT_COORDINATION)
    assert not access.may_see(stranger, case)


def test_a_collector_counts_in_their_grids_only_while_certified(cast):
    case = make_case(cast, State.VERIFYING)
    assert access.posts_for(cast.li, case) == {Post.COLLECTOR}
    cast.li.collector.certificate_expires = dt.date(2020, 1, 1)
    cast.li.collector.save()
    assert access.posts_for(cast.li, case) == set()


def test_the_reporter_reads_their_own_case_without_a_post_on_it(cast):
    case = make_case(cast, State.REPORTED)
    cast.li.collector.grids.clear()
    assert access.posts_for(cast.li, case) == set()
    assert access.may_see(cast.li, case)
    assert access.access_case(cast.li, case.pk) == case


def test_inactive_people_appointments_and_organisations_count_for_nothing(cast):
    case = make_case(cast, State.REPORTED)
    cast.sun.appointments.update(active=False)
    assert not access.may_see(cast.sun, case)
    cast.supervision.active = False
    cast.supervision.save()
    assert not access.may_see(cast.wang, case)
    cast.zhao.is_active = False
    cast.zhao.save()
    assert not access.may_see(cast.zhao, case)
    assert access.visible_cases(cast.zhao).count() == 0


def test_a_system_administrator_acts_on_no_case(cast):
    admin = UserFactory(username="admin")
    appoint(admin, "system_admin", cast.supervision)
    case = make_case(cast, State.REPORTED)
    assert not access.may_see(admin, case)


def test_access_case_is_one_error_for_missing_and_hidden_cases(cast):
    case = make_case(cast, State.REPORTED)
    with pytest.raises(CaseNotFound) as hidden:
        access.access_case(cast.chen, case.pk)
    with pytest.raises(CaseNotFound) as missing:
        access.access_case(cast.chen, 10**9)
    assert str(hidden.value) == str(missing.value)


def test_access_case_with_an_action_refuses_who_holds_no_post_for_it(cast):
    case = make_case(cast, State.REPORTED)
    assert access.access_case(cast.wang, case.pk, "accept") == case
    with pytest.raises(NotAllowed):
        access.access_case(cast.zhao, case.pk, "accept")


def test_the_visible_list_agrees_with_may_see_for_everyone(cast):
    for state in (State.REPORTED, State.DISPATCHED, State.REFERRED, State.AT_DISTRICT):
        make_case(cast, state)
    everyone = Case.objects.all()
    for user in [*cast.people().values(), cast.chen]:
        listed = set(access.visible_cases(user).values_list("pk", flat=True))
        assert listed == {case.pk for case in everyone if access.may_see(user, case)}, user.username


def test_an_area_is_a_range_of_the_grid_code_index():
    from django.db.models import Q

    assert access.in_area("410105") == Q(grid_code__gte="410105", grid_code__lt="410106")
    assert access.in_area("410109001") == Q(grid_code__gte="410109001", grid_code__lt="410109002")
    assert access.in_area("999") == Q(grid_code__startswith="999")  # no next code of the same length
