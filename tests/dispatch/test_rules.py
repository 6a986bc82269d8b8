"""Dispatch rules: ordered, first match wins, every condition, the explanation the dispatcher reads."""

from datetime import UTC, datetime, time

import pytest
from django.db import IntegrityError

from tests.dispatch.conftest import GRID, NOON, make_component
from urbangrid.core.dispatch import Kind, Target, TargetKind
from urbangrid.core.limits import Party, Urgency
from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule
from urbangrid.dispatch.suggesting import auto_dispatch, explain_for, facts_for, suggest

pytestmark = pytest.mark.django_db


def rule(name: str, priority: int = 100, **fields) -> DispatchRule:
    row = DispatchRule(name=name, priority=priority, **fields)
    row.full_clean()
    row.save()
    return row


def dept(org) -> Target:
    return Target(TargetKind.DEPARTMENT, str(org.pk))


def matter(at=NOON, urgency="normal", grid=GRID, class_code="06001"):
    return facts_for("matter", class_code, grid, urgency, at)


def test_the_first_matching_rule_in_priority_order_wins_and_says_why_the_others_did_not(town):
    wrong_class = rule("井盖归自来水", 10, class_codes="01001", department=town.water)
    elsewhere = rule("中原区", 20, area_prefix="410102", department=town.upkeep)
    jinshui = rule("金水区违建", 30, area_prefix="410105", kind="matter", department=town.district_bureau)
    rule("更晚的规则", 40, department=town.city_bureau)
    rule("停用", 1, department=town.city_bureau, active=False)
    suggestion = suggest(matter())
    assert (suggestion.target, suggestion.rule.id) == (dept(town.district_bureau), jinshui.pk)
    explanation = explain_for(matter())
    assert [(c.rule_id, c.matched, c.reason) for c in explanation.checks] == [
        (wrong_class.pk, False, "the class is not 01001…"),
        (elsewhere.pk, False, "the case lies outside area 410102"),
        (jinshui.pk, True, ""),
    ]
    assert explanation.summary == f"rule 金水区违建 (#{jinshui.pk}) matched"


def test_rules_of_equal_priority_go_in_the_order_they_were_made(town):
    first = rule("先", 50, department=town.water)
    rule("后", 50, department=town.upkeep)
    assert suggest(matter()).rule.id == first.pk


def test_a_rule_may_list_several_classes(town):
    several = rule("井盖和路灯", 10, class_codes="01006, 06001", department=town.upkeep)
    assert suggest(matter()).rule.id == several.pk
    [check] = explain_for(matter(class_code="06002")).checks
    assert (check.matched, check.reason) == (False, "the class is none of 01006, 06001")


def test_a_time_window_is_read_in_local_time_and_may_run_past_midnight(town):
    night = rule("夜间", 10, window_start=time(18), window_end=time(8), district_centre=town.centre)
    at_night = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # 22:30 in Zhengzhou
    assert suggest(matter(at=at_night)).rule.id == night.pk
    assert suggest(matter(at=at_night)).target == Target(TargetKind.DISTRICT_CENTRE, str(town.centre.pk))
    assert suggest(matter(at=NOON)).rule is None
    assert explain_for(matter(at=NOON)).checks[0].reason == "outside 18:00–08:00"


def test_an_urgency_condition(town):
    urgent = rule("紧急", 10, urgency="urgent", department=town.city_bureau)
    assert suggest(matter(urgency=Urgency.URGENT)).rule.id == urgent.pk
    assert suggest(matter()).rule is None
    assert explain_for(matter()).checks[0].reason == "the case is not Urgent"


def test_a_rule_deferring_to_a_party_the_case_lacks_is_passed_over(town):
    owner = rule("归权属单位", 10, party="owner")
    territory = rule("归属地", 20, party="territory")
    explanation = explain_for(matter())
    assert [(c.rule_id, c.matched, c.reason) for c in explanation.checks] == [
        (owner.pk, False, "the case has no known Owner unit"),
        (territory.pk, True, ""),
    ]
    assert explanation.suggestion.target == dept(town.street_office)


def test_a_rule_deferring_to_the_owner_follows_the_component(town):
    rule("部件归权属单位", 10, kind="component", party="owner")
    component = make_component(town.manhole, town.city_bureau, owner=town.water)
    facts = facts_for("component", "01001", GRID, "normal", NOON, component)
    assert suggest(facts).target == dept(town.water)


def test_auto_dispatch_is_switched_on_per_class(town):
    assert not auto_dispatch("matter", "06001")
    ClassDispatchSetting.objects.create(klass=town.illegal, auto_dispatch=True)
    ClassDispatchSetting.objects.create(klass=town.manhole, auto_dispatch=False)
    assert auto_dispatch(Kind.MATTER, "06001") and not auto_dispatch("component", "01001")
    assert not auto_dispatch("component", "06001")  # same code, other kind
    assert suggest(matter()).auto is True
    assert suggest(facts_for("component", "01001", GRID, "normal", NOON)).auto is False


def test_without_a_suggestion_the_explanation_says_the_dispatcher_chooses(town):
    explanation = explain_for(facts_for("matter", "10001", "410199001001001", "normal", NOON))
    assert explanation.suggestion is None
    assert explanation.summary == "No rule matched and no responsible party is known: the dispatcher chooses."


def test_a_row_becomes_core_rules(town):
    row = rule("夜间井盖", 10, kind="component", class_codes="01001", area_prefix="410105001",
               window_start=time(22), window_end=time(6), urgency="urgent", party="owner")
    core = row.to_rule()
    assert (core.id, core.target, core.party, core.kind, core.class_prefix, core.area_prefix, core.urgency,
            core.window) == (row.pk, None, Party.OWNER, Kind.COMPONENT, "01001", "410105001", Urgency.URGENT,
                             (time(22), time(6)))
    row.class_codes = "01001,01006"
    assert [r.class_prefix for r in row.to_rules()] == ["01001", "01006"]
    with pytest.raises(ValueError, match="use to_rules"):
        row.to_rule()
    assert rule("任意", department=town.water).to_rule().target == dept(town.water)


def test_the_database_holds_exactly_one_target(town):
    with pytest.raises(IntegrityError):
        DispatchRule.objects.create(name="两个目标", department=town.water, party="owner")


def test_the_database_holds_no_target_out(town):
    with pytest.raises(IntegrityError):
        DispatchRule.objects.create(name="无目标")
