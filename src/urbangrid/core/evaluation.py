"""Evaluation (综合评价, regulation arts. 29–32): what each count means, how events count, rates and scores.

Pure: no Django. The evaluation app feeds it events (incrementally, in the case's transaction, and again in a
full recount from the event log) and stores what it returns; reports ask it for rates, scores and grades.

Counting is one function, `count_event`, used by both paths, so the maintained counters and a recount cannot
disagree unless the log itself differs. Most counts are *event* counts: a case counts in 立案 for the period
in which its 立案 event happened. The ones that depend on a deadline passing with nothing happening (超期未处置,
and so 应处置 and 应结案) are *state* counts at the end of a period (see QUERY_TIME): a balance of two maintained
flows, overdue_began − overdue_ended summed to that day (OVERDUE_FLOWS, overdue_days), counted by the moves
that begin and end a case's stay with a department; the event log replayed to that moment gives the same.

STANDARDS.md §5 is followed, with its noted mistakes fixed:
- region: the 按期结案率 weight is 40 %, not 10 % (the weights must add up to 100 %); 结案率 and 按期结案率 score as
  the rate itself (higher is better), only 监督举报率 as 100 − rate;
- department: 立案(派遣)数分值 is taken from the department's own 派遣 count, not from 返工数;
- 受理员: the 核查 term uses the 核查 dispatch rate, not the 核实 rate twice;
- 监督员: 漏报率分值 = 100 − 漏报率 (in percent);
- 派遣员: 准确派遣数 = 派遣数 − 错派数 (dispatches returned by the department), where the source subtracts 返工,
  which is a failure of the department's handling, not of the dispatch.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from urbangrid.core.codes import gettext_noop
from urbangrid.core.posts import Post


@dataclass(frozen=True)
class Definition:
    name: str  # the column / key
    term: str  # the Chinese term of the standard
    label: str  # English msgid
    text: str  # English: "a case counts in … for a period when …"


_ = gettext_noop
# The base counts kept per day × grid × class × department × source (evaluation.models.Tally).
FACT_COUNTS: tuple[Definition, ...] = (
    Definition("reported", "上报", _("Reported"),
               _("A report counts when it is taken in (any source, self-handled included) in the period.")),
    Definition("public_reported", "公众举报", _("Public reports"),
               _("A report from the public or the 12319 hotline counts when it is taken in in the period.")),
    Definition("accepted", "受理", _("Accepted"),
               _("A report counts when the intake operator accepts it in the period (self-handled reports too).")),
    Definition("rejected", "不予受理", _("Rejected"),
               _("A report counts when it is rejected as invalid or marked as a duplicate in the period.")),
    Definition("verified", "监督举报核实", _("Public reports confirmed"),
               _("A public or hotline report counts when a collector confirms it on site (核实属实) in the period: "
                 "a problem the collectors had not reported.")),
    Definition("refuted", "核实不属实", _("Reports not confirmed"),
               _("A report counts when the collector finds nothing on site in the period.")),
    Definition("opened", "立案", _("Opened"),
               _("A case counts when it is opened (立案: reviewed, classified, a filing condition met) in the "
                 "period.")),
    Definition("voided", "作废", _("Voided"),
               _("A case counts when the shift leader voids it in the period.")),
    Definition("dispatched", "派遣", _("Dispatched"),
               _("A dispatch counts when a case is sent to a department in the period: by the city or a district "
                 "centre, by a coordination decision or as a referral to law enforcement; a case sent again after "
                 "a return counts again.")),
    Definition("returned", "回退", _("Returned"),
               _("A return counts when the command centre approves a department's return request in the period; "
                 "it counts for the department that returned the case.")),
    Definition("misdispatched", "错派", _("Wrongly dispatched"),
               _("A case counts once, when its first return is approved in the period: it was sent to a department "
                 "that was not responsible and goes to a second one.")),
    Definition("shirked", "推诿", _("Returns refused"),
               _("A return request counts when the command centre refuses it in the period: the department tried "
                 "to return a case that was its own (art. 32).")),
    Definition("handled", "处置", _("Handled"),
               _("A case counts when its department reports it handled (处理反馈) for the first time, in the period.")),
    Definition("handled_on_time", "按期处置", _("Handled on time"),
               _("A case counted in 处置 counts when that first report came by its handling deadline.")),
    Definition("closed", "结案", _("Closed"),
               _("A case counts when it is closed after a passed check in the period (self-handled cases apart).")),
    Definition("closed_on_time", "按期结案", _("Closed on time"),
               _("A case counted in 结案 counts when the handling that passed the check was reported by the "
                 "deadline (extensions and suspensions included).")),
    Definition("closed_late", "超期结案", _("Closed late"),
               _("A case counted in 结案 counts when the handling that passed the check came after the deadline.")),
    Definition("reworked", "返工", _("Rework"),
               _("A rework counts when a check fails in the period and the case goes back to its department; "
                 "a case reworked twice counts twice.")),
    Definition("extended", "延期", _("Extended"),
               _("An extension counts when the command centre approves it in the period.")),
    Definition("parked", "挂账/缓办", _("Suspended"),
               _("A suspension counts when the command centre approves it in the period.")),
    Definition("self_handled", "自处置", _("Self-handled"),
               _("A case counts when a collector's on-the-spot fix is closed in the period (art. 17).")),
    Definition("escalated", "督办", _("Supervised"),
               _("An overdue case counts each time it is supervised (督办) in the period.")),
    Definition("followed_up", "回访满意", _("Callers satisfied"),
               _("A closed hotline or public case counts when its caller, called back (回访) in the period, is "
                 "satisfied.")),
    Definition("reopened", "回访不满意", _("Reopened after a call-back"),
               _("A closed hotline or public case counts when its caller, called back (回访) in the period, says the "
                 "problem remains and the case goes back to the supervision centre; closed again later, it counts "
                 "in 结案 again.")),
)
# Counted at the end of a period: 超期未处置 as the balance of OVERDUE_FLOWS to that day (a deadline passing is no
# event, but its day is known when the move that sets it is counted).
QUERY_TIME: tuple[Definition, ...] = (
    Definition("overdue_unhandled", "超期未处置", _("Overdue, not handled"),
               _("A case counts when, at the end of the period, it is with a department (dispatched, handling, "
                 "waiting for a return, extension or suspension decision), its deadline has passed and it is not "
                 "suspended. Counted for the department it is with.")),
    Definition("due_to_handle", "应处置", _("Due to be handled"),
               _("处置 + 超期未处置.")),
    Definition("due_to_close", "应结案", _("Due to be closed"),
               _("结案 + 超期未处置: the cases closed in the period and those overdue and not handled at its end "
                 "(suspended cases are left out, as in 金华).")),
)
# 超期未处置 at the end of a past day, kept as a balance: per day × grid × class × department × source, the
# cases that became overdue and those that stopped being so, each counted once (overdue_days below says on which
# day); overdue at the end of day D = the sum over days ≤ D of began − ended. Not period counts: a report reads
# them only as that balance.
OVERDUE_FLOWS: tuple[Definition, ...] = (
    Definition("overdue_began", "超期开始", _("Became overdue"),
               _("A case counts on the day its deadline passes while it is with a department (or on the day it "
                 "comes to a department with its deadline already passed), for the department it is with.")),
    Definition("overdue_ended", "超期结束", _("No longer overdue"),
               _("A case counted in 超期开始 counts when the next move takes it out of that condition (handled, "
                 "returned, extended, suspended, voided or sent on), on the day of the move, for the same "
                 "department; a move before the end of the day the deadline passed ends nothing that a day's end "
                 "saw, and counts on that day.")),
)
# Per day × user × post (evaluation.models.PostTally).
POST_COUNTS: tuple[Definition, ...] = (
    Definition("valid_reports", "有效上报", _("Valid reports"),
               _("A collector's report counts when it is opened (立案) in the period, for the collector.")),
    Definition("verifications", "应核实", _("Verifications"),
               _("A verification counts when the collector finishes it (属实 or 不属实) in the period.")),
    Definition("verifications_on_time", "按时核实", _("Verified on time"),
               _("A verification counts when it was finished within the 核实 step limit.")),
    Definition("checks", "应核查", _("Checks"),
               _("A check counts when the collector finishes it (passed or rework) in the period.")),
    Definition("checks_on_time", "按时核查", _("Checked on time"),
               _("A check counts when it was finished within the 核查 step limit.")),
    Definition("intake", "受理数", _("Reports taken"),
               _("A report counts for the intake operator who accepted, rejected or merged it in the period.")),
    Definition("intake_on_time", "按时受理", _("Taken on time"),
               _("A report counted in 受理数 counts when it was taken within the 受理 step limit.")),
    Definition("verification_sends", "核实派发", _("Verifications sent"),
               _("A verification task counts for the intake operator who sent it in the period.")),
    Definition("verification_sends_on_time", "核实按时派发", _("Verifications sent on time"),
               _("A verification task counts when it was sent within the step limit of the accepted report.")),
    Definition("check_sends", "核查派发", _("Checks sent"),
               _("A check task counts for the intake operator who sent it in the period.")),
    Definition("check_sends_on_time", "核查按时派发", _("Checks sent on time"),
               _("A check task counts when it was sent within the step limit (no limit set: on time).")),
    Definition("opened", "立案数", _("Opened"),
               _("A case counts for the shift leader who opened it in the period.")),
    Definition("opened_on_time", "按时立案", _("Opened on time"),
               _("A case counts when it was opened within the 立案 step limit.")),
    Definition("voided", "作废数", _("Voided"),
               _("A case counts for the shift leader who voided it in the period.")),
    Definition("closed", "结案数", _("Closed"),
               _("A case counts for the shift leader who closed it in the period (self-handled cases too).")),
    Definition("closed_on_time", "按时结案", _("Closed on time"),
               _("A case counts when it was closed within the 结案 step limit.")),
    Definition("dispatched", "派遣数", _("Dispatched"),
               _("A dispatch (to a department, to a district centre, or a referral) counts for the dispatcher or "
                 "district operator who made it in the period.")),
    Definition("dispatched_on_time", "按时派遣", _("Dispatched on time"),
               _("A dispatch counts when it was made within the 派遣 step limit.")),
    Definition("misdispatched", "错派数", _("Wrongly dispatched"),
               _("A dispatch counts for the person who made it when the department's return of it is approved, "
                 "in the period of the approval.")),
    Definition("reports", "上报数", _("Reports"),
               _("A collector's report counts for the collector who made it on the city day it is taken in.")),
    Definition("missed", "漏报", _("Missed"),
               _("A public or hotline report confirmed on site counts, on the city day of the confirmation, for "
                 "every collector responsible for its grid on that day: a problem they should have reported. A "
                 "change of a collector's grids counts from the next city day.")),
    Definition("opened_in_grids", "网格立案数", _("Opened in their grids"),
               _("A case counts, on the city day it is opened, for every collector responsible for its grid on "
                 "that day (漏报率 = 漏报 / this). A change of a collector's grids counts from the next city day.")),
)
# Derived from the maintained counts of the same person and post.
POST_QUERY_TIME: tuple[Definition, ...] = (
    Definition("accurate_opened", "准确立案数", _("Accurately opened"), _("立案数 − 作废数 of the shift leader.")),
    Definition("accurate_dispatched", "准确派遣数", _("Accurately dispatched"),
               _("派遣数 − 错派数 of the dispatcher.")),
)
FACT_NAMES = tuple(d.name for d in FACT_COUNTS)
POST_NAMES = tuple(d.name for d in POST_COUNTS)
FLOW_NAMES = tuple(d.name for d in OVERDUE_FLOWS)
DEFINITIONS = {d.name: d for d in (*FACT_COUNTS, *QUERY_TIME)}
POST_DEFINITIONS = {d.name: d for d in (*POST_COUNTS, *POST_QUERY_TIME)}


@dataclass(frozen=True)
class Rate:
    name: str
    term: str
    label: str
    numerator: str
    denominator: str
    higher_is_better: bool = True


RATES: tuple[Rate, ...] = (
    Rate("close_rate", "结案率", _("Closing rate"), "closed", "due_to_close"),
    Rate("close_on_time_rate", "按期结案率", _("On-time closing rate"), "closed_on_time", "due_to_close"),
    Rate("handle_rate", "处置率", _("Handling rate"), "handled", "due_to_handle"),
    Rate("handle_on_time_rate", "按期处置率", _("On-time handling rate"), "handled_on_time", "due_to_handle"),
    Rate("rework_rate", "返工率", _("Rework rate"), "reworked", "due_to_close", False),
    Rate("late_close_rate", "超期结案率", _("Late closing rate"), "closed_late", "due_to_close", False),
    Rate("extension_rate", "延期率", _("Extension rate"), "extended", "dispatched", False),
    Rate("public_rate", "监督举报率", _("Public report rate"), "verified", "opened", False),
    Rate("return_rate", "回退率", _("Return rate"), "returned", "dispatched", False),
)
POST_RATES: tuple[Rate, ...] = (
    Rate("valid_report_rate", "有效上报率", _("Valid report rate"), "valid_reports", "reports"),
    Rate("missed_rate", "漏报率", _("Missed report rate"), "missed", "opened_in_grids", False),
    Rate("verify_on_time_rate", "按时核实率", _("On-time verification rate"), "verifications_on_time",
         "verifications"),
    Rate("check_on_time_rate", "按时核查率", _("On-time check rate"), "checks_on_time", "checks"),
    Rate("intake_on_time_rate", "按时受理率", _("On-time intake rate"), "intake_on_time", "intake"),
    Rate("verify_send_rate", "核实按时派发率", _("Verifications sent on time"), "verification_sends_on_time",
         "verification_sends"),
    Rate("check_send_rate", "核查按时派发率", _("Checks sent on time"), "check_sends_on_time", "check_sends"),
    Rate("open_on_time_rate", "按时立案率", _("On-time opening rate"), "opened_on_time", "opened"),
    Rate("accurate_open_rate", "准确立案率", _("Accurate opening rate"), "accurate_opened", "opened"),
    Rate("close_step_on_time_rate", "按时结案率", _("Closed within the step limit"), "closed_on_time", "closed"),
    Rate("dispatch_on_time_rate", "按时派遣率", _("On-time dispatch rate"), "dispatched_on_time", "dispatched"),
    Rate("accurate_dispatch_rate", "准确派遣率", _("Accurate dispatch rate"), "accurate_dispatched", "dispatched"),
)
RATE_BY_NAME = {r.name: r for r in RATES}
POST_RATE_BY_NAME = {r.name: r for r in POST_RATES}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, 2 decimals; None when nothing was due (no rate, not 0 % nor 100 %)."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def complete(counts: Mapping[str, int]) -> dict[str, int]:
    """The base counts with the derived ones (应处置, 应结案) added."""
    out = {name: int(counts.get(name, 0) or 0) for name in (*FACT_NAMES, "overdue_unhandled")}
    out["due_to_handle"] = out["handled"] + out["overdue_unhandled"]
    out["due_to_close"] = out["closed"] + out["overdue_unhandled"]
    return out


def rates(counts: Mapping[str, int]) -> dict[str, Decimal | None]:
    return {r.name: percent(counts.get(r.numerator, 0), counts.get(r.denominator, 0)) for r in RATES}


def complete_post(counts: Mapping[str, int]) -> dict[str, int]:
    out = {name: int(counts.get(name, 0) or 0) for name in POST_NAMES}
    out["accurate_opened"] = max(out["opened"] - out["voided"], 0)
    out["accurate_dispatched"] = max(out["dispatched"] - out["misdispatched"], 0)
    return out


def post_rates(counts: Mapping[str, int]) -> dict[str, Decimal | None]:
    return {r.name: percent(counts.get(r.numerator, 0), counts.get(r.denominator, 0)) for r in POST_RATES}


# ---------------------------------------------------------------------------------------------------------
# Counting one event


DISPATCHING = frozenset({"dispatch", "decide", "refer"})  # send the case to a department: its clock starts
TO_DISPATCHER = frozenset({"dispatch", "forward", "refer"})  # a 派遣员's or district operator's dispatch
# These leave the state (and its step clock) as it was.
NON_MOVING = frozenset({"supervise", "settle_cost", "erase_personal_data"})
PUBLIC_SOURCES = frozenset({"public", "hotline"})


@dataclass(frozen=True)
class Event:
    """What counting looks at in one event and in its case right after it."""

    action: str
    source: str  # from-state
    at: datetime
    actor_id: int | None
    post: str
    data: Mapping
    due_after: datetime | None
    case_source: str
    reporter_id: int | None
    reworks: int  # of the case, this event included
    returns: int  # approved returns of the case, this event included
    step_on_time: bool = True  # whether the step this event ends was done within its limit (no limit: True)
    last_dispatch: tuple[int, str] | None = None  # (actor, post) of the dispatch this event returns


# Post counts of the collectors responsible for the case's grid on the event's day (GridSpell): fact → count.
FOR_GRID = {"verified": "missed", "opened": "opened_in_grids"}


@dataclass(frozen=True)
class Counted:
    facts: tuple[str, ...] = ()
    posts: tuple[tuple[int, str, str], ...] = field(default=())  # (user, post, count)

    @property
    def for_grid(self) -> tuple[str, ...]:
        """The counts that go to every collector responsible for the case's grid that day (FOR_GRID)."""
        return tuple(FOR_GRID[f] for f in self.facts if f in FOR_GRID)


