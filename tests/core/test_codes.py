import pytest

from urbangrid.core import codes
from urbangrid.core.codes import CodeError


def test_a_15_character_grid_code_splits_into_its_hierarchy():
    grid = codes.parse_grid_code("410105001002003")
    assert (grid.district, grid.street, grid.community, grid.sequence) == (
        "410105", "410105001", "410105001002", "003"
    )


def test_a_legacy_14_digit_grid_code_is_widened():
    assert codes.parse_grid_code("41010500100203").code == "410105001002003"


def test_a_legacy_code_ending_in_00_is_a_community_not_a_grid():
    with pytest.raises(CodeError, match="names a community"):
        codes.parse_grid_code("41010500100200")


def test_the_grid_sequence_may_use_capital_letters():
    assert codes.parse_grid_code("410105001002a1z").sequence == "A1Z"


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [("41010X001002003", 1, 6), ("410105A01002003", 7, 9), ("41010500100B003", 10, 12), ("410105001002-03", 13, 15)],
)
def test_it_names_the_positions_of_a_bad_part(value, start, end):
    with pytest.raises(CodeError) as caught:
        codes.parse_grid_code(value)
    assert (caught.value.params["start"], caught.value.params["end"]) == (start, end)


def test_it_says_how_long_a_grid_code_must_be():
    with pytest.raises(CodeError) as caught:
        codes.parse_grid_code("4101050010")
    assert caught.value.field == "grid_code"
    assert str(caught.value) == "grid_code: must be 14 or 15 characters long, got 10"


def test_sequence_000_is_not_a_grid():
    with pytest.raises(CodeError, match="must not be 000"):
        codes.parse_grid_code("410105001002000")


@pytest.mark.parametrize(
    ("value", "level"),
    [("410105", "district"), ("410105001", "street"), ("410105001002", "community"), ("410105001002003", "grid")],
)
def test_area_codes_tell_their_level(value, level):
    assert codes.parse_area_code(value) == (level, value)


def test_parent_codes_walk_up_the_hierarchy():
    chain = ["410105001002003"]
    while parent := codes.parent_code(chain[-1]):
        chain.append(parent)
    assert chain == ["410105001002003", "410105001002", "410105001", "410105"]


def test_class_codes_have_five_digits():
    assert codes.parse_class_code("01001") == "01001"
    with pytest.raises(CodeError, match="must be 5 characters"):
        codes.parse_class_code("0101")
    with pytest.raises(CodeError, match="large class"):
        codes.parse_class_code("00001")


def test_a_component_identifier_carries_district_class_and_sequence():
    ident = codes.parse_component_id("41010501001000042")
    assert (ident.district, ident.class_code, ident.sequence) == ("410105", "01001", "000042")


def test_a_16_digit_legacy_identifier_needs_the_class_mapping():
    with pytest.raises(CodeError, match="17 characters"):
        codes.parse_component_id("4101050101000042")
    mapped = codes.parse_component_id("4101050101000042", legacy_class={"0101": "01001"}.get)
    assert mapped.code == "41010501001000042"


def test_an_unmapped_legacy_class_is_reported():
    with pytest.raises(CodeError, match=r"no GB/T 47678\.5 mapping"):
        codes.parse_component_id("4101059999000042", legacy_class={}.get)


def test_component_ids_are_built_from_parts():
    assert codes.component_id("410105", "01001", 7) == "41010501001000007"
    with pytest.raises(CodeError):
        codes.component_id("410105", "01001", 1_000_000)


def test_a_matter_code_is_district_plus_class():
    assert codes.parse_matter_code("41010506001") == ("410105", "06001")


def test_a_real_unified_social_credit_code_passes():
    # 91350100M000100Y43 is the worked example of GB 32100-2015.
    assert codes.parse_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_a_wrong_check_character_is_named():
    with pytest.raises(CodeError) as caught:
        codes.parse_uscc("91350100M000100Y44")
    assert caught.value.params == {"actual": "4", "expected": "3"}


def test_letters_the_standard_excludes_are_refused():
    with pytest.raises(CodeError) as caught:
        codes.parse_uscc("9135O100M000100Y43")
    assert caught.value.params["position"] == 5
