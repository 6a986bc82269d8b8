"""Who reaches which page: sign-in first, each post its own queue, case files only within the user's scope."""

import pytest

from tests.cases.builders import make_case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db

QUEUE_OF = {
    "li": "collector", "wang": "intake_operator", "zhao": "shift_leader", "sun": "dispatcher",
    "qian": "district_operator", "zhou": "department_handler",
}


@pytest.mark.parametrize("url", ["/work/", "/work/queue/intake_operator/", "/work/cases/1/"])
def test_anonymous_visitors_are_sent_to_our_own_sign_in_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_sign_in_page_is_ours_in_chinese_and_signs_in(client, cast):
    page = client.get("/accounts/login/")
    assert "登录工作台" in page.content.decode() and "/admin/" not in page["Content-Type"]
    wrong = client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    assert wrong.status_code == 200 and 'value="wang"' in wrong.content.decode()  # the name typed is kept
    right = client.post("/accounts/login/", {"username": "wang", "password": "test-pass-123", "next": "/work/"})
    assert right.status_code == 302 and right["Location"] == "/work/"
    home = client.get("/work/").content.decode()
    assert "受理员" in home and "退出" in home


def test_signing_out_needs_a_post_and_ends_the_session(browse, cast):
    client = browse(cast.wang)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/work/").status_code == 302


@pytest.mark.parametrize("who", QUEUE_OF)
def test_each_post_sees_only_its_own_queue(browse, cast, who):
    client = browse(getattr(cast, who))
    for name, post in QUEUE_OF.items():
        expected = 200 if name == who else 404
        assert client.get(f"/work/queue/{post}/").status_code == expected, (who, post)
    assert client.get("/work/queue/leader/").status_code == 404
    assert client.get("/work/queue/nonsense/").status_code == 404


def test_someone_without_a_post_has_an_empty_workbench(browse, cast):
    page = browse(cast.chen).get("/work/")
    assert page.status_code == 200 and "没有带工作队列的岗位" in page.content.decode()


def test_a_department_cannot_open_another_departments_case_file(browse, cast):
    case = make_case(cast, State.DISPATCHED)  # to 市政局 (Zhou)
    assert browse(cast.zhou).get(f"/work/cases/{case.pk}/").status_code == 200
    assert browse(cast.wu).get(f"/work/cases/{case.pk}/").status_code == 404
    assert browse(cast.chen).get(f"/work/cases/{case.pk}/").status_code == 404
    assert browse(cast.wang).get("/work/cases/999999/").status_code == 404


def test_acting_on_someone_elses_case_is_refused_like_a_missing_one(browse, cast):
    case = make_case(cast, State.DISPATCHED)
    response = browse(cast.wu).post(f"/work/cases/{case.pk}/act/take/", {"version": str(case.version)})
    assert response.status_code == 404


def test_the_navigation_counts_each_queue(browse, cast):
    make_case(cast, State.REPORTED)
    make_case(cast, State.REPORTED)
    page = browse(cast.wang).get("/work/").content.decode()
    assert 'href="/work/queue/intake_operator/"' in page
    assert '受理员 <span class="badge">2</span>' in page


def test_the_workbench_speaks_english_when_switched(browse, cast):
    make_case(cast, State.REPORTED)
    client = browse(cast.wang)
    client.post("/i18n/setlang/", {"language": "en", "next": "/work/"})
    page = client.get("/work/queue/intake_operator/").content.decode()
    assert "Intake operator" in page and "Reject as invalid" in page and "不予受理" not in page
