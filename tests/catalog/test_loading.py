"""Loading catalogue files: idempotent, all rows checked first, nothing written if any row is wrong."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.catalog.conftest import LOCAL_CLASS, LOCAL_CONDITION, snapshot, write_csv
from urbangrid.catalog.loading import CatalogModels, load_catalog
from urbangrid.catalog.models import CatalogClass, FilingCondition

pytestmark = pytest.mark.django_db


def test_loading_the_shipped_files_again_changes_nothing():
    before = snapshot()
    report = load_catalog()
    assert report.ok and not report.changed
    assert snapshot() == before


def test_the_loader_works_on_the_historical_models_of_the_data_migration():
    state = MigrationExecutor(connection).loader.project_state(("catalog", "0002_load_gbt47678_5_2026"))
    report = load_catalog(models=CatalogModels.historical(state.apps))
    assert report.ok and not report.changed


def test_loading_twice_creates_no_duplicates(files):
    paths = files([LOCAL_CLASS], [LOCAL_CONDITION])
    first, second = load_catalog(*paths), load_catalog(*paths)
    assert (first.classes_created, first.conditions_created) == (1, 1)
    assert second.ok and not second.changed
    assert FilingCondition.objects.filter(matter__code="06901").count() == 1


def test_a_changed_name_is_updated(files):
    renamed = {"kind": "component", "code": "01001", "large_class_code": "01", "large_class_name": "市政公用设施",
               "name": "供水井盖（新名）"}
    report = load_catalog(*files([renamed]))
    assert (report.classes_created, report.classes_updated) == (0, 1)
    assert CatalogClass.objects.get(kind="component", code="01001").name == "供水井盖（新名）"


def test_a_class_not_in_the_national_file_is_a_local_extension(files):
    report = load_catalog(*files([LOCAL_CLASS], [LOCAL_CONDITION]))
    assert report.local_extensions == 1
    local = CatalogClass.objects.get(kind="matter", code="06901")
    assert local.is_local_extension
    assert local.conditions.get().limit_unit == "work_hours"
    assert not CatalogClass.objects.get(kind="matter", code="06001").is_local_extension


def test_a_city_file_may_set_the_party_and_keywords(tmp_path):
    columns = [*LOCAL_CLASS, "default_party", "keywords"]
    path = write_csv(tmp_path / "own.csv", columns, [{**LOCAL_CLASS, "default_party": "owner", "keywords": "电动车"}])
    assert load_catalog(path, None, None).ok
    assert CatalogClass.objects.filter(code="06901", default_party="owner", keywords="电动车").exists()


def test_a_condition_left_out_of_the_file_is_deleted(files):
    second = {**LOCAL_CONDITION, "seq": "2", "description": "电单车倒伏"}
    load_catalog(*files([LOCAL_CLASS], [LOCAL_CONDITION, second]))
    report = load_catalog(*files([LOCAL_CLASS], [LOCAL_CONDITION]))
    assert report.conditions_deleted == 1
    assert list(FilingCondition.objects.filter(matter__code="06901").values_list("seq", flat=True)) == [1]


def test_conditions_of_matters_the_file_does_not_list_are_kept(files):
    before = FilingCondition.objects.filter(matter__code="06001").count()
    load_catalog(*files([LOCAL_CLASS], [LOCAL_CONDITION]))
    assert FilingCondition.objects.filter(matter__code="06001").count() == before


BAD_ROWS = {
    # name: (file index, bad row, field the report must name)
    "bad code": (0, {**LOCAL_CLASS, "code": "06A01"}, "code"),
    "large class not the code's": (0, {**LOCAL_CLASS, "code": "06902", "large_class_code": "07"}, "large_class_code"),
    "unknown kind": (0, {**LOCAL_CLASS, "code": "06903", "kind": "event"}, "kind"),
    "unknown unit": (1, {**LOCAL_CONDITION, "seq": "2", "limit_unit": "hours"}, "limit_unit"),
    "negative limit": (1, {**LOCAL_CONDITION, "seq": "2", "limit_value": "-2"}, "limit_value"),
    "zero limit": (1, {**LOCAL_CONDITION, "seq": "2", "limit_value": "0"}, "limit_value"),
    "unknown urgency": (1, {**LOCAL_CONDITION, "seq": "2", "urgency": "high"}, "urgency"),
    "unknown party": (1, {**LOCAL_CONDITION, "seq": "2", "responsible_party": "police"}, "responsible_party"),
    "condition for an unknown matter": (1, {**LOCAL_CONDITION, "matter_code": "06999"}, "matter_code"),
    "repeated condition": (1, dict(LOCAL_CONDITION), "seq"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_by_line_and_field_and_nothing_is_loaded(files, case):
    index, bad, field = BAD_ROWS[case]
    rows = [[LOCAL_CLASS], [LOCAL_CONDITION]]
    rows[index].append(bad)  # line 1 is the header, the good row line 2, the bad row line 3
    before = snapshot()
    report = load_catalog(*files(*rows))
    assert [(e.file, e.line, e.field) for e in report.errors] == [(f"{['catalog', 'conditions'][index]}.csv", 3, field)]
    assert snapshot() == before


def test_a_legacy_code_must_map_to_an_existing_class_of_its_kind(files):
    row = {"scheme": "CJ/T 214-2007", "kind": "component", "code": "2101", "name": "防蚊闸",
           "maps_to_kind": "component", "maps_to_code": "01099", "note": ""}
    wrong_kind = {**row, "code": "2102", "maps_to_kind": "matter", "maps_to_code": "01055"}
    report = load_catalog(*files(legacy=[row, wrong_kind]))
    assert [(e.line, e.field) for e in report.errors] == [(2, "maps_to_code"), (3, "maps_to_kind")]


def test_every_bad_row_of_a_file_is_reported_at_once(files):
    bad = [{**LOCAL_CLASS, "code": "6901"}, {**LOCAL_CLASS, "code": "06905", "large_class_name": ""}]
    report = load_catalog(*files(bad))
    assert [(e.line, e.field) for e in report.errors] == [(2, "code"), (3, "large_class_name")]
    assert "line 2" in str(report.errors[0]) and "6901" in str(report.errors[0])


def test_a_missing_column_is_reported_on_the_header_line(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("kind,code,name\nmatter,06901,x\n", encoding="utf-8")
    report = load_catalog(path, None, None)
    assert [(e.line, e.field) for e in report.errors] == [(1, "large_class_code"), (1, "large_class_name")]
