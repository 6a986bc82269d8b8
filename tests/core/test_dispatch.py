from datetime import UTC, datetime, time

import pytest

from urbangrid.core.dispatch import (
    CaseFacts,
    Kind,
    Level,
    Rule,
    Target,
    TargetKind,
    choose,
    coordination_level,
    explain,
)
from urbangrid.core.limits import Party, Urgency
from urbangrid.core.workcalendar import SHANGHAI

GRID = "410105001002003"  # 金水区 › street 001 › community 002 › grid 003
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)


def department(name: str) -> Target:
    return Target(TargetKind.DEPARTMENT, name)


SHIZHENG = department("市政局")  # 主管部门
WATER = department("自来水公司")  # 权属单位
UPKEEP = department("养护公司")  # 养护单位
STREET = department("花园路街道")  # 属地
JINSHUI = Target(TargetKind.DISTRICT_CENTRE, "410105")
ALL_PARTIES = {Party.OWNER: WATER, Party.MAINTAINER: UPKEEP, Party.COMPETENT: SHIZHENG, Party.TERRITORY: STREET}


def facts(kind=Kind.COMPONENT, class_code="01001", parties=ALL_PARTIES, **options) -> CaseFacts:
    return CaseFacts(
        kind, class_code, options.pop("area_code", GRID), options.pop("at", NOON), parties=parties, **options
    )


def without(*parties: Party) -> dict:
    return {party: target for party, target in ALL_PARTIES.items() if party not in parties}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 部件: owner first, then territory (先属主后属地)
        (facts(), WATER),
        (facts(parties=without(Party.OWNER)), UPKEEP),
        (facts(parties=without(Party.OWNER, Party.MAINTAINER)), SHIZHENG),
        (facts(parties={Party.TERRITORY: STREET}), STREET),
        # 事件/事项: territory first, then owner (先属地后属主)
        (facts(Kind.MATTER), STREET),
        (facts(Kind.MATTER, parties=without(Party.TERRITORY)), SHIZHENG),
        (facts(Kind.MATTER, parties={Party.OWNER: WATER}), WATER),
        # the class's own first responsible party goes first
        (facts(first_party=Party.COMPETENT), SHIZHENG),
        (facts(Kind.MATTER, first_party=Party.OWNER), WATER),
    ],
)
def test_without_rules_the_default_order_decides(case, expected):
    suggestion = choose([], case)
    assert (suggestion.target, suggestion.rule) == (expected, None)


def test_the_default_order_says_why():
    assert choose([], facts()).explain() == "components go to the owner first, then the territory: owner"
    assert choose([], facts(Kind.MATTER)).explain() == (
        "events and matters go to the territory first, then the owner: territory"
    )


def test_nobody_known_means_no_suggestion():
    assert choose([], facts(parties={})) is None


def test_the_first_matching_rule_wins_and_is_named():
    rules = [
        Rule(1, department("园林局"), class_prefix="02"),
        Rule(2, department("金水区城管局"), area_prefix="410105"),
        Rule(3, department("never"), class_prefix="01"),
    ]
    suggestion = choose(rules, facts())
    assert (suggestion.target, suggestion.rule.id) == (department("金水区城管局"), 2)
    assert suggestion.explain() == "rule 2 matched"


def test_a_rule_may_send_the_case_to_a_district_command_centre():
    suggestion = choose([Rule(7, JINSHUI, area_prefix="410105")], facts(Kind.MATTER))
    assert suggestion.target == JINSHUI and suggestion.target.kind is TargetKind.DISTRICT_CENTRE


def test_a_rule_may_defer_to_a_party_and_is_passed_over_when_the_case_has_none():
    rules = [Rule(1, party=Party.MAINTAINER), Rule(2, party=Party.COMPETENT)]
    assert choose(rules, facts()).target == UPKEEP
    assert choose(rules, facts(parties=without(Party.MAINTAINER))).rule.id == 2


@pytest.mark.parametrize(
    ("rule", "case", "failure"),
    [
        (Rule(1, SHIZHENG, kind=Kind.MATTER), facts(), "the case is not a {kind}"),
        (Rule(1, SHIZHENG, class_prefix="0101"), facts(class_code="01201"), "the class is not {prefix}…"),
        (Rule(1, SHIZHENG, area_prefix="410102"), facts(), "the case lies outside area {prefix}"),
        (Rule(1, SHIZHENG, urgency=Urgency.URGENT), facts(), "the case is not {urgency}"),
        (Rule(1, SHIZHENG, window=(time(18), time(8))), facts(), "outside {start}–{end}"),
        (Rule(1, party=Party.OWNER), facts(parties={}), "the case has no known {party}"),
    ],
)
def test_explain_names_the_condition_that_ruled_a_rule_out(rule, case, failure):
    (check,) = explain([rule], case)
    assert check.failure == failure
    assert choose([rule], case) is None or choose([rule], case).rule is None


def test_explain_stops_at_the_winner():
    rules = [Rule(1, SHIZHENG, class_prefix="02"), Rule(2, STREET), Rule(3, WATER)]
    assert [(check.rule.id, check.failure) for check in explain(rules, facts())] == [
        (1, "the class is not {prefix}…"),
        (2, None),
    ]


def test_an_urgent_rule_takes_urgent_cases_only():
    rule = Rule(1, department("应急队"), urgency=Urgency.URGENT)
    assert choose([rule], facts(urgency=Urgency.URGENT)).rule == rule
    assert choose([rule], facts()).rule is None


@pytest.mark.parametrize(
    ("moment", "night"),
    [
        (datetime(2026, 3, 2, 21, 0, tzinfo=SHANGHAI), True),
        (datetime(2026, 3, 2, 7, 59, tzinfo=SHANGHAI), True),
        (datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI), False),
        (datetime(2026, 3, 2, 13, 0, tzinfo=UTC), True),  # 21:00 in Shanghai
        (datetime(2026, 3, 2, 2, 0, tzinfo=UTC), False),  # 10:00 in Shanghai
    ],
)
def test_a_time_window_may_wrap_past_midnight_and_is_read_in_city_time(moment, night):
    rule = Rule("night", department("夜间值守"), window=(time(18), time(8)))
    assert (choose([rule], facts(at=moment)).rule == rule) is night


def test_the_auto_dispatch_flag_is_set_per_class_or_large_class():
    assert choose([], facts(class_code="01001"), auto_classes={"01001"}).auto
    assert choose([], facts(class_code="01007"), auto_classes={"01"}).auto
    assert not choose([], facts(class_code="02001"), auto_classes={"01"}).auto


def test_a_rule_names_a_target_or_a_party():
    with pytest.raises(ValueError, match="either a target or a party"):
        Rule(1)
    with pytest.raises(ValueError, match="either a target or a party"):
        Rule(1, SHIZHENG, party=Party.OWNER)


@pytest.mark.parametrize(
    ("districts", "city_department", "level"),
    [
        (["410105"], False, Level.DISTRICT),
        (["410105", "410105"], False, Level.DISTRICT),
        (["410105", "410102"], False, Level.CITY),
        (["410105"], True, Level.CITY),
    ],
)
def test_disputes_are_settled_by_the_district_within_its_area_else_by_the_city(districts, city_department, level):
    assert coordination_level(districts, city_department) is level
