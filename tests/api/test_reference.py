"""Areas, the catalogue and the evaluation results over /api/v1/: pages, filters, detail, permissions."""

import datetime as dt

import pytest
from django.test import Client

from tests.cases.builders import make_case
from tests.factories import component_class
from urbangrid.catalog.models import CatalogClass, LegacyCode
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def get(path: str, client: Client | None = None, **params):
    return (client or Client()).get(path, params)


def test_areas_are_paged_by_code_and_filtered(small_city):
    first = get("/api/v1/areas", limit=3).json()
    assert [a["code"] for a in first["items"]] == ["410105", "410105001", "410105001001"]
    assert first["next"] == "410105001001"
    rest = get("/api/v1/areas", limit=3, after=first["next"]).json()
    assert [a["code"] for a in rest["items"]] == [f"410105001001{n:03d}" for n in (1, 2, 3)]
    last = get("/api/v1/areas", limit=3, after=rest["next"]).json()
    assert [a["code"] for a in last["items"]] == ["410105001001004"] and last["next"] is None
    grids = get("/api/v1/areas", level="grid", code="41010500100100").json()["items"]
    assert len(grids) == 4 and grids[0]["parent"] == "410105001001"
    # The north-east cell only: 113.6615, 34.7695 lies in grid 002 (and in the areas around it).
    boxed = get("/api/v1/areas", level="grid", bbox="113.6612,34.7692,113.6618,34.7698").json()["items"]
    assert [a["code"] for a in boxed] == ["410105001001002"]


def test_one_area_has_its_boundary_as_geojson(small_city):
    found = get("/api/v1/areas/410105001001003").json()
    assert found["name"] == "第3网格" and found["level"] == "grid"
    assert found["geometry"]["type"] == "Polygon"
    west, south, east, north = found["bbox"]
    assert {tuple(p) for p in found["geometry"]["coordinates"][0]} == {
        (west, south), (east, south), (east, north), (west, north)
    }
    assert get("/api/v1/areas/410105001001009").status_code == 404
    assert get("/api/v1/areas/jinshui").json()["field"] == "code"


@pytest.mark.parametrize(("params", "field"), [
    ({"bbox": "1,2,3"}, "bbox"), ({"bbox": "3,2,1,4"}, "bbox"), ({"bbox": "a,b,c,d"}, "bbox"),
    ({"level": "city"}, "level"), ({"code": "41 01"}, "code"), ({"limit": 0}, "limit"),
])
def test_bad_area_filters_name_the_field(small_city, params, field):
    response = get("/api/v1/areas", **params)
    assert response.status_code in (400, 422) and response.json()["field"].endswith(field)


def test_catalogue_classes_conditions_and_legacy_codes(db):
    classes = get("/api/v1/catalog/classes", kind="matter", limit=5).json()
    assert len(classes["items"]) == 5 and classes["next"] and {c["kind"] for c in classes["items"]} == {"matter"}
    with_conditions = CatalogClass.objects.filter(kind="matter", conditions__isnull=False).first()
    detail = get(f"/api/v1/catalog/classes/matter/{with_conditions.code}").json()
    assert detail["name"] == with_conditions.name
    first = with_conditions.conditions.order_by("seq").first()
    assert detail["conditions"][0]["description"] == first.description
    assert float(detail["conditions"][0]["limit_value"]) == float(first.limit_value)
    assert get("/api/v1/catalog/classes/matter/99999").status_code == 404
    assert get("/api/v1/catalog/classes/thing/01001").json()["field"] == "kind"


def test_legacy_code_lookup_says_what_it_became_or_that_it_is_ambiguous(db):
    klass = component_class("01001", "供水井盖")
    LegacyCode.objects.update_or_create(scheme="CJ/T 214-2007", kind="component", code="0101",
                                        defaults={"name": "上水井盖", "maps_to": klass})
    found = get("/api/v1/catalog/legacy/0101", kind="component", scheme="CJ/T 214-2007").json()
    assert found[0]["maps_to"]["code"] == "01001" and found[0]["name"] == "上水井盖"
    other = CatalogClass.objects.filter(kind="matter").first()
    LegacyCode.objects.update_or_create(scheme="CJ/T 214-2007", kind="matter", code="0101",
                                        defaults={"name": "私搭乱建", "maps_to": other})
    assert get("/api/v1/catalog/legacy/0101").status_code == 409
    assert get("/api/v1/catalog/legacy/9999").status_code == 404


def test_evaluation_report_and_drill_down_for_the_centres_only(cast, now):
    case = make_case(cast, State.DISPATCHED)
    day = dt.date.today().isoformat()
    wang = Client()
    wang.force_login(cast.wang)
    table = get("/api/v1/evaluation/report", wang, kind="year", day=day, by="district").json()
    [jinshui] = table["rows"]
    assert jinshui["key"] == "410105" and jinshui["counts"]["dispatched"] >= 1
    assert table["totals"]["counts"]["dispatched"] == jinshui["counts"]["dispatched"]
    behind = get("/api/v1/evaluation/cases", wang, kind="year", day=day, by="district", key="410105",
                 indicator="dispatched").json()
    assert behind["count"] == jinshui["counts"]["dispatched"]
    assert case.number in [c["number"] for c in behind["items"]]
    assert behind["next_after"] is None


def test_the_cases_behind_a_number_come_a_page_at_a_time(cast, now, monkeypatch):
    from urbangrid.api import evaluation

    made = sorted(make_case(cast, State.DISPATCHED).pk for _ in range(3))
    monkeypatch.setattr(evaluation, "MAX_CASES", 2)
    wang = Client()
    wang.force_login(cast.wang)
    query = {"kind": "year", "day": dt.date.today().isoformat(), "by": "district", "key": "410105",
             "indicator": "dispatched"}
    first = get("/api/v1/evaluation/cases", wang, **query).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and first["next_after"] is not None
    rest = get("/api/v1/evaluation/cases", wang, after=first["next_after"], **query).json()
    assert rest["count"] == 3 and rest["next_after"] is None
    assert sorted(c["id"] for c in first["items"] + rest["items"]) == made
    assert get("/api/v1/evaluation/cases", wang, after=-1, **query).status_code == 422


def test_only_the_centres_read_evaluation_by_api(cast, now):
    day = dt.date.today().isoformat()
    wang = Client()
    wang.force_login(cast.wang)
    for person in (cast.zhou, cast.chen, cast.li):  # a handler, someone without a post, a collector
        client = Client()
        client.force_login(person)
        assert get("/api/v1/evaluation/report", client, day=day).status_code == 403
    assert get("/api/v1/evaluation/report", day=day).status_code == 401
    assert get("/api/v1/evaluation/report", wang, day=day, kind="custom").json()["field"] == "last"
    assert get("/api/v1/evaluation/report", wang, day=day, by="moon").json()["field"] == "by"


def test_indicator_definitions_are_public(db):
    found = {d["name"]: d for d in get("/api/v1/evaluation/indicators").json() if not d["per_post"]}
    assert found["opened"]["term"] == "立案" and found["close_rate"]["text"] == "closed / due_to_close"
