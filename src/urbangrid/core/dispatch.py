"""Choose who handles a case (派遣), and say why.

Rules are ordered data, tried in the order given (the caller sorts them, e.g. by priority then id). The first
rule whose every set condition matches wins; an unset condition matches anything. A rule names a department
or a district command centre (二级指挥, art. 20), or defers to one party of the case; a rule deferring to a
party the case does not have is passed over.

When no rule decides, the division of labour of art. 5 applies:
- components (部件): owner first, then territory (先属主后属地): 权属单位, 养护单位, 主管部门, then 属地;
- events and matters (事件/事项): territory first, then owner (先属地后属主): 属地, then 主管部门, 权属单位, 养护单位.
A class's own first responsible party (from the catalogue) goes to the front of its order.
If no party is known either, there is no suggestion and the 派遣员 chooses.

Responsibility disputes (art. 23) are settled by the district within its area, and by the city command centre
across districts or when a city department is involved: coordination_level().
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from urbangrid.core.codes import gettext_noop
from urbangrid.core.limits import Party, Urgency
from urbangrid.core.workcalendar import SHANGHAI


class Kind(StrEnum):
    COMPONENT = "component"  # 部件
    MATTER = "matter"  # 事件/事项


class TargetKind(StrEnum):
    DEPARTMENT = "department"
    DISTRICT_CENTRE = "district_centre"  # 区指挥中心, which dispatches in turn


class Level(StrEnum):
    DISTRICT = "district"
    CITY = "city"


DEFAULT_ORDER = {
    Kind.COMPONENT: (Party.OWNER, Party.MAINTAINER, Party.COMPETENT, Party.TERRITORY),
    Kind.MATTER: (Party.TERRITORY, Party.COMPETENT, Party.OWNER, Party.MAINTAINER),
}
ORDER_REASONS = {
    Kind.COMPONENT: gettext_noop("components go to the owner first, then the territory: {party}"),
    Kind.MATTER: gettext_noop("events and matters go to the territory first, then the owner: {party}"),
}


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    id: str


@dataclass(frozen=True)
class CaseFacts:
    kind: Kind
    class_code: str  # 5 digits, GB/T 47678.5
    area_code: str  # the unit grid, or the smallest known area
    at: datetime  # aware; rule time windows are read in the city's time zone
    urgency: Urgency = Urgency.NORMAL
    parties: Mapping[Party, Target] = field(default_factory=dict)  # the responsible bodies known for this case
    first_party: Party | None = None  # the class's first responsible party, from the catalogue


@dataclass(frozen=True)
class Rule:
    id: int | str
    target: Target | None = None
    party: Party | None = None  # instead of a target: whoever is this party of the case
    kind: Kind | None = None
    class_prefix: str = ""  # "01" a large class, "01001" one class
    area_prefix: str = ""  # a district (6), street (9), community (12) or grid (15) code
    urgency: Urgency | None = None
    window: tuple[time, time] | None = None  # [from, to) local time; from > to wraps past midnight

    def __post_init__(self):
        if (self.target is None) == (self.party is None):
            raise ValueError(f"rule {self.id}: name either a target or a party, not both or neither")


@dataclass(frozen=True)
class Suggestion:
    target: Target
    rule: Rule | None  # None: the default order of art. 5 decided
    reason: str  # English msgid with {placeholders}
    params: dict
    auto: bool  # the class is dispatched without waiting for a 派遣员

    def explain(self) -> str:
        return self.reason.format(**self.params)


@dataclass(frozen=True)
class Check:
    rule: Rule
    failure: str | None  # msgid of the first condition that failed; None: the rule matched
    params: dict


def choose(
    rules: Iterable[Rule], facts: CaseFacts, auto_classes: Collection[str] = (), tz: ZoneInfo = SHANGHAI
) -> Suggestion | None:
    """The first matching rule's target, else the default order's first known party, else None.

    `auto_classes` holds class codes or prefixes dispatched automatically."""
    auto = any(facts.class_code.startswith(prefix) for prefix in auto_classes)
    for check in explain(rules, facts, tz):
        if check.failure is None:
            target = check.rule.target or facts.parties[check.rule.party]
            return Suggestion(target, check.rule, gettext_noop("rule {rule} matched"), {"rule": check.rule.id}, auto)
    for party in _order(facts):
        if party in facts.parties:
            return Suggestion(facts.parties[party], None, ORDER_REASONS[facts.kind], {"party": str(party)}, auto)
    return None


def explain(rules: Iterable[Rule], facts: CaseFacts, tz: ZoneInfo = SHANGHAI) -> list[Check]:
    """Each rule up to the first that matches, with the condition that ruled it out."""
    local = facts.at.astimezone(tz).time()
    checks: list[Check] = []
    for rule in rules:
        failure, params = _failure(rule, facts, local)
        checks.append(Check(rule, failure, params))
        if failure is None:
            break
    return checks


def coordination_level(districts: Collection[str], city_department: bool) -> Level:
    """Who settles a responsibility dispute (art. 23): the district within its area, else the city."""
    return Level.DISTRICT if len(set(districts)) == 1 and not city_department else Level.CITY


def _order(facts: CaseFacts) -> tuple[Party, ...]:
    order = DEFAULT_ORDER[facts.kind]
    if facts.first_party is None:
        return order
    return (facts.first_party, *(party for party in order if party != facts.first_party))


def _failure(rule: Rule, facts: CaseFacts, local: time) -> tuple[str | None, dict]:
    if rule.kind is not None and rule.kind != facts.kind:
        return gettext_noop("the case is not a {kind}"), {"kind": str(rule.kind)}
    if not facts.class_code.startswith(rule.class_prefix):
        return gettext_noop("the class is not {prefix}…"), {"prefix": rule.class_prefix}
    if not facts.area_code.startswith(rule.area_prefix):
        return gettext_noop("the case lies outside area {prefix}"), {"prefix": rule.area_prefix}
    if rule.urgency is not None and rule.urgency != facts.urgency:
        return gettext_noop("the case is not {urgency}"), {"urgency": str(rule.urgency)}
    if rule.window is not None and not _within(local, *rule.window):
        start, end = rule.window
        return gettext_noop("outside {start}–{end}"), {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    if rule.party is not None and rule.party not in facts.parties:
        return gettext_noop("the case has no known {party}"), {"party": str(rule.party)}
    return None, {}


def _within(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end
