"""Queue pages: what waits for each post, filters, deadline order, keyset pages, bulk actions, self-refresh."""

import re
from itertools import pairwise

import pytest
from django.db import connection

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1, GRID4, MONDAY_9AM, Api, ok
from tests.workbench.helpers import state_of
from urbangrid.cases import queries
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State
from urbangrid.dispatch.models import DispatchRule

pytestmark = pytest.mark.django_db
S = State
NEAR = (GRID1[0] + 0.0002, GRID1[1])


def numbers(page) -> list[str]:
    return re.findall(r'<a href="/work/cases/\d+/">(\d{4}-\d{4}-\d{6})</a>', page.content.decode())


def test_each_queue_lists_only_what_waits_for_its_post(browse, cast):
    reported = make_case(cast, S.REPORTED)
    accepted = make_case(cast, S.ACCEPTED)
    opened = make_case(cast, S.OPEN)
    dispatched = make_case(cast, S.DISPATCHED)
    assert numbers(browse(cast.wang).get("/work/queue/intake_operator/")) == [reported.number, accepted.number]
    assert numbers(browse(cast.zhao).get("/work/queue/shift_leader/")) == [accepted.number]
    assert numbers(browse(cast.sun).get("/work/queue/dispatcher/")) == [opened.number]
    assert numbers(browse(cast.zhou).get("/work/queue/department_handler/")) == [dispatched.number]
    assert numbers(browse(cast.wu).get("/work/queue/department_handler/")) == []


def test_the_queue_is_sorted_by_deadline_and_paged_by_keyset(browse, cast, now):
    made = []
    for _ in range(5):
        made.append(make_case(cast, S.REPORTED))
        now.move(minutes=1)
    client = browse(cast.wang)
    first = client.get("/work/queue/intake_operator/", {"limit": 2})
    items, cursor = queries.queue(cast.wang, "intake_operator", now.at, {}, limit=2)
    assert [i["number"] for i in items] == [c.number for c in made[:2]]  # the earliest step deadline first
    seen = []
    while True:
        items, cursor = queries.queue(cast.wang, "intake_operator", now.at, {}, after=cursor, limit=2)
        seen += [i["number"] for i in items]
        if cursor is None:
            break
    assert seen == [c.number for c in made[2:]]
    assert first.status_code == 200


