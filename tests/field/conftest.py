import pytest
from django.test import Client

from tests.cases.conftest import as_user, cast, fast_passwords, fresh_calendars, media, now  # noqa: F401


class Phone:
    """The field app's JSON calls as one collector's phone makes them: session first, then the device token."""

    def __init__(self, user, client: Client | None = None):
        self.user = user
        self.client = client or Client()
        self.client.force_login(user)
        response = self.client.post("/field/api/device")
        assert response.status_code == 201, response.content
        self.token = response.json()["token"]

    def headers(self) -> dict:
        return {"X-Field-Device": self.token}

    def get(self, url: str, **params):
        return self.client.get(f"/field/api/{url}", params, headers=self.headers())

    def post(self, url: str, data: dict, files: dict | None = None):
        body = {**data}
        for field, uploads in (files or {}).items():
            body[field] = uploads
        return self.client.post(f"/field/api/{url}", body, headers=self.headers())

    def post_json(self, url: str, body: dict):
        return self.client.post(f"/field/api/{url}", body, "application/json", headers=self.headers())


@pytest.fixture
def phone(cast):  # noqa: F811
    return Phone(cast.li)
