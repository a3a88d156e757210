"""The datum conversions, checked against prcoords (an independent implementation) and real published pairs."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import prcoords
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.crs import distance_km
from geo.datums import (
    Datum,
    bd09_to_wgs84,
    convert,
    convert_geometry,
    gcj02_to_wgs84,
    parse_datum,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# Beijing municipality's extent, as the issue asks for accuracy "anywhere in Beijing".
BEIJING_LON = (115.4, 117.5)
BEIJING_LAT = (39.4, 41.1)


@pytest.fixture(scope="module")
def beijing_grid() -> tuple[np.ndarray, np.ndarray]:
    """A 0.01° grid over Beijing: about 36,000 points."""
    lon, lat = np.meshgrid(np.arange(*BEIJING_LON, 0.01), np.arange(*BEIJING_LAT, 0.01))
    return lon.ravel(), lat.ravel()


def _metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    return np.asarray(distance_km(lon1, lat1, lon2, lat2)) * 1000.0


def test_gcj02_forward_matches_prcoords_over_beijing(beijing_grid):
    lon, lat = beijing_grid
    ours_lon, ours_lat = wgs84_to_gcj02(lon, lat)
    sample = range(0, lon.size, 97)
    ref = np.array([prcoords.wgs_gcj((lat[i], lon[i])) for i in sample])  # prcoords takes (lat, lon)
    assert np.allclose(ours_lat[list(sample)], ref[:, 0], atol=1e-9)
    assert np.allclose(ours_lon[list(sample)], ref[:, 1], atol=1e-9)


def test_bd09_forward_matches_prcoords_over_beijing(beijing_grid):
    lon, lat = beijing_grid
    ours_lon, ours_lat = wgs84_to_bd09(lon, lat)
    sample = list(range(0, lon.size, 97))
    ref = np.array([prcoords.wgs_bd((lat[i], lon[i])) for i in sample])
    assert np.allclose(ours_lat[sample], ref[:, 0], atol=1e-9)
    assert np.allclose(ours_lon[sample], ref[:, 1], atol=1e-9)


def test_gcj02_offset_in_beijing_is_the_documented_500_to_620_metres(beijing_grid):
    lon, lat = beijing_grid
    shift = _metres(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert 500 < shift.min() and shift.max() < 620


@pytest.mark.parametrize(
    "forward, inverse",
    [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)],
    ids=["gcj02", "bd09"],
)
def test_inverse_is_within_one_centimetre_anywhere_in_beijing(beijing_grid, forward, inverse):
    lon, lat = beijing_grid
    back_lon, back_lat = inverse(*forward(lon, lat))
    error = _metres(lon, lat, back_lon, back_lat)
    assert error.max() < 0.01, f"worst round trip {error.max() * 1000:.3f} mm"


def test_inverse_beats_prcoords_rough_inverse(beijing_grid):
    """prcoords' one-step gcj_wgs is metre-level; ours must be far better on the same points."""
    lon, lat = beijing_grid
    sample = list(range(0, lon.size, 211))
    g_lon, g_lat = wgs84_to_gcj02(lon[sample], lat[sample])
    ours = _metres(lon[sample], lat[sample], *gcj02_to_wgs84(g_lon, g_lat))
    rough = np.array([prcoords.gcj_wgs((b, a)) for a, b in zip(g_lon, g_lat, strict=False)])
    theirs = _metres(lon[sample], lat[sample], rough[:, 1], rough[:, 0])
    assert ours.max() < 0.001 < theirs.max()


def test_published_gaode_coordinate_lands_on_the_osm_station():
    """en.wikipedia's Xi'erqi station coordinate is tagged source:Gaode; converted, it must meet OSM's node."""
    lon, lat = gcj02_to_wgs84(116.306295, 40.053034)
    osm_lon, osm_lat = 116.3001813, 40.0517165  # OpenStreetMap node 5430533767
    assert _metres(lon, lat, osm_lon, osm_lat) < 15
    assert _metres(116.306295, 40.053034, osm_lon, osm_lat) > 500  # unconverted, it is half a kilometre off


