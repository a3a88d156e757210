"""The Hilbert order GeoParquet files are sorted by: every cell once, each step to a neighbour, gaps last."""

from __future__ import annotations

import numpy as np

from geo.hilbert import hilbert_index


def test_the_curve_visits_each_cell_once_stepping_only_to_neighbours():
    xs, ys = (a.ravel().astype(float) for a in np.meshgrid(np.arange(16), np.arange(16)))
    distance = hilbert_index(xs, ys, (0, 0, 15, 15), order=4)
    assert sorted(distance.tolist()) == list(range(256))
    order = np.argsort(distance)
    steps = np.abs(np.diff(xs[order])) + np.abs(np.diff(ys[order]))
    assert (steps == 1).all(), "near on the curve is near on the ground"


def test_points_without_coordinates_sort_last_and_outside_points_at_the_edge():
    distance = hilbert_index(np.array([116.4, np.nan, 200.0]), np.array([39.9, 39.9, 39.9]), (115, 39, 118, 41.5))
    assert distance[1] == np.iinfo(np.uint64).max and distance[0] < distance[1] and distance[2] < distance[1]
