"""Personal API tokens: a Bearer token acts as its user, with the same permission checks as the session."""

import datetime as dt
import hashlib
import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1
from urbangrid.api import tokens
from urbangrid.api.models import ApiToken
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def report(client: Client):
    body = {"description": "井盖破损", "lon": GRID1[0], "lat": GRID1[1], "kind": "matter"}
    return client.post("/api/v1/cases", json.dumps(body), "application/json")


def test_the_cli_prints_a_token_that_is_stored_only_as_its_digest(cast):
    out = io.StringIO()
    args = ["create", "li", "--name", "patrol app", "--scope", "write"]
    call_command("apitoken", *args, stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    record = ApiToken.objects.get(user=cast.li)
    assert token.startswith(f"ugt_{record.prefix}_")
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiToken.objects.values()))


def test_a_token_sees_exactly_what_its_user_sees(cast, as_user):
    case = make_case(cast, State.REPORTED)
    _, li_token = tokens.issue(cast.li, "script")
    _, chen_token = tokens.issue(cast.chen, "script")
    by_session = as_user(cast.li).get("/cases").json()
    by_token = bearer(li_token).get("/api/v1/cases").json()
    assert by_token == by_session and [c["id"] for c in by_token["items"]] == [case.pk]
    assert bearer(chen_token).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert bearer(chen_token).get("/api/v1/cases").json()["items"] == []


def test_a_read_only_token_changes_nothing(cast):
    _, token = tokens.issue(cast.li, "dashboard", scope="read")
    response = report(bearer(token))
    assert response.status_code == 403 and response.json()["code"] == "token_read_only"


def test_a_write_token_reports_and_acts_under_the_same_rules(cast):
    _, li = tokens.issue(cast.li, "patrol app", scope="write")
    created = report(bearer(li))
    assert created.status_code == 201, created.content
    assert created.json()["source"] == "collector"
    _, chen = tokens.issue(cast.chen, "script", scope="write")
    refused = report(bearer(chen))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_revoked_expired_and_malformed_tokens_get_401_without_falling_back_to_the_session(cast, now):
    record, token = tokens.issue(cast.li, "old")
    session_and_bad_token = Client(headers={"Authorization": "Bearer ugt_nope"})
    session_and_bad_token.force_login(cast.li)
    assert session_and_bad_token.get("/api/v1/cases").json()["code"] == "invalid_token"
    assert Client(headers={"Authorization": f"Token {token}"}).get("/api/v1/cases").status_code == 401
    tokens.revoke(record.prefix)
    assert bearer(token).get("/api/v1/cases").status_code == 401
    _, expiring = tokens.issue(cast.li, "short", expires_at=now() + dt.timedelta(hours=1))
    assert bearer(expiring).get("/api/v1/cases").status_code == 200
    now.move(hours=2)
    response = bearer(expiring).get("/api/v1/cases")
    assert response.status_code == 401 and response.json()["code"] == "token_expired"


def test_the_last_use_is_recorded(cast, now):
    record, token = tokens.issue(cast.li, "script")
    bearer(token).get("/api/v1/queues")
    record.refresh_from_db()
    assert record.last_used_at == now()


def test_a_caller_over_the_rate_limit_gets_429_with_retry_after(cast, settings):
    settings.API_RATE_LIMIT = 3
    _, token = tokens.issue(cast.li, "busy script")
    client = bearer(token)
    assert [client.get("/api/v1/queues").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/queues")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    _, other = tokens.issue(cast.wang, "another caller")
    assert bearer(other).get("/api/v1/queues").status_code == 200  # counted apart


def test_a_token_may_carry_its_own_rate_limit(cast, settings):
    settings.API_RATE_LIMIT = 100
    _, token = tokens.issue(cast.li, "slow lane", rate_limit=1)
    assert [bearer(token).get("/api/v1/queues").status_code for _ in range(2)] == [200, 429]


def test_the_openapi_document_offers_bearer_tokens(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_an_administrator_issues_and_revokes_a_token_in_the_admin(admin_client, cast):
    response = admin_client.post("/admin/api/apitoken/add/", {"user": cast.li.pk, "name": "from admin",
                                                                "scope": "read"}, follow=True)
    record = ApiToken.objects.get(name="from admin")
    shown = [str(m) for m in response.context["messages"]]
    [token] = re.findall(r"ugt_[A-Za-z0-9_-]+", " ".join(shown))
    assert bearer(token).get("/api/v1/queues").status_code == 200
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [record.pk]})
    assert bearer(token).get("/api/v1/queues").status_code == 401