@pytest.mark.parametrize("func", [wgs84_to_gcj02, gcj02_to_wgs84, wgs84_to_bd09, bd09_to_wgs84])
@pytest.mark.parametrize("lon, lat", [(-0.1276, 51.5072), (139.69, 35.69), (151.21, -33.87), (-74.0, 40.7)])
def test_points_outside_china_pass_through_unchanged(func, lon, lat):
    assert func(lon, lat) == (lon, lat)


def test_outside_china_matches_prcoords_passthrough():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref_lat, ref_lon = prcoords.wgs_gcj((51.5072, -0.1276))
    assert wgs84_to_gcj02(-0.1276, 51.5072) == (ref_lon, ref_lat)


def test_scalars_in_give_floats_out_and_arrays_keep_their_shape():
    lon, lat = wgs84_to_gcj02(116.39, 39.9)
    assert isinstance(lon, float) and isinstance(lat, float)
    grid_lon = np.full((3, 4), 116.39)
    grid_lat = np.full((3, 4), 39.9)
    out_lon, out_lat = gcj02_to_wgs84(grid_lon, grid_lat)
    assert out_lon.shape == (3, 4) and out_lat.shape == (3, 4)


def test_mixed_inside_and_outside_arrays_are_handled_per_point():
    lon = np.array([116.39, -0.1276])
    lat = np.array([39.9, 51.5072])
    out_lon, out_lat = wgs84_to_gcj02(lon, lat)
    assert out_lon[0] != lon[0] and out_lon[1] == lon[1] and out_lat[1] == lat[1]


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="differ in shape"):
        wgs84_to_gcj02(np.zeros(3), np.zeros(2))


@pytest.mark.parametrize(
    "name, datum", [("wgs84", Datum.WGS84), ("GCJ-02", Datum.GCJ02), ("BD09", Datum.BD09), ("gcj_02", Datum.GCJ02)]
)
def test_parse_datum_accepts_common_spellings(name, datum):
    assert parse_datum(name) is datum


def test_parse_datum_names_the_choices():
    with pytest.raises(ValueError, match="wgs84, gcj02, bd09"):
        parse_datum("cgcs2000")


def test_convert_between_gcj02_and_bd09_round_trips():
    lon, lat = convert(116.40, 39.91, "gcj02", "bd09")
    back = convert(lon, lat, "bd09", "gcj02")
    assert _metres(116.40, 39.91, *back) < 0.01


def test_convert_geometry_moves_every_vertex_of_a_polygon():
    square = Polygon([(116.3, 39.9), (116.31, 39.9), (116.31, 39.91), (116.3, 39.91)])
    moved = convert_geometry(square, "wgs84", "gcj02")
    for (x, y), (mx, my) in zip(square.exterior.coords, moved.exterior.coords, strict=False):
        assert (mx, my) == pytest.approx(wgs84_to_gcj02(x, y), abs=1e-12)
    back = convert_geometry(moved, "gcj02", "wgs84")
    assert back.equals_exact(square, tolerance=1e-9)


def test_convert_geometry_keeps_a_geoseries_index_and_crs():
    series = gpd.GeoSeries(
        [Point(116.39, 39.9), LineString([(116.3, 39.9), (116.4, 40.0)]), None],
        index=["a", "b", "c"],
        crs="EPSG:4326",
        name="where",
    )
    moved = convert_geometry(series, "wgs84", "bd09")
    assert list(moved.index) == ["a", "b", "c"] and moved.crs == series.crs and moved.name == "where"
    assert moved.iloc[2] is None
    assert (moved.iloc[0].x, moved.iloc[0].y) == pytest.approx(wgs84_to_bd09(116.39, 39.9), abs=1e-12)


@pytest.mark.parametrize(
    "forward, inverse",
    [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)],
    ids=["gcj02", "bd09"],
)
def test_inverse_converges_across_all_of_china(forward, inverse):
    """The stopping rule rests on a contraction bound measured over China's box: hold it to that."""
    lon, lat = np.meshgrid(np.arange(73.0, 135.0, 0.37), np.arange(3.0, 54.0, 0.29))
    lon, lat = lon.ravel(), lat.ravel()
    error = _metres(lon, lat, *inverse(*forward(lon, lat)))
    assert error.max() < 0.01