def test_the_page_links_to_the_next_page_with_the_filters_kept(browse, cast, settings, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    monkeypatch.setattr(queries.queue, "__defaults__", (None, 2))
    made = [make_case(cast, S.REPORTED) for _ in range(3)]
    client = browse(cast.wang)
    page = client.get("/work/queue/intake_operator/", {"source": "collector"})
    assert numbers(page) == [made[0].number, made[1].number]
    link = re.search(r'href="\?([^"]+)" rel="next"', page.content.decode()).group(1).replace("&amp;", "&")
    assert "source=collector" in link
    second = client.get("/work/queue/intake_operator/?" + link)
    assert numbers(second) == [made[2].number] and 'rel="next"' not in second.content.decode()


def test_filters_by_area_class_source_state_light_and_date(browse, cast, now):
    collector = make_case(cast, S.REPORTED)
    hotline = make_case(cast, S.REPORTED, source="hotline", lon=GRID4[0], lat=GRID4[1])
    classified = make_case(cast, S.REPORTED, class_code="06001")
    client = browse(cast.wang)

    def shown(**query):
        return numbers(client.get("/work/queue/intake_operator/", query))

    assert shown(source="hotline") == [hotline.number]
    assert shown(area="410105001001004") == [hotline.number]
    assert shown(class_code="06001") == [classified.number]
    assert shown(state="accepted") == []
    assert shown(since="2026-12-01") == [] and len(shown(since="2026-11-30", until="2026-11-30")) == 3
    assert len(shown(light="green")) == 3 and shown(light="red") == []
    now.move(hours=5)  # past the 受理 step limit: all three are overdue now
    assert len(shown(light="red")) == 3 and shown(light="green") == []
    bad = client.get("/work/queue/intake_operator/", {"area": "金水"})
    assert '<p class="error" role="alert">' in bad.content.decode() and numbers(bad) == []
    assert 'name="area" value="金水" inputmode="numeric" size="15" aria-invalid="true"' in bad.content.decode()
    assert collector.number in shown()


def test_the_table_refreshes_itself_as_a_fragment(browse, cast):
    make_case(cast, S.REPORTED)
    client = browse(cast.wang)
    full = client.get("/work/queue/intake_operator/").content.decode()
    assert 'hx-trigger="every 30s"' in full and "htmx.min.js" in full
    fragment = client.get("/work/queue/intake_operator/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="queue-table"') and "<html" not in fragment


def test_probable_duplicates_are_flagged_and_compared_side_by_side(browse, cast):
    first = ok(Api(cast.li).report(class_code="06001", description="棚子一"), 201)
    second = ok(Api(cast.wang).report(source="hotline", class_code="06001", description="棚子二",
                                      lon=NEAR[0], lat=NEAR[1]), 201)
    client = browse(cast.wang)
    queue = client.get("/work/queue/intake_operator/").content.decode()
    assert f'href="/work/cases/{second["id"]}/#duplicate">疑似重复' in queue
    page = client.get(f"/work/cases/{second['id']}/").content.decode()
    assert 'id="duplicate"' in page and "棚子一" in page and "棚子二" in page
    assert f'name="duplicate_of" value="{first["number"]}"' in page  # the merge form is filled in
    unknown = client.post(f"/work/cases/{second['id']}/act/mark_duplicate/",
                          {"version": "1", "duplicate_of": "2026-0101-999999"})
    assert 'id="mark_duplicate-duplicate_of-error"' in unknown.content.decode()
    response = client.post(f"/work/cases/{second['id']}/act/mark_duplicate/",
                           {"version": "1", "duplicate_of": first["number"]})
    assert response.status_code == 302 and state_of(second["id"]) == S.REJECTED


def test_the_intake_operator_accepts_and_rejects_in_bulk(browse, cast):
    cases = [make_case(cast, S.REPORTED) for _ in range(3)]
    client = browse(cast.wang)
    picked = [f"{c.pk}:{c.version}" for c in cases[:2]]
    done = client.post("/work/queue/intake_operator/bulk/", {"action": "accept", "case": picked}, follow=True)
    assert "已办理 2 件案卷" in done.content.decode()
    assert [state_of(c) for c in cases] == [S.ACCEPTED, S.ACCEPTED, S.REPORTED]
    refused = client.post("/work/queue/intake_operator/bulk/", {"action": "reject", "case": [f"{cases[2].pk}:1"]},
                          follow=True)
    assert "理由" in refused.content.decode() and state_of(cases[2]) == S.REPORTED
    client.post("/work/queue/intake_operator/bulk/",
                {"action": "reject", "case": [f"{cases[2].pk}:1"], "reason": "重复投诉"})
    assert state_of(cases[2]) == S.REJECTED


def test_a_bulk_action_on_a_changed_case_reports_it_and_does_the_others(browse, cast):
    changed, fresh = make_case(cast, S.REPORTED), make_case(cast, S.REPORTED)
    ok(Api(cast.wang).act(changed, "accept"))
    page = browse(cast.wang).post("/work/queue/intake_operator/bulk/",
                                  {"action": "accept", "case": [f"{changed.pk}:1", f"{fresh.pk}:1"]}, follow=True)
    text = page.content.decode()
    assert f"{changed.number}: 案卷已被他人修改，请刷新" in text and "已办理 1 件案卷" in text
    assert state_of(fresh) == S.ACCEPTED


def test_the_dispatcher_dispatches_in_bulk_to_the_suggested_department(browse, cast):
    DispatchRule.objects.create(name="违法建设归市政局", class_codes="06001", department=cast.shizheng)
    cases = [make_case(cast, S.OPEN) for _ in range(2)]
    page = browse(cast.sun).post("/work/queue/dispatcher/bulk/",
                                 {"action": "dispatch_suggested", "case": [f"{c.pk}:{c.version}" for c in cases]},
                                 follow=True)
    assert "已办理 2 件案卷" in page.content.decode()
    assert all(state_of(c) == S.DISPATCHED for c in cases)
    assert {c.department_id for c in type(cases[0]).objects.filter(pk__in=[c.pk for c in cases])} == {cast.shizheng.pk}


def test_bulk_actions_are_only_those_of_the_queue(browse, cast):
    case = make_case(cast, S.REPORTED)
    page = browse(cast.wang).post("/work/queue/intake_operator/bulk/", {"action": "close", "case": [f"{case.pk}:1"]},
                                  follow=True)
    assert "此队列没有该批量操作" in page.content.decode() and state_of(case) == S.REPORTED
    assert browse(cast.zhou).post("/work/queue/intake_operator/bulk/", {"action": "accept"}).status_code == 404


def test_the_reporters_phone_is_masked_for_a_department(browse, cast):
    case = make_case(cast, S.DISPATCHED, source="hotline", reporter_name="市民张", reporter_phone="13812345678")
    centre = browse(cast.sun).get(f"/work/cases/{case.pk}/").content.decode()
    assert "13812345678" in centre and "市民张" in centre
    department = browse(cast.zhou).get(f"/work/cases/{case.pk}/").content.decode()
    assert "13812345678" not in department and "138****5678" in department and "市民张" not in department


def test_the_step_deadline_and_light_show_in_the_queue(browse, cast, now):
    make_case(cast, S.REPORTED)
    now.at = MONDAY_9AM.replace(hour=12)
    page = browse(cast.wang).get("/work/queue/intake_operator/").content.decode()
    assert 'class="light red"' in page



def test_a_queue_page_costs_the_same_queries_however_many_rows(browse, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_page(client) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/work/queue/intake_operator/")
        return len(captured)

    make_case(cast, S.REPORTED)
    make_case(cast, S.FED_BACK)
    client = browse(cast.wang)
    client.get("/work/queue/intake_operator/")  # warm the calendars
    few = queries_for_page(client)
    for _ in range(12):
        make_case(cast, S.FED_BACK)  # with a department each
        make_case(cast, S.REPORTED)
    assert queries_for_page(client) == few  # not two a row for the lights, nor one for each department


def test_the_filters_are_in_chinese(browse, cast):
    page = browse(cast.wang).get("/work/queue/intake_operator/").content.decode()
    assert '<option value="red">红灯（超期）</option>' in page and '<option value="hotline">' in page


def test_a_queue_over_both_kinds_of_deadline_is_one_order_and_pages_without_gaps(browse, cast, now):
    # The dispatcher waits on centre states (the step's deadline), department states (the handling deadline)
    # and suspended cases (no running clock: last). Each state is read from its own index and merged.
    made = [make_case(cast, S.OPEN), make_case(cast, S.EXTENSION_REQUESTED), make_case(cast, S.PARKED)]
    now.move(minutes=30)
    made += [make_case(cast, S.OPEN), make_case(cast, S.EXTENSION_REQUESTED)]
    whole, cursor = queries.queue(cast.sun, "dispatcher", now.at, {})
    assert cursor is None and sorted(i["number"] for i in whole) == sorted(c.number for c in made)
    dues = [i["due"] for i in whole]
    assert dues[-1] is None and all(a <= b for a, b in pairwise(dues[:-1]))
    paged, cursor = [], None
    while True:
        items, cursor = queries.queue(cast.sun, "dispatcher", now.at, {}, after=cursor, limit=1)
        paged += [i["number"] for i in items]
        if cursor is None:
            break
    assert paged == [i["number"] for i in whole]
    suspended = queries.queue(cast.sun, "dispatcher", now.at, {"states": ["parked"]})[0]
    assert [i["number"] for i in suspended] == [made[2].number]


def test_a_closed_case_waits_for_its_follow_up_call_a_few_days_only(browse, cast, now):
    called = make_case(cast, S.CLOSED, source="hotline", reporter_phone="13812345678")
    done = make_case(cast, S.CLOSED, source="hotline", reporter_phone="13912345678")
    ok(Api(cast.wang).act(done, "follow_up"))  # called back, satisfied: no longer waiting
    silent = make_case(cast, S.CLOSED, source="hotline")  # no phone: nobody to call back
    collected = make_case(cast, S.CLOSED)  # a collector's own report: no caller
    client = browse(cast.wang)
    assert numbers(client.get("/work/queue/intake_operator/")) == [called.number]
    assert queries.queues(cast.wang, now.at)[0]["open"] == 1
    now.move(days=queries.follow_up_days() + 1)
    assert numbers(client.get("/work/queue/intake_operator/")) == []
    assert queries.queues(cast.wang, now.at)[0]["open"] == 0
    assert silent.number and collected.number


def test_the_queue_counts_add_up_over_both_kinds_of_deadline(cast, now):
    make_case(cast, S.OPEN)
    make_case(cast, S.EXTENSION_REQUESTED)
    make_case(cast, S.PARKED)
    counts = {row["post"]: row for row in queries.queues(cast.sun, now.at)}["dispatcher"]
    assert counts["open"] == 3 and counts["overdue"] == 0
    now.move(days=30)
    counts = {row["post"]: row for row in queries.queues(cast.sun, now.at)}["dispatcher"]
    assert counts["open"] == 3 and counts["overdue"] == 2  # the suspended case's clock is stopped


def test_a_filtered_queue_by_light_reads_a_bounded_number_of_queries(browse, cast, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browse(cast.sun)
    make_case(cast, S.OPEN)
    make_case(cast, S.EXTENSION_REQUESTED)  # a department, whose calendar the light needs
    client.get("/work/queue/dispatcher/", {"light": "yellow"})  # warm the calendars

    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/work/queue/dispatcher/", {"light": "green"})
        return len(captured)

    few = counted()
    for _ in range(5):
        make_case(cast, S.OPEN)
        make_case(cast, S.EXTENSION_REQUESTED)
    assert counted() == few  # the lights of all scanned rows from one query, not one a row


def test_the_follow_up_count_reads_its_own_index(cast, now):
    """The intake operator's count is on every page they open: at a million cases it must not read the table."""
    make_case(cast, S.CLOSED, source="hotline", reporter_phone="13812345678")
    if connection.vendor == "postgresql":  # a handful of rows: the planner would rather read the table
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Case.objects.filter(queries.awaiting_follow_up(now.at)).explain()
    assert "case_follow_up" in plan, plan
