"""Report pages, drill-down, XLSX, bulletins and versioned rules, on the scripted history."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.e2e.conftest import ARTIFACTS
from tests.evaluation.history import WEEK1, play
from tests.factories import appoint
from urbangrid.core import evaluation as core
from urbangrid.evaluation import bulletins, rules
from urbangrid.evaluation.models import Bulletin, RuleSet

pytestmark = pytest.mark.django_db
WEEK = f"kind=week&day={WEEK1.isoformat()}"


@pytest.fixture
def history(cast, now):
    return play(cast, now)


def client(user=None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def leader(cast):
    appoint(cast.chen, "leader", cast.supervision)
    return cast.chen


def test_only_the_centres_see_reports(cast):
    assert client().get("/evaluation/").status_code == 302  # to the login page
    assert client(cast.chen).get("/evaluation/").status_code == 403  # no post
    assert client(cast.zhou).get("/evaluation/").status_code == 403  # a department handler
    assert client(cast.li).get(f"/evaluation/cases/?{WEEK}&by=district&key=&n=closed").status_code == 403
    assert client(cast.zhao).get("/evaluation/").status_code == 200


def test_report_page_shows_the_table_and_every_number_links_to_its_cases(history, cast):
    page = client(cast.zhao).get(f"/evaluation/?{WEEK}&by=district").content.decode()
    assert "金水区" in page and "41.57" in page and "<svg" in page
    links = re.findall(r'href="(/evaluation/cases/\?[^"]+)"', page)
    closed = next(link for link in links if "key=410105" in link and "n=closed&" in link + "&")
    listing = client(cast.zhao).get(closed.replace("&amp;", "&")).content.decode()
    assert history["A"].number in listing and history["B"].number in listing
    assert history["C"].number not in listing
    assert "结案: 2" in listing


@pytest.mark.parametrize("by", ["street", "community", "grid", "department", "class", "source", "post"])
def test_every_table_renders(history, cast, by):
    response = client(cast.sun).get(f"/evaluation/?{WEEK}&by={by}")
    assert response.status_code == 200
    if by == "post":
        assert "监督员李" in response.content.decode() and "87.14" in response.content.decode()


def test_a_bad_period_is_explained_next_to_the_field(cast):
    response = client(cast.zhao).get("/evaluation/?kind=custom&day=2026-12-10&last=2026-12-01")
    assert response.status_code == 400
    assert "不能早于" in response.content.decode() or "must not be before" in response.content.decode()
    assert 'value="2026-12-10"' in response.content.decode()  # what was typed is kept


def test_xlsx_has_a_sheet_per_table(history, cast):
    response = client(cast.zhao).get(f"/evaluation/export.xlsx?{WEEK}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) >= 8  # 区, 街道, 部门, 类别, 来源, four posts, definitions
    districts = book[book.sheetnames[0]]
    assert districts["A3"].value == "金水区" and districts["D3"].value == pytest.approx(41.57)
    assert districts.freeze_panes == "B3"


def test_published_bulletins_the_public_reads_aggregates_only(history, cast, leader):
    response = client(cast.zhao).post("/evaluation/bulletins/draft/", {"kind": "week", "day": WEEK1.isoformat()})
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert client(leader).post(f"/evaluation/bulletins/{bulletin.pk}/approve/", {"text": ""}).status_code == 302
    public = client().get(f"/evaluation/public/{bulletin.pk}/").content.decode()
    assert "金水区" in public and "41.57" in public and "金水区市政局" in public
    assert "监督员李" not in public and "受理员王" not in public
    assert str(bulletin.pk) in client().get("/evaluation/public/").content.decode()


def published(period, leader):
    """A bulletin of the period, made by the worker and approved by a leader."""
    return bulletins.approve(bulletins.draft(period), leader)


def test_a_bulletin_is_recomputed_with_the_rules_it_was_published_under(history, leader):
    period = core.period("week", WEEK1)
    first = published(period, leader)
    v1 = first.ruleset
    assert v1.frozen
    v2 = rules.copy(v1)
    v2.terms.filter(subject="region", indicator="close_on_time_rate").update(weight=Decimal(10))
    rules.use(v2)
    assert bulletins.recompute(first) == first.content  # still scored by v1
    second = published(period, leader)
    assert second.ruleset == v2
    assert first.content["tables"]["district"][0]["score"] == "41.57"
    # v2: 85.71×10 + 40×20 + 50×30 + 25×10, over weights 70 = 48.67
    assert second.content["tables"]["district"][0]["score"] == "48.67"


def test_frozen_rule_sets_are_read_only_in_admin(history, admin_client, leader):
    bulletin = published(core.period("week", WEEK1), leader)
    url = f"/admin/evaluation/ruleset/{bulletin.ruleset.pk}/change/"
    assert admin_client.post(url, {"name": "changed"}).status_code == 403
    admin_client.post("/admin/evaluation/ruleset/", {"action": "copy_as_new_version",
                                                     "_selected_action": [bulletin.ruleset.pk]})
    copy = RuleSet.objects.get(version=bulletin.ruleset.version + 1)
    assert copy.terms.count() == bulletin.ruleset.terms.count() and not copy.frozen
    assert admin_client.get(f"/admin/evaluation/ruleset/{copy.pk}/change/").status_code == 200


def test_indicator_page_is_in_chinese(db):
    page = client().get("/evaluation/indicators/").content.decode()
    assert "应结案" in page and "超期未处置" in page


def test_the_worker_drafts_last_week_and_last_month_once(history, now):
    from urbangrid.worker import schedule

    assert schedule.JOBS[bulletins.JOB].run == bulletins.scheduled
    made = bulletins.scheduled()  # the clock stands on Monday 2026-12-07
    assert sorted((b.period_kind, b.first_day.isoformat(), b.last_day.isoformat()) for b in made) == [
        ("month", "2026-11-01", "2026-11-30"), ("week", "2026-11-30", "2026-12-06")]
    assert bulletins.scheduled() == []
    week = next(b for b in made if b.period_kind == "week")
    assert week.content["totals"]["counts"]["closed"] == 2 and week.created_by is None
    assert all(b.status == Bulletin.Status.DRAFT for b in made)  # a leader publishes them after review
    assert not re.search(r"/evaluation/public/\d+/", client().get("/evaluation/public/").content.decode())


def test_the_printed_bulletin_is_a_pdf_with_a_chinese_font(history, leader):
    from urbangrid.evaluation import pdf

    bulletin = published(core.period("week", WEEK1), leader)
    response = client().get(f"/evaluation/public/{bulletin.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF") and len(content) > 5000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "evaluation-bulletin.pdf").write_bytes(content)  # to look at: pdftoppm -png
    plain = pdf.render(bulletin, "2026-11-30 – 2026-12-06", compressed=False)
    assert b"WenQuanYi" in plain  # the CJK font is embedded: Chinese is not boxes


def test_the_report_and_the_bulletin_show_the_classes_with_the_most_cases_opened(history, cast, leader, monkeypatch):
    from urbangrid.evaluation import breakdown, report

    period = core.period("week", WEEK1)
    (row,) = [r for r in report.table(period, "class") if r.counts["opened"]]
    assert row.label.startswith("06001 ") and row.counts["opened"] == 7  # A B C D E F I, all of class 06001
    expected = {"key": row.key, "label": row.label, "opened": 7, "closed": row.counts["closed"],
                "close_rate": str(row.rates["close_rate"])}
    assert breakdown.top_classes(period) == [expected]
    page = client(cast.zhao).get(f"/evaluation/?{WEEK}&by=district").content.decode()
    chart = page.split("立案数最多的类别（前 1 类）")[1].split("</figure>")[0]
    assert f"<title>{row.label}: 7</title>" in chart
    empty = client(cast.zhao).get("/evaluation/?kind=week&day=2027-03-01&by=district").content.decode()
    assert "本期没有立案。" in empty

    bulletin = published(period, leader)
    assert bulletin.content["classes"] == breakdown.top_classes(period)
    public = client().get(f"/evaluation/public/{bulletin.pk}/").content.decode()
    assert "立案数最多的类别" in public and row.label in public
    made_before = bulletins.content  # a bulletin made before the breakdown existed is still shown, without it
    monkeypatch.setattr(bulletins, "content",
                        lambda *args: {k: v for k, v in made_before(*args).items() if k != "classes"})
    old = published(core.period("week", WEEK1).previous(), leader)
    assert "classes" not in old.content
    shown = client().get(f"/evaluation/public/{old.pk}/")
    assert shown.status_code == 200 and "立案数最多的类别" not in shown.content.decode()
    assert client().get(f"/evaluation/public/{old.pk}.pdf").status_code == 200
