import datetime
import json
from io import StringIO

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import OrganisationFactory, make_area
from urbangrid.core.coords import MetricProjection
from urbangrid.grid import locating, versions
from urbangrid.grid.generating import generate_grids
from urbangrid.grid.models import Area

pytestmark = pytest.mark.django_db
PROJECTION = MetricProjection.for_longitude(113.66)


def lattice_rectangle(cols: int, rows: int):
    """A WGS84 rectangle of cols × rows whole 100 m lattice cells of the Gauss-Kruger zone."""
    x, y = PROJECTION.forward(113.66, 34.77)
    west, north = 100 * round(x / 100), 100 * round(y / 100)
    return PROJECTION.unproject(shapely.box(west, north - 100 * rows, west + 100 * cols, north))


@pytest.fixture
def community(db):
    shape = lattice_rectangle(5, 3)
    district = make_area("410105", "金水区", shape)
    street = make_area("410105001", "经八路街道", shape, district)
    area = make_area("410105001001", "省委社区", shape, street)
    area.set_shape(shape, PROJECTION.area_m2(shape))
    area.save()
    return area


def generate(*args) -> str:
    out = StringIO()
    call_command("grids", "generate", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_generate_cuts_a_community_into_about_one_grid_per_10000_m2(community):
    grids = generate_grids(community)
    assert len(grids) == round(community.area_m2 / 10_000) == 15
    assert all(g.area_m2 == pytest.approx(10_000, rel=1e-6) for g in grids)
    assert sum(g.area_m2 for g in grids) == pytest.approx(community.area_m2, rel=1e-6)


def test_generated_grids_are_numbered_west_to_east_then_north_to_south(community):
    generate_grids(community)
    grids = list(Area.objects.filter(level="grid").order_by("code"))
    assert [g.code for g in grids] == [f"410105001001{n:03d}" for n in range(1, 16)]
    # In the projection's plane the lattice rows are straight (in degrees they lean by the meridian convergence).
    centres = [PROJECTION.project(g.shape).centroid for g in grids]
    rows = [centres[i : i + 5] for i in range(0, 15, 5)]
    for row in rows:
        assert [p.x for p in row] == sorted(p.x for p in row)  # west → east
        assert max(p.y for p in row) - min(p.y for p in row) < 0.01
    assert rows[0][0].y - 100 == pytest.approx(rows[1][0].y) and rows[1][0].y - 100 == pytest.approx(rows[2][0].y)
    assert grids[0].name == "省委社区第001网格"
    assert grids[0].parent == community and grids[0].source == "generated"


def test_the_command_cuts_every_community_of_a_street_and_bumps_the_version(community):
    make_area("410105001002", "第二社区", shapely.affinity.translate(community.shape, yoff=-0.01), community.parent)
    version = versions.current("areas")
    out = generate("410105001")
    assert "410105001001: 15 grids, 410105001001001 … 410105001001015" in out
    assert "410105001002: " in out
    assert Area.objects.filter(code__startswith="410105001002", level="grid").exists()
    assert versions.current("areas") == version + 1


def test_generate_refuses_to_overwrite_grids_without_replace(community):
    generate_grids(community)
    with pytest.raises(CommandError, match="already has 15 grids; give --replace"):
        generate("410105001001")
    assert Area.objects.filter(level="grid").count() == 15


def test_replace_cuts_again_with_another_cell_size(community):
    generate_grids(community)
    generate("410105001001", "--replace", "--cell", "50")
    assert Area.objects.filter(level="grid").count() == 60


def test_replace_refuses_when_something_refers_to_the_grids(community):
    generate_grids(community)
    organisation = OrganisationFactory()
    organisation.territory.add(Area.objects.get(code="410105001001007"))
    with pytest.raises(CommandError, match=r"cannot be replaced because they are referenced: .*: 1"):
        generate("410105001001", "--replace")
    assert Area.objects.filter(level="grid").count() == 15


def test_generate_explains_an_unknown_code_or_a_grid(community):
    with pytest.raises(CommandError, match="There is no area with the code 410199001001"):
        generate("410199001001")
    generate_grids(community)
    with pytest.raises(CommandError, match="is a unit grid already"):
        generate("410105001001001")


def test_export_writes_wgs84_geojson_that_imports_back_unchanged(community, tmp_path):
    generate_grids(community)
    path = tmp_path / "grids.geojson"
    call_command("grids", "export", str(path), "--level", "grid", stdout=StringIO())
    data = json.loads(path.read_text("utf-8"))
    assert len(data["features"]) == 15
    first = data["features"][0]["properties"]
    assert first == {"code": "410105001001001", "name": "省委社区第001网格", "level": "grid",
                     "parent": "410105001001", "valid_from": timezone.localdate().isoformat(), "valid_to": None}
    out = StringIO()
    call_command("grids", "import", str(path), stdout=out, stderr=StringIO())
    assert "15 unchanged" in out.getvalue()


def test_export_writes_csv_with_wkt(community, tmp_path):
    path = tmp_path / "areas.csv"
    call_command("grids", "export", str(path), stdout=StringIO())
    lines = path.read_text("utf-8-sig").splitlines()
    assert lines[0] == "code,name,level,parent,valid_from,valid_to,wkt"
    assert lines[1].startswith("410105,金水区,district,,") and '"POLYGON ((' in lines[1]


def test_a_retired_grid_is_kept_but_no_longer_located(small_city):
    today = timezone.localdate()
    Area.objects.update(valid_from=today - datetime.timedelta(days=30))
    inside_grid2 = small_city["grid2"].shape.centroid
    assert locating.locate(inside_grid2.x, inside_grid2.y)["grid"]["code"] == "410105001001002"
    out = StringIO()
    call_command("grids", "retire", "410105001001002", "--on", today.isoformat(), stdout=out)
    assert "1 areas retired" in out.getvalue()
    assert Area.objects.get(code="410105001001002").valid_to == today
    assert locating.locate(inside_grid2.x, inside_grid2.y)["outside"] is True


def test_retiring_later_keeps_the_grid_until_that_day(small_city):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    call_command("grids", "retire", "410105001001", "--on", tomorrow.isoformat(), stdout=StringIO())
    assert Area.objects.filter(valid_to=tomorrow).count() == 5  # the community and its 4 grids
    centre = small_city["grid1"].shape.centroid
    assert locating.locate(centre.x, centre.y)["grid"]["code"] == "410105001001001"


def test_retiring_before_an_area_began_is_refused(small_city):
    with pytest.raises(CommandError, match="it can only be retired after that day"):
        call_command("grids", "retire", "410105001001001", "--on", "2000-01-01", stdout=StringIO())
