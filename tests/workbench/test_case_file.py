"""The case file's particulars: places by name, the map's data, the component's record, photos side by side."""

import pytest

from tests.cases.builders import make_case
from tests.cases.helpers import GRID1, Api, ok
from tests.factories import component_class
from urbangrid.components.models import Component
from urbangrid.core.workflow import State

pytestmark = pytest.mark.django_db


def test_the_header_names_the_places_and_the_map_gets_the_grid_and_point(browse, cast):
    case = make_case(cast, State.OPEN, address="经八路12号门前")
    page = browse(cast.sun).get(f"/work/cases/{case.pk}/").content.decode()
    assert "金水区 ▸ 经八路街道 ▸ 省委社区 ▸ 第1网格" in page and "经八路12号门前" in page
    assert 'data-area-url="/map/areas/410105001001001.json"' in page
    assert f'data-lon="{GRID1[0]:.7f}"' in page and f'data-lat="{GRID1[1]:.7f}"' in page
    assert "4 工作时" in page  # the handling limit fixed at 立案
    assert "<script>" not in page and "onclick" not in page and "style=" not in page  # ready for a strict CSP


def test_a_named_component_shows_its_record(browse, cast):
    klass = component_class("01001", "供水井盖")
    Component.objects.create(
        identifier="41010501001000001", name="井盖1", klass=klass, competent_department=cast.shizheng,
        grid_code="410105001001001", initial_date="2026-01-01", lon=GRID1[0], lat=GRID1[1],
    )
    case = ok(Api(cast.li).report(kind="component", component="41010501001000001"), 201)["id"]
    page = browse(cast.wang).get(f"/work/cases/{case}/").content.decode()
    assert "41010501001000001" in page and "井盖1" in page and "金水区市政局" in page


def test_photos_before_and_after_stand_side_by_side_and_in_the_timeline(browse, cast):
    case = make_case(cast, State.FED_BACK)
    page = browse(cast.wang).get(f"/work/cases/{case.pk}/").content.decode()
    before, after = (case.attachments.get(kind=kind).pk for kind in ("before", "after"))
    photos = page[page.index('id="h-photos"'):page.index('id="h-timeline"')]
    assert photos.index(f"/attachments/{before}") < photos.index("处置后") < photos.index(f"/attachments/{after}")
    assert f'<img src="/api/v1/cases/{case.pk}/attachments/{before}"' in page[page.index('id="h-timeline"'):]
    image = browse(cast.wang).get(f"/api/v1/cases/{case.pk}/attachments/{before}")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_the_timeline_shows_who_as_what_when_and_why(browse, cast):
    case = make_case(cast, State.REJECTED)
    page = browse(cast.wang).get(f"/work/cases/{case.pk}/").content.decode()
    assert "受理员王 · 受理员 · 监督中心" in page and "不属于城管范围" in page
