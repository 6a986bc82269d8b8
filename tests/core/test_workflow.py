import itertools

import pytest

from urbangrid.core import workflow
from urbangrid.core.posts import Post
from urbangrid.core.workflow import MOVES, Action, Count, Facts, Guard, Need, State, WorkflowError, available, step

KEYS = {(move.source, move.action) for move in MOVES}
ALL_FACTS = [
    Facts(*values)
    for values in itertools.product(
        (False, True), (0, 1, 2, 3), (False, True), (False, True), (False, True), (False, True)
    )
]
FACTS_FOR = {
    Guard.ANY: Facts(),
    Guard.FROM_COLLECTOR: Facts(from_collector=True),
    Guard.UNDISPUTED: Facts(not_ours_returns=1),
    Guard.DISTRICT_DISPUTE: Facts(not_ours_returns=2),
    Guard.CITY_DISPUTE: Facts(not_ours_returns=2, cross_district=True),
    Guard.UNDECIDED: Facts(),
    Guard.OVERDUE: Facts(overdue=True),
    Guard.NON_ROUTINE: Facts(non_routine=True),
    Guard.FOLLOW_UP_DUE: Facts(follow_up_due=True),
}


def walk(state, *moves, facts=workflow.NO_FACTS):
    for action, post in moves:
        state = step(state, action, post, facts).target
    return state


@pytest.mark.parametrize(("move", "post"), [(move, post) for move in MOVES for post in sorted(move.posts)], ids=str)
def test_every_row_allows_its_move_to_each_of_its_posts(move, post):
    assert step(move.source, move.action, post, FACTS_FOR[move.guard]) == move


@pytest.mark.parametrize("move", MOVES, ids=str)
def test_every_row_refuses_the_posts_it_does_not_name(move):
    allowed = {
        post for other in MOVES if (other.source, other.action) == (move.source, move.action) for post in other.posts
    }
    expected = "{action} needs one of these posts: {posts}"
    if not allowed:  # a system-only row
        expected = "{action} is taken by the system, never by hand"
    for post in set(Post) - allowed:
        with pytest.raises(WorkflowError) as caught:
            step(move.source, move.action, post, FACTS_FOR[move.guard])
        assert caught.value.message == expected


@pytest.mark.parametrize(("state", "action"), sorted(set(itertools.product(State, Action)) - KEYS))
def test_every_pair_not_in_the_table_is_refused_to_everyone(state, action):
    with pytest.raises(WorkflowError) as caught:
        step(state, action, set(Post), Facts(True, 3, True, True, True, True))
    assert caught.value.params == {"action": action, "state": state}
    assert str(caught.value) == f"{action} is not possible in state {state}"


def test_no_two_rows_compete_for_the_same_case_and_post():
    for (source, action), post, facts in itertools.product(KEYS, Post, ALL_FACTS):
        rows = [m for m in MOVES if (m.source, m.action) == (source, action) and post in m.posts]
        assert len([m for m in rows if workflow.GUARDS[m.guard](facts)]) <= 1, (source, action, post, facts)


def test_every_refusal_is_a_workflow_error_with_a_message():
    for (source, action), post, facts in itertools.product(KEYS, Post, ALL_FACTS):
        try:
            step(source, action, post, facts)
        except WorkflowError as error:
            assert str(error).startswith(str(action))


def test_every_action_has_a_row():
    assert {move.action for move in MOVES} == set(Action)


def test_a_collectors_report_goes_from_report_to_close():
    state = walk(
        State.REPORTED,
        (Action.ACCEPT, Post.INTAKE_OPERATOR),
        (Action.OPEN, Post.SHIFT_LEADER),
        (Action.DISPATCH, Post.DISPATCHER),
        (Action.TAKE, Post.DEPARTMENT_HANDLER),
        (Action.FEEDBACK, Post.DEPARTMENT_HANDLER),
        (Action.SEND_CHECK, Post.INTAKE_OPERATOR),
        (Action.PASS_CHECK, Post.COLLECTOR),
        (Action.CLOSE, Post.SHIFT_LEADER),
        facts=Facts(from_collector=True),
    )
    assert state is State.CLOSED


