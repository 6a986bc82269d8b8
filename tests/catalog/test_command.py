"""`urbangrid catalog load|show|map-legacy`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.catalog.conftest import LOCAL_CLASS, LOCAL_CONDITION

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_prints_the_counts(files):
    catalog, conditions, _legacy = files([LOCAL_CLASS], [LOCAL_CONDITION])
    out, _err = run("load", "--catalog", str(catalog), "--conditions", str(conditions), "--legacy", "none")
    assert "Classes: 1 created, 0 updated (1 local extensions in the files)." in out
    assert "Filing conditions: 1 created, 0 updated, 0 deleted." in out
    assert "Legacy codes: 0 created, 0 updated." in out


def test_loading_the_shipped_files_again_says_nothing_changed():
    out, _err = run("load")
    assert "Classes: 0 created, 0 updated" in out
    assert "Nothing changed" in out


def test_a_bad_file_lists_its_problems_and_loads_nothing(files):
    catalog, conditions, _legacy = files([LOCAL_CLASS], [{**LOCAL_CONDITION, "limit_unit": "hours"}])
    err = StringIO()
    with pytest.raises(CommandError, match="1 problems; nothing was loaded"):
        call_command("catalog", "load", "--catalog", str(catalog), "--conditions", str(conditions), stderr=err)
    assert "conditions.csv, line 2, column limit_unit (hours)" in err.getvalue()


def test_show_prints_the_class_its_conditions_and_legacy_codes():
    out, _err = run("show", "01001", "--kind", "matter")
    assert out.splitlines()[0] == "01001 供水井盖异常 (Matter, 01 市政公用设施类)"
    assert "1. 供水井盖缺失、移位或破裂，存在安全隐患 — 2 urgent hours [urgent], Maintenance unit" in out
    assert "Closed when: 供水井盖恢复完好、安装平稳" in out
    assert "Legacy code: CJ/T 214-2007 0402 自来水管破裂" in out


def test_show_without_kind_prints_the_component_and_the_matter():
    out, _err = run("show", "06001")
    assert "06001 私搭乱建" in out and "20 working days" in out
    out, _err = run("show", "01037")
    assert "01037 路灯 (Component" in out and "01037 路灯异常 (Matter" in out


def test_show_of_an_unknown_code_fails():
    with pytest.raises(CommandError, match="No class has the code 06999"):
        run("show", "06999")


def test_map_legacy_prints_every_reading_of_an_ambiguous_code():
    out, err = run("map-legacy", "0101")
    assert "CJ/T 214-2007 Component 0101 上水井盖 → 01001 供水井盖" in out
    assert "CJ/T 214-2007 Matter 0101 私搭乱建 → 06001 私搭乱建" in out
    assert "give --kind or --scheme" in err


def test_map_legacy_with_kind_prints_one_class():
    out, err = run("map-legacy", "0101", "--kind", "component")
    assert out.strip().startswith("CJ/T 214-2007 Component 0101 上水井盖 → 01001 供水井盖")
    assert len(out.splitlines()) == 1 and err == ""


def test_map_legacy_shows_why_a_code_has_no_counterpart():
    out, _err = run("map-legacy", "0409", "--kind", "matter", "--scheme", "CJ/T 214-2007")
    assert "群发性事件 → no counterpart" in out and "police" in out


def test_map_legacy_of_an_unknown_code_fails():
    with pytest.raises(CommandError, match="No legacy code 9999"):
        run("map-legacy", "9999")