NOTHING = Counted()


def count_event(e: Event) -> Counted:
    """The fact counts and post counts this event adds (the definitions above, as code)."""
    a, facts, posts = e.action, [], []

    def post(name: str, on_time: str | None = None, user=None, held=None) -> None:
        user = e.actor_id if user is None else user
        if user is None:
            return
        held = held or e.post
        posts.append((user, held, name))
        if on_time and e.step_on_time:
            posts.append((user, held, on_time))

    if a == "report":
        facts.append("reported")
        if e.case_source in PUBLIC_SOURCES:
            facts.append("public_reported")
        if e.case_source == "collector" and e.reporter_id is not None:
            post("reports", user=e.reporter_id, held=Post.COLLECTOR.value)
    elif a == "accept":
        facts.append("accepted")
        post("intake", "intake_on_time")
    elif a in ("reject", "mark_duplicate"):
        facts.append("rejected")
        post("intake", "intake_on_time")
    elif a in ("verify", "refute"):
        facts.append("verified" if a == "verify" else "refuted")
        post("verifications", "verifications_on_time")
    elif a == "send_verification":
        post("verification_sends", "verification_sends_on_time")
    elif a == "send_check":
        post("check_sends", "check_sends_on_time")
    elif a == "open":
        facts.append("opened")
        post("opened", "opened_on_time")
        if e.case_source == "collector" and e.reporter_id is not None:
            post("valid_reports", user=e.reporter_id, held=Post.COLLECTOR.value)
    elif a == "void":
        facts.append("voided")
        post("voided")
    elif a == "approve_return":
        facts.append("returned")
        if e.returns == 1:
            facts.append("misdispatched")
        if e.last_dispatch is not None:
            post("misdispatched", user=e.last_dispatch[0], held=e.last_dispatch[1])
    elif a == "deny_return":
        facts.append("shirked")
    elif a == "feedback":
        if e.reworks == 0:
            facts.append("handled")
            if e.due_after is None or e.at <= e.due_after:
                facts.append("handled_on_time")
    elif a in ("pass_check", "rework"):
        if a == "rework":
            facts.append("reworked")
        post("checks", "checks_on_time")
    elif a == "close":
        if e.source == "self_accepted":
            facts.append("self_handled")
        else:
            facts.append("closed")
            on_time = e.data.get("on_time")
            if on_time is True:
                facts.append("closed_on_time")
            elif on_time is False:
                facts.append("closed_late")
        post("closed", "closed_on_time")
    elif a == "approve_extension":
        facts.append("extended")
    elif a == "approve_park":
        facts.append("parked")
    elif a == "supervise":
        facts.append("escalated")
    elif a == "follow_up":
        facts.append("followed_up")
    elif a == "reopen":
        facts.append("reopened")
    if a in DISPATCHING:
        facts.append("dispatched")
    if a in TO_DISPATCHER:
        post("dispatched", "dispatched_on_time")
    return Counted(tuple(facts), tuple(posts))


