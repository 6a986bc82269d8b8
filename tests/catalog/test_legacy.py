"""Legacy class codes (CJ/T 214-2007, GB/T 30428.2-2013) and the GB/T 47678.5 classes they became."""

import pytest

from urbangrid.catalog.legacy import CJT_214, GBT_30428, AmbiguousLegacyCode, legacy_class_mapper, map_legacy_class
from urbangrid.catalog.models import LegacyCode
from urbangrid.core.codes import CodeError, parse_component_id

pytestmark = pytest.mark.django_db


def test_component_0101_became_01001():
    klass = map_legacy_class("0101", kind="component")
    assert (klass.kind, klass.code, klass.name) == ("component", "01001", "供水井盖")


def test_event_0101_became_matter_06001_in_both_old_schemes():
    assert map_legacy_class("0101", kind="matter").code == "06001"
    assert map_legacy_class("01-01", kind="matter", scheme=GBT_30428).code == "06001"


def test_a_code_meaning_different_classes_needs_a_kind_or_scheme():
    with pytest.raises(AmbiguousLegacyCode) as raised:
        map_legacy_class("0101")
    assert {c.maps_to.code for c in raised.value.candidates} == {"01001", "06001"}
    with pytest.raises(AmbiguousLegacyCode):
        map_legacy_class("0401", kind="matter")  # CJ/T 214 路面塌陷, GB/T 30428.2 无照经营游商
    assert map_legacy_class("0401", kind="matter", scheme=CJT_214).code == "06013"


def test_unknown_and_unmapped_codes_give_none():
    assert map_legacy_class("0199", kind="component") is None  # no such code
    assert map_legacy_class("0409", kind="matter", scheme=CJT_214) is None  # 群发性事件: no counterpart


def test_the_mapper_turns_4_digit_codes_into_5_digit_ones():
    mapper = legacy_class_mapper("component")
    assert (mapper("0101"), mapper("0306"), mapper("0602"), mapper("9999")) == ("01001", "03006", None, None)
    assert legacy_class_mapper("matter")("0407") == "10001"  # 道路积雪结冰 moved to 10 其他事项类


def test_the_mapper_reads_the_table_once(django_assert_num_queries):
    mapper = legacy_class_mapper("component")
    with django_assert_num_queries(1):
        assert [mapper(code) for code in ("0101", "0102", "0118")] == ["01001", "01002", "01037"]


def test_a_new_mapper_sees_a_mapping_changed_since():
    legacy_class_mapper("component")("0117")
    LegacyCode.objects.filter(kind="component", code="0117").update(maps_to=None)
    assert legacy_class_mapper("component")("0117") is None


def test_a_16_digit_cjt214_identifier_becomes_a_17_digit_one():
    # 苏州 district 320508, 上水井盖 0101, sequence 000001 (STANDARDS.md §3.1)
    parsed = parse_component_id("3205080101000001", legacy_class=legacy_class_mapper("component"))
    assert parsed.code == "32050801001000001"
    assert (parsed.district, parsed.class_code, parsed.sequence) == ("320508", "01001", "000001")


def test_a_16_digit_identifier_of_an_unmapped_class_is_rejected():
    with pytest.raises(CodeError) as raised:
        parse_component_id("3205080602000001", legacy_class=legacy_class_mapper("component"))  # 0602 工地
    assert raised.value.params == {"code": "0602"}
