"""A small scripted case history over two weeks, with every indicator's value worked out by hand.

Week 1 is Mon 2026-11-30 … Sun 12-06, week 2 Mon 12-07 … Sun 12-13 (working hours 08–12, 14–18; step limits
15 working minutes, 核实/核查 30; the class 06001 condition 1 has a handling limit of 4 working hours).

A  collector report, everything on time, closed Mon.
B  accepted late; dispatched to 园林局, returned ("not ours", 错派), re-dispatched to 市政局; first feedback
   late; 核查 fails (返工); handled again and closed Tue: 超期结案.
C  hotline report, 核实 by Li, dispatched, 延期 by one working day, fed back on time Wed; never closed.
D  dispatched, suspended (挂账): no deadline, so never overdue.
E  opened and voided (作废).
F  dispatched Mon 16:45 (due Tue 10:45), taken, nothing more in week 1: overdue at the end of week 1;
   fed back and closed late in week 2.
G  a collector's on-the-spot fix (自处置).
H  public report, rejected.
I  dispatched Tue 11:15 (due 17:15); the department's return request is refused (推诿); overdue at the end of
   both weeks.
J  reported Sun 23:50 (week 1), accepted Mon 08:05 (week 2, within the 15 working minutes).
"""

import datetime as dt

from tests.cases.builders import CLASSIFY, photo
from tests.cases.helpers import GRID1, GRID4, SHANGHAI
from urbangrid.cases import actions
from urbangrid.cases.models import Case

WEEK1 = dt.date(2026, 11, 30)
WEEK2 = dt.date(2026, 12, 7)
PHOTOS = {"verify": ["evidence"], "feedback": ["before", "after"], "pass_check": ["evidence"],
          "rework": ["evidence"]}


def at(day: int, hhmm: str) -> dt.datetime:
    """Day 0 = Mon 2026-11-30."""
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime(2026, 11, 30, hours, minutes, tzinfo=SHANGHAI) + dt.timedelta(days=day)