def test_a_hotline_report_is_verified_on_site_before_it_is_opened():
    with pytest.raises(WorkflowError) as caught:
        step(State.ACCEPTED, Action.OPEN, Post.SHIFT_LEADER, Facts(from_collector=False))
    assert caught.value.message == workflow.GUARD_MESSAGES[Guard.FROM_COLLECTOR]
    state = walk(
        State.ACCEPTED,
        (Action.SEND_VERIFICATION, Post.INTAKE_OPERATOR),
        (Action.VERIFY, Post.COLLECTOR),
        (Action.OPEN, Post.SHIFT_LEADER),
    )
    assert state is State.OPEN


def test_a_report_not_found_on_site_is_rejected():
    move = step(State.VERIFYING, Action.REFUTE, Post.COLLECTOR)
    assert (move.target, move.counts, move.needs_reason, move.needs_attachments) == (
        State.REJECTED,
        Count.REFUTED,
        True,
        True,
    )


def test_invalid_and_duplicate_reports_are_rejected_with_their_own_counts():
    assert step(State.REPORTED, Action.REJECT, Post.INTAKE_OPERATOR).counts is Count.REJECTED
    duplicate = step(State.REPORTED, Action.MARK_DUPLICATE, Post.INTAKE_OPERATOR)
    assert (duplicate.target, duplicate.counts, duplicate.needs) == (State.REJECTED, Count.DUPLICATE, {Need.CASE})


def test_a_self_handled_problem_takes_the_short_path_and_is_counted_apart():
    state = workflow.initial_state(self_handled=True)
    accept = step(state, Action.ACCEPT, Post.INTAKE_OPERATOR)
    close = step(accept.target, Action.CLOSE, Post.SHIFT_LEADER)
    assert (state, accept.target, close.target) == (State.SELF_REPORTED, State.SELF_ACCEPTED, State.CLOSED)
    assert close.counts is Count.SELF_HANDLED
    assert workflow.initial_state() is State.REPORTED


def test_a_district_command_centre_dispatches_what_the_city_forwards():
    state = walk(State.OPEN, (Action.FORWARD, Post.DISPATCHER), (Action.DISPATCH, Post.DISTRICT_OPERATOR))
    assert state is State.DISPATCHED
    with pytest.raises(WorkflowError):
        step(State.OPEN, Action.DISPATCH, Post.DISTRICT_OPERATOR)
    assert step(State.AT_DISTRICT, Action.RETURN_TO_CITY, Post.DISTRICT_OPERATOR).target is State.OPEN


def test_an_approved_return_goes_back_to_the_centre_that_dispatched():
    assert step(State.RETURN_REQUESTED, Action.APPROVE_RETURN, Post.DISPATCHER).target is State.OPEN
    assert step(State.RETURN_REQUESTED, Action.APPROVE_RETURN, Post.DISTRICT_OPERATOR).target is State.AT_DISTRICT
    assert step(State.RETURN_REQUESTED, Action.APPROVE_RETURN, Post.DISPATCHER).counts is Count.RETURNED


def test_a_return_needs_a_reason():
    move = step(State.DISPATCHED, Action.REQUEST_RETURN, Post.DEPARTMENT_HANDLER)
    with pytest.raises(WorkflowError) as caught:
        workflow.require(move, [])
    assert str(caught.value) == "request_return needs: reason"
    workflow.require(move, [Need.REASON])


def test_the_second_not_ours_return_goes_to_coordination_in_the_district():
    move = step(State.RETURN_REQUESTED, Action.APPROVE_RETURN, Post.DISPATCHER, Facts(not_ours_returns=2))
    assert (move.target, move.counts) == (State.DISTRICT_COORDINATION, Count.DISPUTED)
    decided = step(move.target, Action.DECIDE, Post.DISTRICT_OPERATOR)
    assert (decided.target, decided.needs) == (State.DISPATCHED, {Need.DEPARTMENT, Need.DECISION})
    with pytest.raises(WorkflowError):
        step(move.target, Action.DECIDE, Post.DISPATCHER)


