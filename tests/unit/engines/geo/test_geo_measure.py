import pytest

from parley.engines.geo import measure

pytestmark = [pytest.mark.unit]


def test_a_point_with_a_width_is_a_circle_of_half_that_radius():
    size = measure.measure_feature({"geometry": {"type": "Point", "coordinates": [35.40, 47.12]},
                                    "properties": {"width_m": 30000}})
    assert (size.shape, size.centre, size.radius_m) == ("circle", (35.40, 47.12), 15000)


def test_a_corridor_is_measured_on_the_ellipsoid():
    # Vasylivka towards Zaporizhzhia: 45.8 km on WGS 84 (a degree of longitude is 75 km here).
    size = measure.measure_feature({
        "geometry": {"type": "LineString", "coordinates": [[35.2745, 47.4373], [35.1396, 47.8388]]},
        "properties": {"width_m": 2000}})
    assert size.shape == "corridor" and size.width_m == 2000
    assert size.length_m == pytest.approx(45_777, abs=5)


def test_a_polygon_is_a_zone_with_its_geodesic_area():
    # 0.1° by 0.1° at 47° N: 7.6 km by 11.1 km.
    size = measure.measure_feature({"geometry": {"type": "Polygon", "coordinates": [[
        [35, 47], [35.1, 47], [35.1, 47.1], [35, 47.1], [35, 47]]]}})
    assert size.shape == "zone"
    assert size.area_m2 == pytest.approx(84.5e6, rel=0.01)


def test_a_broken_feature_is_other_not_an_exception():
    assert measure.measure_feature({"geometry": {"type": "Point", "coordinates": []}}).shape \
        == "other"
    assert measure.measure_feature({}).shape == "other"


@pytest.mark.parametrize(("azimuth", "code"), [(0, "N"), (44, "NE"), (-20, "N"), (-30, "NW"),
                                                (180, "S"), (250, "W"), (359, "N")])
def test_compass_points(azimuth, code):
    assert measure.compass_point(azimuth) == code


def test_displacement_in_metres_and_direction():
    distance, direction = measure.displacement((35.40, 47.12), (35.43, 47.14))
    assert distance == pytest.approx(3_170, abs=20) and direction == "NE"
