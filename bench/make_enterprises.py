"""Synthetic company lists for benchmarks and browser tests: realistic shape, made-up firms.

    .venv/bin/python -m bench.make_enterprises 100000 --out /tmp/firms-100k.csv [--seed 1] [--bad 0.01]

Firms cluster around the parks (two in three) or scatter over Beijing's box; sectors are the atlas's own,
written as codes, English or Chinese labels, with a share of labels the atlas does not know; coordinates
are given in WGS-84, GCJ-02 (as from Gaode) or BD-09 (as from Baidu), each row saying which. ``--bad``
mixes in rows with swapped or unreadable coordinates. Large lists are written in blocks of a million rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from geo.crs import BEIJING_LAT_RANGE, BEIJING_LON_RANGE
from geo.datums import Datum, convert
from layers.model.load import Atlas, load_atlas

BLOCK = 1_000_000
UNKNOWN_LABELS = ("餐饮", "Retail", "房地产")


def synthetic_enterprises(n: int, atlas: Atlas, seed: int = 1, bad_share: float = 0.0, start: int = 0) -> pd.DataFrame:
    """``n`` made-up firms as text columns name, sector, lon, lat, datum."""
    rng = np.random.default_rng(seed)
    placed = atlas.parks[atlas.parks.geometry.notna() & atlas.parks["area_km2"].notna()]
    centres = np.column_stack([placed.geometry.x, placed.geometry.y])
    spread = np.sqrt(placed["area_km2"].to_numpy() / np.pi) / 111.0  # the extent's radius, in degrees
    near = rng.random(n) < 2 / 3
    which = rng.integers(0, len(centres), n)
    lon = np.where(
        near,
        centres[which, 0] + rng.normal(0, 1, n) * spread[which] / np.cos(np.radians(40)),
        rng.uniform(*BEIJING_LON_RANGE, n),
    )
    lat = np.where(near, centres[which, 1] + rng.normal(0, 1, n) * spread[which], rng.uniform(*BEIJING_LAT_RANGE, n))

    datum = rng.choice(np.array([Datum.WGS84.value, Datum.GCJ02.value, Datum.BD09.value]), n, p=[0.8, 0.15, 0.05])
    for value in (Datum.GCJ02.value, Datum.BD09.value):
        chosen = datum == value
        lon[chosen], lat[chosen] = convert(lon[chosen], lat[chosen], Datum.WGS84, value)

    sectors = [s for s in atlas.sectors if s.taxonomy == "hp2017"]
    pick = rng.integers(0, len(sectors), n)
    style = rng.integers(0, 3, n)
    labels = np.array([[s.code, s.label_en, s.label_zh] for s in sectors], dtype=object)[pick, style]
    unknown = rng.random(n) < 0.01
    labels[unknown] = np.array(UNKNOWN_LABELS, dtype=object)[rng.integers(0, len(UNKNOWN_LABELS), int(unknown.sum()))]

    lon_text = np.char.mod("%.6f", lon).astype(object)
    lat_text = np.char.mod("%.6f", lat).astype(object)
    bad = rng.random(n) < bad_share
    swapped = bad & (rng.random(n) < 0.5)
    lon_text[swapped], lat_text[swapped] = lat_text[swapped], lon_text[swapped]
    lon_text[bad & ~swapped] = "n/a"
    numbers = np.arange(start + 1, start + n + 1)
    return pd.DataFrame(
        {
            "name": [f"Synthetic Firm {i:08d}" for i in numbers],
            "sector": labels,
            "lon": lon_text,
            "lat": lat_text,
            "datum": datum,
        }
    )


def write_synthetic(n: int, path: Path, atlas: Atlas, seed: int = 1, bad_share: float = 0.0) -> Path:
    """Write ``n`` firms to ``path`` (UTF-8 CSV) in blocks, so ten million rows need little memory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for block, start in enumerate(range(0, n, BLOCK)):
            frame = synthetic_enterprises(min(BLOCK, n - start), atlas, seed + block, bad_share, start)
            frame.to_csv(handle, index=False, header=block == 0, lineterminator="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.make_enterprises", description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad", type=float, default=0.0, help="share of rows with swapped or unreadable coordinates")
    args = parser.parse_args(argv)
    write_synthetic(args.rows, args.out, load_atlas(), args.seed, args.bad)
    print(f"wrote {args.rows:,} firms to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