def test_disputes_across_districts_are_coordinated_by_the_city():
    facts = Facts(not_ours_returns=2, cross_district=True)
    move = step(State.RETURN_REQUESTED, Action.APPROVE_RETURN, Post.DISTRICT_OPERATOR, facts)
    assert move.target is State.CITY_COORDINATION
    assert step(move.target, Action.DECIDE, Post.DISPATCHER).target is State.DISPATCHED
    referred = step(State.DISTRICT_COORDINATION, Action.REFER_UP, Post.DISTRICT_OPERATOR)
    assert referred.target is State.CITY_COORDINATION


def test_a_coordination_decision_binds_the_department():
    with pytest.raises(WorkflowError) as caught:
        step(State.DISPATCHED, Action.REQUEST_RETURN, Post.DEPARTMENT_HANDLER, Facts(decided=True))
    assert caught.value.message == workflow.GUARD_MESSAGES[Guard.UNDECIDED]
    assert step(State.DISPATCHED, Action.TAKE, Post.DEPARTMENT_HANDLER, Facts(decided=True)).target is State.HANDLING


def test_a_failed_check_sends_the_case_back_to_the_department_and_counts():
    move = step(State.CHECKING, Action.REWORK, Post.COLLECTOR)
    assert (move.target, move.counts, move.needs) == (State.DISPATCHED, Count.REWORK, {Need.REASON, Need.PHOTOS})


def test_feedback_needs_text_and_photos():
    move = step(State.HANDLING, Action.FEEDBACK, Post.DEPARTMENT_HANDLER)
    assert move.needs == {Need.NOTE, Need.PHOTOS}
    assert move.needs_attachments and not move.needs_reason


@pytest.mark.parametrize(
    ("request_", "waiting", "approve", "result", "count"),
    [
        (Action.REQUEST_EXTENSION, State.EXTENSION_REQUESTED, Action.APPROVE_EXTENSION, State.HANDLING, Count.EXTENDED),
        (Action.REQUEST_PARK, State.PARK_REQUESTED, Action.APPROVE_PARK, State.PARKED, Count.PARKED),
    ],
)
def test_the_department_asks_and_a_command_centre_approves(request_, waiting, approve, result, count):
    assert step(State.HANDLING, request_, Post.DEPARTMENT_HANDLER).target is waiting
    with pytest.raises(WorkflowError):
        step(waiting, approve, Post.DEPARTMENT_HANDLER)
    for post in (Post.DISPATCHER, Post.DISTRICT_OPERATOR):
        move = step(waiting, approve, post)
        assert (move.target, move.counts) == (result, count)


def test_a_suspended_case_is_restored_by_a_command_centre():
    assert step(State.PARKED, Action.RESTORE, Post.DISPATCHER).target is State.HANDLING
    assert available(State.PARKED, [Post.DEPARTMENT_HANDLER]) == []


def test_only_overdue_cases_are_supervised():
    with pytest.raises(WorkflowError, match="only for overdue cases"):
        step(State.HANDLING, Action.SUPERVISE, Post.SHIFT_LEADER, Facts(overdue=False))
    move = step(State.HANDLING, Action.SUPERVISE, Post.LEADER, Facts(overdue=True))
    assert (move.target, move.counts) == (State.HANDLING, Count.ESCALATED)


def test_the_cost_of_a_non_routine_problem_is_settled_after_the_work():
    move = step(State.CLOSED, Action.SETTLE_COST, Post.DISPATCHER, Facts(non_routine=True))
    assert (move.target, move.needs) == (State.CLOSED, {Need.COST})
    with pytest.raises(WorkflowError, match="only for non-routine problems"):
        step(State.CLOSED, Action.SETTLE_COST, Post.DISPATCHER)


def test_a_legal_violation_is_referred_and_tracked_to_close():
    state = walk(
        State.OPEN,
        (Action.REFER, Post.DISPATCHER),
        (Action.FEEDBACK, Post.DEPARTMENT_HANDLER),
        (Action.SEND_CHECK, Post.INTAKE_OPERATOR),
        (Action.PASS_CHECK, Post.COLLECTOR),
        (Action.CLOSE, Post.SHIFT_LEADER),
    )
    assert state is State.CLOSED
    assert step(State.REFERRED, Action.SUPERVISE, Post.SHIFT_LEADER, Facts(overdue=True)).counts is Count.ESCALATED


