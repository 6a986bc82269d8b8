import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from urbangrid.core.coords import (
    MetricProjection,
    bd09_to_gcj02,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    geometry_from_wgs84,
    out_of_china,
    to_wgs84,
    transform_geometry,
    wgs84_to_gcj02,
)

ZHENGZHOU = (113.6253, 34.7466)  # 二七广场
# Reference outputs of the widely used coordTransform_utils for the point (128.543, 37.065).
REFERENCE_POINT = (128.543, 37.065)
REFERENCE_WGS84_TO_GCJ02 = (128.54820547949757, 37.065651049489816)
REFERENCE_GCJ02_TO_BD09 = (128.54944656269413, 37.07113427883019)
ONE_STEP_GCJ02_TO_WGS84 = (128.53779452050244, 37.06434895051018)


def china_sample(n=2000, seed=1):
    rng = np.random.default_rng(seed)
    return rng.uniform(75, 134, n), rng.uniform(18, 53, n)


def test_wgs84_to_gcj02_matches_the_reference_implementation():
    lon, lat = wgs84_to_gcj02(*REFERENCE_POINT)
    assert lon == pytest.approx(REFERENCE_WGS84_TO_GCJ02[0], abs=1e-12)
    assert lat == pytest.approx(REFERENCE_WGS84_TO_GCJ02[1], abs=1e-12)


def test_gcj02_to_bd09_matches_the_reference_implementation():
    lon, lat = gcj02_to_bd09(*REFERENCE_POINT)
    assert lon == pytest.approx(REFERENCE_GCJ02_TO_BD09[0], abs=1e-12)
    assert lat == pytest.approx(REFERENCE_GCJ02_TO_BD09[1], abs=1e-12)


def test_gcj02_round_trip_error_is_below_a_millionth_of_a_degree_across_china():
    lon, lat = china_sample()
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-6
    assert np.max(np.abs(back_lat - lat)) < 1e-6


def test_gcj02_to_wgs84_is_an_exact_inverse_not_the_one_step_approximation():
    lon, lat = gcj02_to_wgs84(*REFERENCE_POINT)
    again = wgs84_to_gcj02(lon, lat)
    assert abs(again[0] - REFERENCE_POINT[0]) < 1e-7 and abs(again[1] - REFERENCE_POINT[1]) < 1e-7
    # The one-step formula is off by ~1e-5° (≈1 m) here; the iteration is not.
    assert abs(lon - ONE_STEP_GCJ02_TO_WGS84[0]) > 5e-6


def test_the_gcj02_shift_in_zhengzhou_is_a_few_hundred_metres():
    projection = MetricProjection.for_longitude(ZHENGZHOU[0])
    x0, y0 = projection.forward(*ZHENGZHOU)
    x1, y1 = projection.forward(*wgs84_to_gcj02(*ZHENGZHOU))
    assert 100 < math.hypot(x1 - x0, y1 - y0) < 800


def test_bd09_round_trip_returns_the_input():
    lon, lat = china_sample(seed=2)
    back_lon, back_lat = bd09_to_gcj02(*gcj02_to_bd09(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-8
    assert np.max(np.abs(back_lat - lat)) < 1e-8


def test_bd09_to_wgs84_round_trip_returns_the_input():
    back = to_wgs84(*from_wgs84(*ZHENGZHOU, "bd09"), "bd09")
    assert back == pytest.approx(ZHENGZHOU, abs=1e-8)


@pytest.mark.parametrize("place", [(2.3522, 48.8566), (139.6917, 35.6895), (-74.006, 40.7128), (151.2, -33.87)])
def test_points_outside_china_pass_through_gcj02_unchanged(place):
    assert out_of_china(*place)
    assert wgs84_to_gcj02(*place) == place
    assert gcj02_to_wgs84(*place) == place


def test_scalars_give_floats_and_arrays_give_arrays():
    lon, lat = to_wgs84(*ZHENGZHOU, "gcj02")
    assert isinstance(lon, float) and isinstance(lat, float)
    lons, lats = to_wgs84(np.array([ZHENGZHOU[0]] * 3), np.array([ZHENGZHOU[1]] * 3), "gcj02")
    assert lons.shape == (3,) and lats.shape == (3,)
    assert lons[0] == pytest.approx(lon, abs=1e-12)


def test_cgcs2000_and_wgs84_are_the_identity():
    for crs in ("wgs84", "WGS84", "cgcs2000", "CGCS-2000"):
        assert to_wgs84(*ZHENGZHOU, crs) == ZHENGZHOU


def test_an_unknown_coordinate_system_is_refused():
    with pytest.raises(ValueError, match="unknown coordinate system"):
        to_wgs84(*ZHENGZHOU, "epsg:3857")


def test_transform_geometry_converts_every_vertex_including_holes():
    outer = box(113.60, 34.70, 113.62, 34.72)
    hole = box(113.605, 34.705, 113.615, 34.715)
    polygon = Polygon(outer.exterior.coords, [hole.exterior.coords])
    shifted = geometry_from_wgs84(polygon, "gcj02")
    back = transform_geometry(shifted, "gcj02")
    assert len(back.interiors) == 1
    assert np.max(np.abs(shapely.get_coordinates(back) - shapely.get_coordinates(polygon))) < 1e-8
    assert np.min(np.abs(shapely.get_coordinates(shifted) - shapely.get_coordinates(polygon))) > 1e-4


def test_transform_geometry_of_wgs84_is_the_same_geometry():
    point = Point(*ZHENGZHOU)
    assert transform_geometry(point, "cgcs2000") is point


@pytest.mark.parametrize(
    ("lon", "epsg"),
    [(113.6, 4547), (113.65, 4547), (112.4, 4546), (120.15, 4549), (87.6, 4538), (75.9, 4534), (134.5, 4554)],
)
def test_the_gauss_kruger_zone_is_the_nearest_3_degree_meridian(lon, epsg):
    assert MetricProjection.for_longitude(lon).epsg == epsg


def test_a_longitude_outside_china_has_no_zone():
    with pytest.raises(ValueError):
        MetricProjection.for_longitude(10.0)


def test_the_central_meridian_maps_to_the_false_easting():
    x, y = MetricProjection.for_longitude(113.6).forward(114.0, 34.7)
    assert x == pytest.approx(500_000, abs=1e-6)
    assert 3_800_000 < y < 3_900_000


def test_forward_and_inverse_round_trip_on_arrays():
    projection = MetricProjection.for_longitude(113.6)
    lon = np.linspace(112.6, 114.6, 50)
    lat = np.linspace(34.2, 35.2, 50)
    back_lon, back_lat = projection.inverse(*projection.forward(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-10
    assert np.max(np.abs(back_lat - lat)) < 1e-10


def test_a_projected_square_has_its_area_in_square_metres():
    projection = MetricProjection.for_longitude(113.6)
    x, y = projection.forward(*ZHENGZHOU)
    square = projection.unproject(box(x, y, x + 100, y + 100))
    corner_error = np.abs(shapely.get_coordinates(square) - ZHENGZHOU).sum(axis=1).min()
    assert corner_error < 1e-9
    assert projection.area_m2(square) == pytest.approx(10_000, rel=1e-9)
    assert projection.project(square).bounds == pytest.approx((x, y, x + 100, y + 100), abs=1e-6)
