"""Property-based checks of the pure domain (hypothesis): whatever comes in, the core answers or refuses
with its own error, and never reaches a state the table does not allow."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from chinese_calendar import constants
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urbangrid.core import codes, dispatch, workflow
from urbangrid.core.deadlines import Pause, TimeLimit, deadline, reference_deadline
from urbangrid.core.dispatch import CaseFacts, Kind, Rule, Target, TargetKind
from urbangrid.core.limits import LimitUnit, Party, Urgency
from urbangrid.core.posts import Post
from urbangrid.core.workcalendar import SHANGHAI, WorkCalendar
from urbangrid.core.workflow import Action, Facts, State, WorkflowError

CHINA = WorkCalendar(holidays=constants.holidays, workdays=constants.workdays)
PARSERS = (
    codes.parse_grid_code, codes.parse_area_code, codes.parse_class_code, codes.parse_legacy_class_code,
    codes.parse_component_id, codes.parse_matter_code, codes.parse_uscc,
)
anything = st.one_of(
    st.text(), st.text(alphabet="0123456789", max_size=24), st.integers(), st.none(), st.floats(allow_nan=True),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY 　-", max_size=20),
)


@given(anything)
def test_every_code_parser_answers_or_refuses_with_a_code_error(value):
    for parse in PARSERS:
        try:
            parse(value)
        except codes.CodeError as error:
            assert error.field and error.message  # a field and a message the user can read
        except Exception as error:  # the property: nothing else escapes
            raise AssertionError(f"{parse.__name__}({value!r}) raised {error!r}") from error


@given(st.sampled_from(["410105", "410102", "410181"]), st.sampled_from(["01001", "02045", "05012"]),
       st.integers(min_value=1, max_value=999_999))
def test_a_component_identifier_reads_back_as_it_was_made(district, class_code, sequence):
    made = codes.component_id(district, class_code, sequence)
    parsed = codes.parse_component_id(made)
    assert parsed.code == made


moments = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2026, 12, 20), timezones=st.just(SHANGHAI))
limits = st.builds(
    TimeLimit,
    st.decimals(min_value=Decimal("0"), max_value=Decimal("12"), places=1),
    st.sampled_from(list(LimitUnit)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moments, limits, st.lists(st.tuples(st.integers(0, 20_000), st.integers(1, 5_000)), max_size=2))
def test_the_fast_deadline_equals_the_minute_by_minute_reference(start, limit, pause_minutes):
    pauses = [Pause(start + timedelta(minutes=a), start + timedelta(minutes=a + b)) for a, b in pause_minutes]
    assert deadline(start, limit, CHINA, pauses) == reference_deadline(start, limit, CHINA, pauses)


@settings(max_examples=300, deadline=None)
@given(moments, st.sampled_from(list(LimitUnit)), st.integers(0, 40), st.integers(0, 40))
def test_more_time_never_ends_earlier_and_never_before_the_start(start, unit, a, b):
    short, long = sorted((a, b))
    first = deadline(start, TimeLimit(Decimal(short), unit), CHINA).at
    second = deadline(start, TimeLimit(Decimal(long), unit), CHINA).at
    assert start.replace(second=0, microsecond=0) <= first <= second


facts = st.builds(Facts, st.booleans(), st.integers(0, 4), st.booleans(), st.booleans(), st.booleans(), st.booleans())
posts = st.sets(st.sampled_from(list(Post)), max_size=3)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(list(Action)), posts, facts), max_size=40))
def test_random_walks_stay_inside_the_table(steps):
    state = workflow.initial_state()
    for action, held, known in steps:
        offered = workflow.available(state, held, known)
        try:
            move = workflow.step(state, action, held, known)
        except WorkflowError:
            assert action not in offered  # what is offered as a button is never refused
            continue
        assert (move.source, move.action) == (state, action)
        assert move.posts & held and move.target in State
        assert state not in workflow.TERMINAL or move.target == state  # nothing leaves a finished case
        state = move.target


targets = st.builds(Target, st.sampled_from(list(TargetKind)), st.sampled_from(["1", "2", "3", "44"]))
rules = st.builds(
    lambda i, target, party, kind, cls, area, urgency, window: Rule(
        i, target if party is None else None, party, kind, cls, area, urgency, window),
    st.integers(1, 99), targets, st.one_of(st.none(), st.sampled_from(list(Party))),
    st.one_of(st.none(), st.sampled_from(list(Kind))), st.sampled_from(["", "01", "06", "06001", "02045"]),
    st.sampled_from(["", "410105", "410105001", "410102"]), st.one_of(st.none(), st.sampled_from(list(Urgency))),
    st.one_of(st.none(), st.tuples(st.times(), st.times())),
)
case_facts = st.builds(
    CaseFacts, st.sampled_from(list(Kind)), st.sampled_from(["01001", "06001", "06002", "02045"]),
    st.sampled_from(["410105001001001", "410102003004005"]),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(list(Urgency)), st.dictionaries(st.sampled_from(list(Party)), targets, max_size=4),
    st.one_of(st.none(), st.sampled_from(list(Party))),
)


@settings(max_examples=400)
@given(st.lists(rules, max_size=8), case_facts, st.lists(st.sampled_from(["06", "01001"]), max_size=2))
def test_a_suggestion_is_a_matching_rules_target_or_a_known_party(rule_list, known, auto):
    found = dispatch.choose(rule_list, known, auto)
    checks = dispatch.explain(rule_list, known)
    matched = [c.rule for c in checks if c.failure is None]
    if found is None:
        assert not known.parties and all(r.party is not None for r in matched)
        return
    if found.rule is not None:
        assert found.rule == matched[0]
        assert found.target == (found.rule.target or known.parties[found.rule.party])
    else:
        assert found.target in known.parties.values()
    assert found.auto == any(known.class_code.startswith(p) for p in auto)


def test_window_wrapping_midnight_matches_late_night():
    late = CaseFacts(Kind.MATTER, "06001", "410105001001001", datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI))
    rule = Rule(1, Target(TargetKind.DEPARTMENT, "9"), window=(time(22, 0), time(6, 0)))
    assert dispatch.choose([rule], late).target.id == "9"
