"""Batch geocoding speed: cold (every row asks the local stand-in server) and warm (every row from the cache).

Run on demand:  .venv/bin/python -m bench.bench_geocode [--rows N]
The stand-in server runs in this process on 127.0.0.1, so cold numbers include its own work; the warm run
makes no requests at all and measures the atlas's own cost per row (cache look-up, Beijing check, CSV).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import tempfile
import time
from pathlib import Path

from geo.geocode.__main__ import main
from tests.fake_geocoders import FakeGeocoderServer


def run_batch(batch: Path, out: Path, cache: Path, server_url: str, provider: str = "amap") -> tuple[float, str]:
    buffer = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(buffer):
        code = main(
            [
                str(batch),
                "--out",
                str(out),
                "--provider",
                provider,
                "--endpoint",
                server_url,
                "--cache",
                str(cache),
                "--quiet",
                "--min-interval",
                "0",
            ]
        )
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"batch failed ({code}):\n{buffer.getvalue()}")
    return elapsed, buffer.getvalue().strip().splitlines()[-1]


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("AMAP_KEY", "BENCHKEY")
    work = Path(tempfile.mkdtemp(prefix="geocode-bench-"))
    batch = work / "in.csv"
    with open(batch, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["company", "address"])
        writer.writerows([f"company {i}", f"北京市海淀区测试路{i}号"] for i in range(args.rows))
    with FakeGeocoderServer() as server:
        for provider in ("amap", "nominatim"):
            cache = work / f"{provider}.sqlite"
            cold, cold_summary = run_batch(batch, work / "out.csv", cache, server.url, provider)
            warm, warm_summary = run_batch(batch, work / "out.csv", cache, server.url, provider)
            print(
                f"{provider:>9}  cold: {args.rows / cold:8,.0f} rows/s ({cold:.2f} s)   "
                f"warm: {args.rows / warm:8,.0f} rows/s ({warm:.2f} s)"
            )
            print(f"{'':>9}  warm summary: {warm_summary}")
    gazetteer_batch = work / "gaz.csv"
    names = ["首钢园", "亦庄", "北京市石景山区首钢园金安路1号", "Zpark", "火星基地"]
    with open(gazetteer_batch, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["address"])
        writer.writerows([names[i % len(names)]] for i in range(args.rows))
    elapsed, summary = run_batch(
        gazetteer_batch, work / "gaz_out.csv", work / "gaz.sqlite", "http://127.0.0.1:9", "gazetteer"
    )
    print(f"gazetteer  offline: {args.rows / elapsed:8,.0f} rows/s ({elapsed:.2f} s, including loading the gazetteer)")


if __name__ == "__main__":
    main_bench()
