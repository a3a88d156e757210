"""Datum conversion speed and accuracy on a million points in Beijing, against prcoords.

Run on demand (not part of the test suite):  .venv/bin/python -m bench.bench_datums [--points N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import prcoords

from geo.crs import distance_km
from geo.datums import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02

BEIJING_LON = (115.4, 117.5)
BEIJING_LAT = (39.4, 41.1)


def best_of(runs: int, func, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--reference-points", type=int, default=20_000, help="points for the scalar prcoords timing")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    lon = rng.uniform(*BEIJING_LON, args.points)
    lat = rng.uniform(*BEIJING_LAT, args.points)

    print(
        f"{args.points:,} random points over Beijing "
        f"({BEIJING_LON[0]}-{BEIJING_LON[1]} E, {BEIJING_LAT[0]}-{BEIJING_LAT[1]} N)"
    )
    print(f"{'conversion':<22}{'seconds':>10}{'per million':>14}")
    t, (g_lon, g_lat) = best_of(3, wgs84_to_gcj02, lon, lat)
    print(f"{'wgs84_to_gcj02':<22}{t:>10.3f}{t * 1e6 / args.points:>13.3f}s")
    t, (w_lon, w_lat) = best_of(3, gcj02_to_wgs84, g_lon, g_lat)
    print(f"{'gcj02_to_wgs84':<22}{t:>10.3f}{t * 1e6 / args.points:>13.3f}s")
    gcj_err = np.asarray(distance_km(lon, lat, w_lon, w_lat)) * 1e3
    t, (b_lon, b_lat) = best_of(3, wgs84_to_bd09, lon, lat)
    print(f"{'wgs84_to_bd09':<22}{t:>10.3f}{t * 1e6 / args.points:>13.3f}s")
    t, (wb_lon, wb_lat) = best_of(3, bd09_to_wgs84, b_lon, b_lat)
    print(f"{'bd09_to_wgs84':<22}{t:>10.3f}{t * 1e6 / args.points:>13.3f}s")
    bd_err = np.asarray(distance_km(lon, lat, wb_lon, wb_lat)) * 1e3

    n = min(args.reference_points, args.points)
    pairs = list(zip(lat[:n], lon[:n], strict=False))
    t_ref, ref = best_of(1, lambda: [prcoords.wgs_gcj(p) for p in pairs])
    print(f"{'prcoords.wgs_gcj':<22}{t_ref:>10.3f}{t_ref * 1e6 / n:>13.3f}s   (scalar, {n:,} points, scaled)")
    t_ref_inv, ref_inv = best_of(1, lambda: [prcoords.gcj_wgs_bored(prcoords.wgs_gcj(p)) for p in pairs])
    print(f"{'prcoords gcj_wgs_bored':<22}{t_ref_inv:>10.3f}{t_ref_inv * 1e6 / n:>13.3f}s   (incl. forward, scaled)")

    ref = np.array(ref)
    forward_diff = np.asarray(distance_km(g_lon[:n], g_lat[:n], ref[:, 1], ref[:, 0])) * 1e3
    ref_inv = np.array(ref_inv)
    ref_err = np.asarray(distance_km(lon[:n], lat[:n], ref_inv[:, 1], ref_inv[:, 0])) * 1e3
    print()
    print(f"forward vs prcoords:     max difference {forward_diff.max() * 1e3:.6f} mm")
    print(f"gcj02 round trip:        max error {gcj_err.max() * 1e3:.6f} mm, median {np.median(gcj_err) * 1e3:.6f} mm")
    print(f"bd09 round trip:         max error {bd_err.max() * 1e3:.6f} mm, median {np.median(bd_err) * 1e3:.6f} mm")
    print(f"prcoords bored inverse:  max error {ref_err.max() * 1e3:.3f} mm")


if __name__ == "__main__":
    main()
