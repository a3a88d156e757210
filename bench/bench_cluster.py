"""The dask engine on a real cluster: 1, 2 and 4 worker processes on this machine, beside the other engines.

    .venv/bin/python -m bench.bench_cluster [--rows 1000000 10000000] [--workers 1 2 4]

For each size a synthetic list (``bench.make_enterprises``, kept in bench/.cache) is placed and joined: by the
memory engine, by the dask engine on local threads, and on a ``LocalCluster`` of N worker processes (one thread
each) on 127.0.0.1, through the same ``process_with_dask`` a multi-machine cluster runs. Printed: wall time, the
peak resident memory of the busiest worker (its own monitor's samples), and the bytes the workers sent each other.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from layers.enterprises import process_table, process_with_dask, read_enterprise_table
from layers.model.load import load_atlas

from .make_enterprises import write_synthetic

CACHE = Path(__file__).resolve().parent / ".cache"


def on_cluster(source: Path, atlas, workers: int, out: Path, blocksize: str) -> tuple[float, int, int]:
    """Wall seconds, peak RSS of the busiest worker, bytes sent between workers."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        process_with_dask(
            str(source),
            atlas,
            str(out),
            str(out.with_suffix(".problems.csv")),
            blocksize=blocksize,
            scheduler=cluster.scheduler_address,
        )
        seconds = time.perf_counter() - started
        # Each worker's own monitor samples its memory twice a second: read afterwards, it costs the run nothing.
        peak = max(client.run(lambda dask_worker: max(dask_worker.monitor.quantities["memory"])).values())
        sent = sum(client.run(lambda dask_worker: dask_worker.transfer_outgoing_bytes_total).values())
    return seconds, peak, sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--blocksize", default="16MB", help="bytes of CSV per partition (the command's default: 64MB)")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the memory engine (10M rows: ~10 GB)")
    args = parser.parse_args(argv)
    atlas = load_atlas()
    CACHE.mkdir(exist_ok=True)
    print(f"{os.cpu_count()} cores; one thread per worker process; partitions of {args.blocksize} of CSV")
    for rows in args.rows:
        source = write_synthetic(rows, CACHE / f"cluster-{rows}.csv", atlas)
        size = source.stat().st_size / 1e6
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            out = Path(tmp) / "out.csv"
            if not args.skip_memory:
                started = time.perf_counter()
                process_table(read_enterprise_table(source), atlas)
                seconds = time.perf_counter() - started
                print(f"{rows:>11,} firms ({size:,.0f} MB)  memory engine            {seconds:7.1f} s")
            started = time.perf_counter()
            process_with_dask(
                str(source), atlas, str(out), str(out.with_suffix(".problems.csv")), blocksize=args.blocksize
            )
            print(
                f"{rows:>11,} firms ({size:,.0f} MB)  dask, local threads      {time.perf_counter() - started:7.1f} s"
            )
            for workers in args.workers:
                seconds, peak, sent = on_cluster(source, atlas, workers, out, args.blocksize)
                print(
                    f"{rows:>11,} firms ({size:,.0f} MB)  dask, {workers} worker process{'es' if workers > 1 else '  '}"
                    f" {seconds:7.1f} s   peak {peak / 1e6:6.0f} MB/worker   {sent / 1e6:8.1f} MB between workers"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