# The actions whose events can count in each base count: count_event above, read the other way round. The
# drill-down (evaluation.drilldown) replays only cases with such an event in the period; a test checks the map
# against count_event for every move of the workflow.
COUNTED_BY: dict[str, frozenset[str]] = {
    "reported": frozenset({"report"}),
    "public_reported": frozenset({"report"}),
    "accepted": frozenset({"accept"}),
    "rejected": frozenset({"reject", "mark_duplicate"}),
    "verified": frozenset({"verify"}),
    "refuted": frozenset({"refute"}),
    "opened": frozenset({"open"}),
    "voided": frozenset({"void"}),
    "dispatched": DISPATCHING,
    "returned": frozenset({"approve_return"}),
    "misdispatched": frozenset({"approve_return"}),
    "shirked": frozenset({"deny_return"}),
    "handled": frozenset({"feedback"}),
    "handled_on_time": frozenset({"feedback"}),
    "closed": frozenset({"close"}),
    "closed_on_time": frozenset({"close"}),
    "closed_late": frozenset({"close"}),
    "reworked": frozenset({"rework"}),
    "extended": frozenset({"approve_extension"}),
    "parked": frozenset({"approve_park"}),
    "self_handled": frozenset({"close"}),
    "escalated": frozenset({"supervise"}),
    "followed_up": frozenset({"follow_up"}),
    "reopened": frozenset({"reopen"}),
}


