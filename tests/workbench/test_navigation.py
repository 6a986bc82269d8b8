"""The navigation offers the centres' pages only to those who may open them, and every signed-in user their
password and two-step sign-in pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def nav_of(user) -> str:
    client = Client()
    client.force_login(user)
    page = client.get("/work/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return page[page.index("<nav"):page.index("</nav>")]


def test_a_centre_post_sees_the_command_screen_and_the_evaluation(cast):
    nav = nav_of(cast.zhao)
    assert 'href="/command/"' in nav and 'href="/evaluation/"' in nav
    assert 'href="/accounts/password/"' in nav and 'href="/accounts/two-factor/"' in nav
    assert Client().get("/command/").status_code == 302  # and the pages themselves still ask who you are


def test_a_district_operator_sees_the_screen_of_the_district_not_the_evaluation(cast):
    nav = nav_of(cast.qian)
    assert 'href="/command/"' in nav and 'href="/evaluation/"' not in nav


def test_a_department_handler_sees_neither(cast):
    nav = nav_of(cast.zhou)
    assert "/command/" not in nav and "/evaluation/" not in nav
    assert 'href="/accounts/password/"' in nav


def test_the_hotline_field_app_and_tracks_are_offered_to_their_posts_only(cast):
    intake, shift_leader, collector, handler = (nav_of(u) for u in (cast.wang, cast.zhao, cast.li, cast.zhou))
    assert 'href="/hotline/"' in intake and 'href="/hotline/"' not in shift_leader + collector + handler
    assert 'href="/field/"' in collector and 'href="/field/"' not in intake + shift_leader + handler
    assert 'href="/field/tracks/"' in intake and 'href="/field/tracks/"' in shift_leader
    assert "/field/tracks/" not in collector + handler
    # and each link opens for the post it is offered to
    for user, url in ((cast.wang, "/hotline/"), (cast.li, "/field/"), (cast.zhao, "/field/tracks/")):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url
