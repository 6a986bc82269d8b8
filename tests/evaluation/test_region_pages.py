"""The report page's way from a district down to its grids: each region's row opens the table of the regions
inside it (?within=CODE), whose totals drill down to that region's cases."""

import re

import pytest
from django.test import Client

from tests.evaluation.history import WEEK1, play

pytestmark = pytest.mark.django_db
WEEK = f"kind=week&day={WEEK1.isoformat()}"


def page(user, query: str) -> str:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    response = c.get(f"/evaluation/?{query}")
    assert response.status_code == 200
    return response.content.decode().replace("&amp;", "&")


def test_from_the_district_to_the_grids_of_a_community(cast, now):
    cases = play(cast, now)
    district = page(cast.zhao, f"{WEEK}&by=district")
    assert f"?{WEEK}&by=street&within=410105" in district
    street = page(cast.zhao, f"{WEEK}&by=street&within=410105")
    assert f"?{WEEK}&by=community&within=410105001" in street and "经八路街道" in street
    community = page(cast.zhao, f"{WEEK}&by=community&within=410105001")
    assert f"?{WEEK}&by=grid&within=410105001001" in community
    grids = page(cast.zhao, f"{WEEK}&by=grid&within=410105001001")
    assert "省委社区" in grids and "第1网格" in grids and "第4网格" in grids
    assert "within=410105001001001" not in grids  # a grid has nothing inside it
    # The totals of the grids are the community's: their links ask for its cases.
    closed = re.findall(r'href="/evaluation/cases/\?([^"]*by=community&key=410105001001&n=closed)"', grids)
    assert closed
    listing = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    listing.force_login(cast.zhao)
    found = listing.get(f"/evaluation/cases/?{closed[0]}").content.decode()
    assert cases["A"].number in found and cases["B"].number in found and cases["C"].number not in found


def test_a_within_that_cannot_apply_is_ignored(cast, now):
    play(cast, now)
    assert "第4网格" in page(cast.zhao, f"{WEEK}&by=grid&within=4101")  # not a region code: the whole city
    text = page(cast.zhao, f"{WEEK}&by=department&within=410105")
    assert "within=" not in text.split("<table", 1)[1]


def test_the_cells_are_written_as_before(cast, now):
    """The cells are made in Python (views._cells_html), as the template wrote them: escaped links, counts,
    rates with %, — where nothing was due."""
    play(cast, now)
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(cast.zhao)
    html = c.get(f"/evaluation/?{WEEK}&by=district").content.decode()
    link = "/evaluation/cases/?kind=week&amp;day=2026-11-30&amp;by=district&amp;key=410105&amp;n="
    assert f'<td><a href="{link}closed">2</a></td>' in html
    assert f'<td class="rate"><a href="{link}closed">50.00%</a></td>' in html  # 结案率
    week2 = c.get("/evaluation/?kind=week&day=2026-12-07&by=district").content.decode()
    assert '<td class="rate">—</td>' in week2  # 监督举报率: nothing opened in week 2
