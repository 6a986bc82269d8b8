"""Errors are JSON with a stable code, a message in the user's language and the field they are about."""

import json

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import Api
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def post_open(user, case, language: str | None = None, **body):
    headers = {"Accept-Language": language} if language else {}
    payload = json.dumps({"version": case.version, **body})
    return Api(user).client.post(f"/api/v1/cases/{case.pk}/actions/open", payload, "application/json", headers=headers)


def test_a_refusal_names_the_action_and_the_posts_in_chinese(cast):
    case = make_case(cast, State.ACCEPTED)
    response = post_open(cast.wang, case)
    assert response.json() == {"code": "forbidden", "message": "立案需要以下岗位之一：值班长"}


def test_missing_inputs_are_named_as_a_person_reads_them(cast):
    case = make_case(cast, State.ACCEPTED)
    body = post_open(cast.zhao, case, class_code="06001").json()
    assert body == {"code": "invalid_input", "message": "立案还需要：类别和立案条件", "field": "condition"}


def test_the_language_follows_the_request(cast):
    case = make_case(cast, State.ACCEPTED)
    stale = post_open(cast.zhao, case, language="en", version=1).json()
    assert stale["message"] == f"The case has changed since you loaded it (now version {case.version}); reload it."
    assert post_open(cast.zhao, case, version=1).json()["message"] == (
        f"案卷在您打开后已被修改（当前版本 {case.version}），请刷新后重试。")


def test_an_action_not_possible_in_the_state_is_a_conflict(cast):
    case = make_case(cast, State.REPORTED)
    response = post_open(cast.zhao, case)
    assert (response.status_code, response.json()["code"]) == (409, "not_possible")


def test_an_unknown_action_is_invalid_input(cast):
    case = make_case(cast, State.REPORTED)
    response = Api(cast.wang).act(case, "teleport")
    assert (response.status_code, response.json()["field"]) == (422, "action")