def overdue_days(start: datetime, due: datetime, end: datetime | None, day) -> tuple[date, date | None]:
    """(day counted in overdue_began, day counted in overdue_ended or None while it lasts) of one stay with a
    department under one deadline: from the move at `start` that left the case with the department with
    deadline `due` to the next move at `end` (None: none yet). `day` gives an instant's city date.

    超期未处置 at the end of day D (the instant E, the next midnight) counts a case when its last move before E
    left it with a department and its deadline before E: during this stay, for start < E ≤ end and due < E,
    that is for the days D with day(max(start, due)) ≤ D < day(end). So the stay adds 1 from the first day
    and takes it away from the second; a stay that ends before a day's end saw it overdue adds and takes away
    on the same day (both counts are only ever added to, and the balance is exact either way). The first day
    is known when the stay begins, the second when it ends: both are counted by the moves (in their
    transaction), never by the sweep that notices deadlines passing.
    """
    began = day(max(start, due))
    return began, None if end is None else max(day(end), began)


def department_of(action: str, data: Mapping, current: int | None) -> int | None:
    """The department an event counts for: the one it names (the returned-from one for a return), else the
    department the case is with after it."""
    named = data.get("department")
    return named if isinstance(named, int) else current


def department_after(action: str, data: Mapping, before: int | None) -> int | None:
    """The case's department after an event, replayed from the log (as cases.effects sets it)."""
    if action in DISPATCHING:
        return data.get("department", before)
    if action == "approve_return":
        return None
    return before