def test_only_the_shift_leader_voids_and_always_with_a_reason():
    voids = [move for move in MOVES if move.action is Action.VOID]
    assert {move.posts for move in voids} == {frozenset({Post.SHIFT_LEADER})}
    assert all(move.needs_reason and move.target is State.VOIDED for move in voids)
    with pytest.raises(WorkflowError):
        step(State.HANDLING, Action.VOID, Post.SHIFT_LEADER)


def test_terminal_states_have_no_way_out_but_the_follow_up_reopening():
    leaving = [move for move in MOVES if move.source in workflow.TERMINAL and move.target != move.source]
    assert [(m.source, m.action, m.target) for m in leaving] == [(State.CLOSED, Action.REOPEN, State.ACCEPTED)]
    assert leaving[0].guard is Guard.FOLLOW_UP_DUE and leaving[0].needs_reason


def test_a_follow_up_is_only_for_a_caller_not_yet_called_back():
    for action in (Action.FOLLOW_UP, Action.REOPEN):
        with pytest.raises(WorkflowError) as caught:
            step(State.CLOSED, action, Post.INTAKE_OPERATOR, Facts(follow_up_due=False))
        assert caught.value.message == workflow.GUARD_MESSAGES[Guard.FOLLOW_UP_DUE]
    assert step(State.CLOSED, Action.FOLLOW_UP, Post.INTAKE_OPERATOR, Facts(follow_up_due=True)).target is State.CLOSED


def test_every_state_can_be_reached():
    reached = {workflow.initial_state(), workflow.initial_state(self_handled=True)}
    while True:
        more = {move.target for move in MOVES if move.source in reached} - reached
        if not more:
            break
        reached |= more
    assert reached == set(State)


def test_available_offers_each_action_once_in_table_order():
    actions = available(State.RETURN_REQUESTED, {Post.DISPATCHER, Post.DISTRICT_OPERATOR, Post.SHIFT_LEADER})
    assert actions == [Action.VOID, Action.APPROVE_RETURN, Action.DENY_RETURN]
    assert available(State.HANDLING, Post.DEPARTMENT_HANDLER) == [
        Action.REQUEST_EXTENSION,
        Action.REQUEST_PARK,
        Action.FEEDBACK,
    ]
    assert Action.SUPERVISE in available(State.HANDLING, Post.SHIFT_LEADER, Facts(overdue=True))


def test_available_agrees_with_step_everywhere():
    for state, post, facts in itertools.product(State, Post, ALL_FACTS[::7]):
        for action in Action:
            try:
                step(state, action, post, facts)
                allowed = True
            except WorkflowError:
                allowed = False
            assert allowed == (action in available(state, post, facts)), (state, action, post, facts)


def test_step_takes_plain_strings_as_the_database_stores_them():
    assert step("reported", "accept", "intake_operator").target is State.ACCEPTED
    with pytest.raises(ValueError):
        step("reported", "accept", "mayor")


def test_every_state_and_action_has_an_english_label_and_a_chinese_term():
    assert len(workflow.STATE_LABELS) == len(State) == len(workflow.STATE_TERMS)
    assert len(workflow.ACTION_LABELS) == len(Action) == len(workflow.ACTION_TERMS)
    assert (workflow.STATE_LABELS[State.OPEN], workflow.ACTION_LABELS[Action.OPEN]) == ("Opened", "Open")
    assert workflow.ACTION_TERMS[Action.SEND_VERIFICATION] == "派发核实"
    assert workflow.ACTION_TERMS[Action.SEND_CHECK] == "派发核查"
    labels = [*workflow.STATE_LABELS.values(), *workflow.ACTION_LABELS.values()]
    assert all(label.isascii() for label in labels)


def test_the_mermaid_diagram_shows_every_moving_row():
    diagram = workflow.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for move in MOVES:
        if move.source != move.target:
            assert f"{move.source} --> {move.target}: {move.action}" in diagram
