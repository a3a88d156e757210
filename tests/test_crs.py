"""Metric helpers: distances and areas in metres, never in degrees, with axis order held to (lon, lat)."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon, box

from geo.crs import area_km2, distance_km, from_metric, to_metric, transformer


def test_distance_from_tiananmen_to_guomao_is_about_five_and_a_half_km():
    # Both points from data/hubs.csv; the straight line along Chang'an Avenue is ~5.5 km.
    km = distance_km(116.39167, 39.90333, 116.4556474, 39.9070164)
    assert 5.4 < km < 5.6


def test_geodesic_and_utm_distances_agree_in_beijing():
    x1, y1 = to_metric(116.1586, 39.9077)
    x2, y2 = to_metric(116.5871, 40.0780)
    planar_km = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 / 1000
    assert distance_km(116.1586, 39.9077, 116.5871, 40.0780) == pytest.approx(planar_km, rel=1e-3)


def test_distance_broadcasts_over_arrays():
    km = distance_km([116.39, 116.40], [39.9, 39.9], 116.39, 39.9)
    assert km[0] == 0 and km[1] > 0.8


def test_area_of_a_utm_square_kilometre_is_one_km2():
    x0, y0 = to_metric(116.4, 39.9)
    corners = [(x0, y0), (x0 + 1000, y0), (x0 + 1000, y0 + 1000), (x0, y0 + 1000)]
    lonlat = [tuple(float(v) for v in from_metric(x, y)) for x, y in corners]
    assert area_km2(Polygon(lonlat)) == pytest.approx(1.0, rel=2e-3)


def test_area_is_positive_whatever_the_ring_orientation():
    square = box(116.3, 39.9, 116.31, 39.91)
    assert area_km2(square) == pytest.approx(area_km2(square.reverse()))


def test_transformers_take_lon_lat_even_for_north_east_crs():
    # EPSG:4548 (CGCS2000 / 3-degree GK CM 117E) declares (north, east); always_xy keeps (x=east, y=north).
    east, north = transformer(4326, 4548).transform(117.0, 40.0)
    assert 400_000 < east < 600_000 and 4_000_000 < north < 5_000_000
    lon, lat = transformer(4548, 4326).transform(east, north)
    assert (lon, lat) == pytest.approx((117.0, 40.0))