# ---------------------------------------------------------------------------------------------------------
# Periods


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Days first..last, both included (city dates)."""

    kind: PeriodKind
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        if self.kind == PeriodKind.CUSTOM or self.kind == PeriodKind.DAY or self.kind == PeriodKind.WEEK:
            return Period(self.kind, self.first - timedelta(days=self.days), self.first - timedelta(days=1))
        return period(self.kind, self.first - timedelta(days=1))


def period(kind: PeriodKind | str, day: date, last: date | None = None) -> Period:
    """The period of `kind` that contains `day` (weeks start on Monday); CUSTOM runs from `day` to `last`."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.DAY:
        return Period(kind, day, day)
    if kind == PeriodKind.WEEK:
        first = day - timedelta(days=day.weekday())
        return Period(kind, first, first + timedelta(days=6))
    if kind == PeriodKind.MONTH:
        return Period(kind, day.replace(day=1), _month_end(day.year, day.month))
    if kind == PeriodKind.QUARTER:
        month = 3 * ((day.month - 1) // 3) + 1
        return Period(kind, date(day.year, month, 1), _month_end(day.year, month + 2))
    if kind == PeriodKind.YEAR:
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    if last is None or last < day:
        raise ValueError(gettext_noop("The last day must not be before the first."))
    if (last - day).days > 3660:
        raise ValueError(gettext_noop("A custom period may span at most ten years."))
    return Period(kind, day, last)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------
# Scores, grades, ranks


class Method(StrEnum):
    RATE = "rate"  # the rate in percent is the score (higher is better)
    INVERSE_RATE = "inverse_rate"  # 100 − rate (lower is better)
    BANDS_UP = "bands_up"  # a count scored by bands; larger counts are better (受理数)
    BANDS_DOWN = "bands_down"  # a count scored by bands; smaller counts are better (区域立案数)


@dataclass(frozen=True)
class Term:
    indicator: str  # a rate name or a count name
    weight: Decimal  # in percent
    method: Method
    bands: tuple[tuple[int, Decimal], ...] = ()  # (threshold, score): see band_score


def band_score(value: int, method: Method, bands: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Bands as (threshold, score) pairs.

    BANDS_DOWN: the first band with value ≤ threshold scores (区域: 0 → 100, ≤ 2 → 90, …; a count above every
    threshold scores 0). BANDS_UP: the first band with value ≥ threshold, thresholds in descending order
    (受理员: ≥ 2001 → 100, ≥ 1201 → 90, …; below every threshold scores 0).
    """
    for threshold, score in bands:
        if (method == Method.BANDS_DOWN and value <= threshold) or (method == Method.BANDS_UP and value >= threshold):
            return Decimal(score)
    return Decimal(0)


def term_score(term: Term, values: Mapping[str, object]) -> Decimal | None:
    value = values.get(term.indicator)
    if value is None:
        return None
    if term.method == Method.RATE:
        return Decimal(value)
    if term.method == Method.INVERSE_RATE:
        return HUNDRED - Decimal(value)
    return band_score(int(value), term.method, term.bands)


def composite(terms: Iterable[Term], values: Mapping[str, object]) -> Decimal | None:
    """综合指标值 = Σ weight × score / 100 over the terms that apply. A term with no value (no case was due)
    is left out and the others are scaled to their own weights; with no term at all there is no score."""
    total, weights = Decimal(0), Decimal(0)
    for term in terms:
        score = term_score(term, values)
        if score is None:
            continue
        total += Decimal(term.weight) * score
        weights += Decimal(term.weight)
    if not weights:
        return None
    return (total / weights).quantize(CENT, ROUND_HALF_UP)


DEFAULT_GRADES: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal(90)), ("B", Decimal(75)), ("C", Decimal(60)), ("D", Decimal(40)), ("E", Decimal(0)),
)


def grade(score: Decimal | None, grades: Iterable[tuple[str, Decimal]] = DEFAULT_GRADES) -> str:
    """A ≥ 90, B 75–89, C 60–74, D 40–59, E < 40 (STANDARDS.md §5.5); '' without a score."""
    if score is None:
        return ""
    for letter, floor in grades:
        if score >= floor:
            return letter
    return ""


def rank(scores: Iterable[Decimal | None]) -> list[int | None]:
    """Standard competition ranking: equal scores share a rank and the next rank skips (1, 1, 3)."""
    scores = list(scores)
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return [None if s is None else first[s] for s in scores]


# The defaults of STANDARDS.md §5.2–5.5, fixed as the module docstring says; stored as a rule set version.
REGION_BANDS_1 = ((0, 100), (2, 90), (4, 75), (6, 60), (8, 40))  # 一类区域: 0, <3, <5, <7, <9
DEPARTMENT_BANDS = ((50, 100), (100, 90), (200, 75), (500, 60), (1000, 40))
INTAKE_BANDS = ((2001, 100), (1201, 90), (501, 75), (301, 60), (101, 40))
DEFAULT_RULES: dict[str, tuple[tuple[str, int, str, tuple], ...]] = {
    "region": (
        ("public_rate", 10, Method.INVERSE_RATE, ()),
        ("opened", 20, Method.BANDS_DOWN, REGION_BANDS_1),
        ("close_rate", 30, Method.RATE, ()),
        ("close_on_time_rate", 40, Method.RATE, ()),
    ),
    "department": (
        ("dispatched", 10, Method.BANDS_DOWN, DEPARTMENT_BANDS),
        ("close_rate", 30, Method.RATE, ()),
        ("handle_on_time_rate", 30, Method.RATE, ()),
        ("rework_rate", 30, Method.INVERSE_RATE, ()),
    ),
    Post.COLLECTOR.value: (
        ("valid_report_rate", 40, Method.RATE, ()),
        ("missed_rate", 20, Method.INVERSE_RATE, ()),
        ("verify_on_time_rate", 20, Method.RATE, ()),
        ("check_on_time_rate", 20, Method.RATE, ()),
    ),
    Post.INTAKE_OPERATOR.value: (
        ("intake", 25, Method.BANDS_UP, INTAKE_BANDS),
        ("verify_send_rate", 40, Method.RATE, ()),
        ("check_send_rate", 35, Method.RATE, ()),
    ),
    Post.SHIFT_LEADER.value: (
        ("open_on_time_rate", 25, Method.RATE, ()),
        ("accurate_open_rate", 40, Method.RATE, ()),
        ("close_step_on_time_rate", 35, Method.RATE, ()),
    ),
    Post.DISPATCHER.value: (
        ("dispatched", 20, Method.BANDS_UP, INTAKE_BANDS),  # no 派遣数 bands are published: the 受理数 ones
        ("dispatch_on_time_rate", 40, Method.RATE, ()),
        ("accurate_dispatch_rate", 40, Method.RATE, ()),
    ),
}
DEFAULT_RULES[Post.DISTRICT_OPERATOR.value] = DEFAULT_RULES[Post.DISPATCHER.value]
SUBJECTS = tuple(DEFAULT_RULES)  # what a rule set scores: regions, departments, and each evaluated post


def default_terms(subject: str) -> list[Term]:
    return [
        Term(indicator, Decimal(weight), Method(method), tuple((t, Decimal(s)) for t, s in bands))
        for indicator, weight, method, bands in DEFAULT_RULES[subject]
    ]