def script(cast) -> list[tuple]:
    shizheng = {"department_id": cast.shizheng.pk, "reason": "按职责派遣"}
    yuanlin = {"department_id": cast.yuanlin.pk, "reason": "按职责派遣"}
    note = {"note": "已处理"}
    reason = {"reason": "理由"}
    return [
        (at(0, "09:00"), "A", "li", "report", {}),
        (at(0, "09:05"), "A", "wang", "accept", {}),
        (at(0, "09:10"), "A", "zhao", "open", CLASSIFY),
        (at(0, "09:20"), "A", "sun", "dispatch", shizheng),
        (at(0, "09:30"), "B", "li", "report", {"where": GRID4}),
        (at(0, "10:00"), "A", "zhou", "take", {}),
        (at(0, "10:00"), "B", "wang", "accept", {}),
        (at(0, "10:05"), "B", "zhao", "open", CLASSIFY),
        (at(0, "10:10"), "B", "sun", "dispatch", yuanlin),
        (at(0, "10:20"), "B", "wu", "request_return", {"reason": "非本单位职责", "return_reason": "not_ours"}),
        (at(0, "10:30"), "B", "sun", "approve_return", {}),
        (at(0, "10:40"), "B", "sun", "dispatch", shizheng),
        (at(0, "10:50"), "B", "zhou", "take", {}),
        (at(0, "11:00"), "A", "zhou", "feedback", note),
        (at(0, "11:05"), "A", "wang", "send_check", {}),
        (at(0, "11:20"), "A", "li", "pass_check", {}),
        (at(0, "11:30"), "A", "zhao", "close", {}),
        (at(0, "14:00"), "C", "wang", "report", {"source": "hotline"}),
        (at(0, "14:05"), "C", "wang", "accept", {}),
        (at(0, "14:10"), "C", "wang", "send_verification", {}),
        (at(0, "14:30"), "C", "li", "verify", {}),
        (at(0, "14:35"), "C", "zhao", "open", CLASSIFY),
        (at(0, "14:40"), "C", "sun", "dispatch", shizheng),
        (at(0, "15:00"), "C", "zhou", "take", {}),
        (at(0, "15:00"), "D", "li", "report", {}),
        (at(0, "15:05"), "D", "wang", "accept", {}),
        (at(0, "15:10"), "C", "zhou", "request_extension",
         {"reason": "工程量大", "duration": 1, "duration_unit": "work_days"}),
        (at(0, "15:10"), "D", "zhao", "open", CLASSIFY),
        (at(0, "15:15"), "D", "sun", "dispatch", shizheng),
        (at(0, "15:20"), "C", "sun", "approve_extension", {}),
        (at(0, "15:25"), "D", "zhou", "take", {}),
        (at(0, "15:30"), "D", "zhou", "request_park", {"reason": "需要专项资金"}),
        (at(0, "15:40"), "D", "sun", "approve_park", {}),
        (at(0, "16:00"), "E", "li", "report", {}),
        (at(0, "16:05"), "E", "wang", "accept", {}),
        (at(0, "16:10"), "E", "zhao", "open", CLASSIFY),
        (at(0, "16:20"), "E", "zhao", "void", reason),
        (at(0, "16:30"), "F", "li", "report", {}),
        (at(0, "16:35"), "F", "wang", "accept", {}),
        (at(0, "16:40"), "F", "zhao", "open", CLASSIFY),
        (at(0, "16:45"), "F", "sun", "dispatch", shizheng),
        (at(0, "16:50"), "F", "zhou", "take", {}),
        (at(0, "17:00"), "B", "zhou", "feedback", note),
        (at(0, "17:05"), "B", "wang", "send_check", {}),
        (at(0, "17:10"), "B", "li", "rework", reason),
        (at(1, "08:55"), "B", "zhou", "take", {}),
        (at(1, "09:00"), "B", "zhou", "feedback", note),
        (at(1, "09:00"), "G", "li", "report", {"self_handled": True}),
        (at(1, "09:05"), "B", "wang", "send_check", {}),
        (at(1, "09:05"), "G", "wang", "accept", {}),
        (at(1, "09:10"), "B", "li", "pass_check", {}),
        (at(1, "09:10"), "G", "zhao", "close", {}),
        (at(1, "09:15"), "B", "zhao", "close", {}),
        (at(1, "10:00"), "H", "wang", "report", {"source": "public"}),
        (at(1, "10:05"), "H", "wang", "reject", reason),
        (at(1, "11:00"), "I", "li", "report", {}),
        (at(1, "11:05"), "I", "wang", "accept", {}),
        (at(1, "11:10"), "I", "zhao", "open", CLASSIFY),
        (at(1, "11:15"), "I", "sun", "dispatch", shizheng),
        (at(1, "11:20"), "I", "zhou", "request_return", {"reason": "不归我们", "return_reason": "other"}),
        (at(1, "11:30"), "I", "sun", "deny_return", reason),
        (at(2, "08:30"), "C", "zhou", "feedback", note),
        (at(6, "23:50"), "J", "li", "report", {}),
        (at(7, "08:05"), "J", "wang", "accept", {}),
        (at(7, "09:00"), "F", "zhou", "feedback", note),
        (at(7, "09:05"), "F", "wang", "send_check", {}),
        (at(7, "09:10"), "F", "li", "pass_check", {}),
        (at(7, "09:15"), "F", "zhao", "close", {}),
    ]


def play(cast, now) -> dict[str, Case]:
    """Run the script with the case app's clock; the cases by letter."""
    cases: dict[str, Case] = {}
    for when, letter, who, action, given in script(cast):
        assert when >= now.at, (letter, action)
        now.at = when
        actor = getattr(cast, who)
        given = dict(given)
        if action == "report":
            where = given.pop("where", GRID1)
            fields = {"kind": "matter", "description": f"案件{letter}", "lon": where[0], "lat": where[1], **given}
            cases[letter], _created = actions.report(actor, source=fields.pop("source", "collector"), **fields)
            continue
        case = Case.objects.get(pk=cases[letter].pk)
        given["attachments"] = [photo(case, actor, kind).pk for kind in PHOTOS.get(action, [])]
        cases[letter] = actions.act(case.pk, actor, action, case.version, **given)
    return cases
