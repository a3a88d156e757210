"""The point-in-polygon index answers exactly what shapely answers, pair by pair, boundaries included."""

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.geometry import equal_area_circle
from geo.point_index import PolygonIndex


def shapely_pairs(polygons, x, y):
    points, found = shapely.STRtree(polygons).query(shapely.points(x, y), predicate="intersects")
    order = np.lexsort((found, points))
    return points[order], found[order]


def assert_same_as_shapely(polygons, x, y, cells=64):
    got = PolygonIndex(polygons, cells=cells).query_xy(x, y)
    expected = shapely_pairs(polygons, x, y)
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])


def test_random_points_over_beijing_districts(atlas):
    rng = np.random.default_rng(7)
    x, y = rng.uniform(115.3, 117.6, 50_000), rng.uniform(39.3, 41.2, 50_000)
    assert_same_as_shapely(atlas.districts.geometry.values, x, y, cells=256)


def test_every_vertex_and_edge_midpoint_of_the_district_borders(atlas):
    polygons = atlas.districts.geometry.values
    coords = shapely.get_coordinates(shapely.boundary(polygons))
    midpoints = (coords[1:] + coords[:-1]) / 2
    points = np.vstack([coords, midpoints])
    assert_same_as_shapely(polygons, points[:, 0], points[:, 1], cells=256)
    # A vertex shared by two districts belongs to both.
    point_ids, _ = PolygonIndex(polygons).query_xy(coords[:, 0], coords[:, 1])
    assert np.bincount(point_ids).max() >= 2


def test_overlapping_polygons_return_every_container():
    big, small = box(0, 0, 10, 10), box(2, 2, 4, 4)
    index = PolygonIndex([big, small], cells=8)
    points, polygons = index.query_xy(np.array([3.0, 8.0, 4.0, 11.0]), np.array([3.0, 8.0, 3.0, 5.0]))
    assert list(zip(points.tolist(), polygons.tolist(), strict=False)) == [(0, 0), (0, 1), (1, 0), (2, 0), (2, 1)]


def test_first_xy_prefers_the_lowest_priority_and_reports_misses():
    big, small = box(0, 0, 10, 10), box(2, 2, 4, 4)
    index = PolygonIndex([big, small], cells=8)
    x, y = np.array([3.0, 8.0, 20.0, np.nan]), np.array([3.0, 8.0, 5.0, 1.0])
    assert index.first_xy(x, y).tolist() == [0, 0, -1, -1]
    assert index.first_xy(x, y, priority=np.array([100.0, 4.0])).tolist() == [1, 0, -1, -1]


def test_tiny_circles_and_a_polygon_with_a_hole():
    ring = Polygon([(0, 0), (6, 0), (6, 6), (0, 6)], [[(2, 2), (4, 2), (4, 4), (2, 4)]])
    circle = equal_area_circle(116.1586, 39.9077, 0.0927)  # the smallest park extent
    shifted = shapely.affinity.translate(circle, -116.1586 + 3, -39.9077 + 3)  # inside the hole
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-1, 7, 20_000), rng.uniform(-1, 7, 20_000)
    x = np.concatenate([x, [2.0, 3.0, 4.0, 0.0]])
    y = np.concatenate([y, [3.0, 2.0, 3.0, 6.0]])  # on the hole's edges and a corner
    assert_same_as_shapely(np.array([ring, shifted], dtype=object), x, y, cells=16)


def test_an_empty_index_finds_nothing():
    points, polygons = PolygonIndex([]).query_xy(np.array([1.0]), np.array([2.0]))
    assert len(points) == len(polygons) == 0


def test_a_missing_polygon_is_refused():
    with pytest.raises(ValueError, match="not None"):
        PolygonIndex([box(0, 0, 1, 1), None])
