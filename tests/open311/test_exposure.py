"""What a public Open311 GET may show (open311/servicerequests.py, SECURITY.md "Open311"), and a client's scope.

Public: only cases the centre reviewed and took on; phone and ID-card numbers in free text masked; photos of
published cases only, the media URL checking the same rule. With its api_key a client system also reads its
own reports in every state, unmasked; its post reaches no other case anywhere (API, workbench, Open311).
"""

import pytest

from tests.cases.builders import make_case, photo
from tests.cases.helpers import GRID1, Api
from urbangrid.cases import access, actions
from urbangrid.cases.models import Case
from urbangrid.core.posts import Post
from urbangrid.core.workflow import State
from urbangrid.open311 import keys

pytestmark = pytest.mark.django_db
HIDDEN = [State.REPORTED, State.SELF_REPORTED, State.ACCEPTED, State.VERIFYING, State.VERIFIED, State.REJECTED,
          State.VOIDED]
SHOWN = [State.OPEN, State.SELF_ACCEPTED, State.DISPATCHED, State.HANDLING, State.FED_BACK, State.CLOSED]
PERSONAL = "张三 13812345678 身份证 41010519900101123X 座机 0371-66881234"


def a_photo(cast, case):
    """A photo of the case: one taken on its way here, or a new one while it still takes photos."""
    return case.attachments.order_by("id").first() or photo(case, cast.li)


def listed(client, **params) -> list[str]:
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


def post(client, key: str, **form):
    form = {"api_key": key, "service_code": "06001", "lat": GRID1[1], "long": GRID1[0], **form}
    response = client.post("/open311/v2/requests.json", form)
    assert response.status_code == 201, response.content
    return Case.objects.get(number=response.json()[0]["service_request_id"])


@pytest.mark.parametrize("state", HIDDEN, ids=str)
def test_unreviewed_rejected_and_voided_cases_are_not_public(client, cast, state):
    case = make_case(cast, state)
    picture = None if state in (State.REJECTED, State.VOIDED) else a_photo(cast, case)
    assert case.number not in listed(client)
    assert case.number not in listed(client, service_request_id=case.number)
    assert client.get(f"/open311/v2/requests/{case.number}.json").status_code == 404
    if picture is not None:
        assert client.get(f"/open311/v2/media/{picture.pk}").status_code == 404


@pytest.mark.parametrize("state", SHOWN, ids=str)
def test_reviewed_cases_are_public_with_their_photos(client, cast, state):
    case = make_case(cast, state)
    picture = a_photo(cast, case)
    assert case.number in listed(client)
    [found] = client.get(f"/open311/v2/requests/{case.number}.json").json()
    assert found["media_url"].endswith(f"/open311/v2/media/{picture.pk}")
    assert client.get(f"/open311/v2/media/{picture.pk}").status_code == 200


def test_phone_and_id_numbers_in_free_text_are_masked_in_public(client, cast):
    case = make_case(cast, State.OPEN, description=PERSONAL)
    for body in (client.get(f"/open311/v2/requests/{case.number}.json?extensions=true").json()[0],
                 client.get("/open311/v2/requests.xml").content.decode()):
        text = str(body)
        assert "13812345678" not in text and "41010519900101123X" not in text and "66881234" not in text
        assert "138****5678" in text and "张三" in text  # masked the way the workbench masks, the rest kept


def test_a_client_reads_its_own_reports_in_every_state_and_no_one_elses(client, cast):
    mine_key, other_key = keys.create("app-one")[1], keys.create("app-two")[1]
    mine = post(client, mine_key, description=PERSONAL, first_name="三", last_name="张", phone="13900000000")
    theirs = post(client, other_key, description="另一个客户端的上报")
    assert mine.number not in listed(client)  # not reviewed yet: not public
    assert listed(client, api_key=mine_key) == [mine.number]
    [found] = client.get(f"/open311/v2/requests/{mine.number}.json", {"api_key": mine_key}).json()
    assert found["description"] == PERSONAL  # its own text, as it sent it
    assert "13900000000" not in str(found)  # the reporter's contact fields never come back
    assert client.get(f"/open311/v2/requests/{theirs.number}.json", {"api_key": mine_key}).status_code == 404
    reply = client.get("/open311/v2/requests.json", {"api_key": "o311_wrong"})
    assert reply.status_code == 403 and reply.json()[0]["code"] == 403


def test_a_clients_photo_is_its_own_until_the_case_is_published(client, cast):
    key = keys.create("app-one")[1]
    case = post(client, key)
    picture = photo(case, cast.wang)
    assert client.get(f"/open311/v2/media/{picture.pk}").status_code == 404
    assert client.get(f"/open311/v2/media/{picture.pk}", {"api_key": key}).status_code == 200
    for action in ("accept", "send_verification"):
        actions.act(case.pk, cast.wang, action, Case.objects.get(pk=case.pk).version)
    assert client.get(f"/open311/v2/media/{picture.pk}").status_code == 404  # 受理 is not yet 立案


def test_the_client_post_reaches_its_own_reports_only(client, cast):
    """The post a client holds is enough to report; it reads no case city-wide and acts on none."""
    record, key = keys.create("app-one")
    user = record.user
    assert user.posts() == {Post.REPORTING_SYSTEM}
    others = [make_case(cast, State.REPORTED), make_case(cast, State.OPEN)]
    mine = post(client, key)
    assert list(access.visible_cases(user)) == [mine]
    assert not any(access.may_see(user, case) for case in others)
    assert not access.posts_for(user, mine)  # reads its report, acts on nothing
    api = Api(user)
    assert api.get(f"/cases/{others[1].pk}").status_code == 404
    assert api.act(mine, "accept").status_code == 403
