"""Case export: streamed CSV and GeoJSON, XLSX, only the cases the user may see, never the reporter's data."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.cases.builders import make_case
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(cast):
    handling = make_case(cast, State.HANDLING, reporter_phone="13900000000")
    reported = make_case(cast, State.REPORTED)
    return handling, reported


def test_csv_is_streamed_with_chinese_headers_and_no_reporter_phone(cast, as_user, two_cases):
    response = as_user(cast.wang).client.get("/api/v1/cases/export?format=csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff案卷编号,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == [c.number for c in two_cases]
    assert rows[1][1] == "处置中" and "13900000000" not in text


def test_filters_and_what_the_user_may_see(cast, as_user, two_cases):
    handling, _reported = two_cases
    by_state = b"".join(as_user(cast.wang).client.get("/api/v1/cases/export?state=handling").streaming_content)
    lines = by_state.decode().splitlines()[1:]
    assert len(lines) == 1 and handling.number in lines[0]
    for_chen = as_user(cast.chen).client.get("/api/v1/cases/export")
    assert b"".join(for_chen.streaming_content).decode().count("\n") == 1  # the header only


def test_xlsx_and_geojson(cast, as_user, two_cases):
    client = as_user(cast.wang).client
    response = client.get("/api/v1/cases/export?format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.values)
    assert [row[0] for row in rows[1:]] == [c.number for c in two_cases]
    collection = json.loads(b"".join(client.get("/api/v1/cases/export?format=geojson").streaming_content))
    [first, _second] = collection["features"]
    assert first["properties"]["number"] == two_cases[0].number
    assert first["geometry"]["coordinates"] == [two_cases[0].lon, two_cases[0].lat]


def test_bad_arguments_are_refused(cast, as_user):
    client = as_user(cast.wang).client
    assert client.get("/api/v1/cases/export?format=pdf").json()["field"] == "format"
    assert client.get("/api/v1/cases/export?area=jinshui").json()["field"] == "area"
    assert client.get("/api/v1/cases/export?state=lost").status_code == 422
    assert as_user(None).client.get("/api/v1/cases/export").status_code == 401


def test_the_command_writes_a_file(cast, two_cases, tmp_path):
    out = io.StringIO()
    call_command("exportcases", tmp_path / "cases.csv", "--state", "reported", stdout=out, verbosity=0)
    rows = list(csv.reader((tmp_path / "cases.csv").open(encoding="utf-8-sig")))
    assert [r[0] for r in rows[1:]] == [two_cases[1].number] and "1" in out.getvalue()
    call_command("exportcases", tmp_path / "cases.xlsx", stdout=io.StringIO(), verbosity=0)
    assert len(list(load_workbook(tmp_path / "cases.xlsx", read_only=True).active.values)) == 3
