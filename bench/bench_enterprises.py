"""Company lists at scale: the spatial join, and the memory and dask engines end to end.

    .venv/bin/python -m bench.bench_enterprises join [--points 1000000]
    .venv/bin/python -m bench.bench_enterprises engines [--rows 10000000] [--engines memory dask]

``join`` times the park-and-district join of random points over Beijing (best of 3) beside geopandas' sjoin
(STRtree) on the same points, which it must equal. ``engines`` writes a synthetic list with
``bench.make_enterprises`` (kept in bench/.cache) and runs ``python -m layers.enterprises`` on it once per
engine, each in its own process under /usr/bin/time, reporting wall time and peak resident memory.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import BEIJING_LAT_RANGE, BEIJING_LON_RANGE
from layers.enterprises import ParkDistrictIndex
from layers.extents import park_extents
from layers.model.load import load_atlas

CACHE = Path(__file__).resolve().parent / ".cache"
REPO = Path(__file__).resolve().parent.parent


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_join(points: int) -> None:
    atlas = load_atlas()
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(*BEIJING_LON_RANGE, points), rng.uniform(*BEIJING_LAT_RANGE, points)
    frame = pd.DataFrame(
        {"atlas_lon": lon, "atlas_lat": lat, "atlas_status": "placed", "atlas_sector": "hp_ic", "atlas_problems": ""}
    )
    started = time.perf_counter()
    index = ParkDistrictIndex(atlas)
    build = time.perf_counter() - started
    districts_only = best_of(3, lambda: index.districts.first_xy(lon, lat))
    spatial = best_of(
        3,
        lambda: (
            index.districts.first_xy(lon, lat),
            index.parks.first_xy(lon, lat),
            index._all_parks(lon, lat, points),
        ),
    )
    full = best_of(3, lambda: index.assign(frame))
    print(f"{points:,} points over Beijing's box; index built in {build:.2f} s")
    print(f"  districts only (grid index):               {districts_only:6.2f} s")
    print(f"  districts + park + every park (the join):  {spatial:6.2f} s")
    print(f"  assign(): the join plus names and labels:  {full:6.2f} s")

    started = time.perf_counter()
    geometry = gpd.points_from_xy(lon, lat)
    make_points = time.perf_counter() - started
    points_frame = gpd.GeoDataFrame({"i": np.arange(points)}, geometry=geometry, crs="EPSG:4326")
    started = time.perf_counter()
    by_district = gpd.sjoin(points_frame, atlas.districts[["adcode", "geometry"]], predicate="intersects")
    gpd.sjoin(points_frame, park_extents(atlas)[["id", "geometry"]], predicate="intersects")
    sjoin = time.perf_counter() - started
    print(f"  geopandas sjoin, districts + parks:        {sjoin:6.2f} s (+ {make_points:.2f} s to make the Points)")
    expected = by_district.groupby("i")["adcode"].min().reindex(np.arange(points)).fillna("").to_numpy()
    ours = index.assign(frame)["atlas_district"].to_numpy()
    print(f"  same districts as sjoin for every point:   {bool((expected == ours).all())}")


def synthetic_file(rows: int) -> Path:
    path = CACHE / f"firms-{rows}.csv"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bench.make_enterprises", str(rows), "--out", str(path), "--bad", "0.01"],
            cwd=REPO,
            check=True,
        )
        print(f"  (generated in {time.perf_counter() - started:.0f} s)")
    return path


def bench_engines(rows: int, engines: list[str]) -> None:
    source = synthetic_file(rows)
    print(f"{rows:,} firms, {source.stat().st_size / 1e9:.2f} GB of CSV")
    for engine in engines:
        out = CACHE / f"out-{engine}-{rows}.csv"
        command = [
            "/usr/bin/time",
            "-v",
            sys.executable,
            "-m",
            "layers.enterprises",
            str(source),
            "--out",
            str(out),
            "--engine",
            engine,
            "--quiet",
            "--no-cache",
        ]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1]}"
        print(
            f"  {engine:6s}: {wall.group(1) if wall else '?'} wall, "
            f"peak {int(peak.group(1)) / 1e6 if peak else float('nan'):.2f} GB"
            f" ({status})"
        )
        summary = [line for line in done.stdout.splitlines() if line.startswith("read ")]
        if summary:
            print(f"          {summary[0]}")
    outputs = [CACHE / f"out-{engine}-{rows}.csv" for engine in engines]
    if len(outputs) == 2 and all(p.exists() for p in outputs):
        same = subprocess.run(["cmp", "-s", *map(str, outputs)]).returncode == 0
        print(f"  outputs byte for byte identical: {same}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_enterprises")
    sub = parser.add_subparsers(dest="what", required=True)
    join = sub.add_parser("join")
    join.add_argument("--points", type=int, default=1_000_000)
    engines = sub.add_parser("engines")
    engines.add_argument("--rows", type=int, default=10_000_000)
    engines.add_argument("--engines", nargs="+", default=["dask", "memory"], choices=["memory", "dask"])
    args = parser.parse_args(argv)
    if args.what == "join":
        bench_join(args.points)
    else:
        bench_engines(args.rows, args.engines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
