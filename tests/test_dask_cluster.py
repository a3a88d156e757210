"""The dask engine beyond one machine: a real cluster of two worker processes on 127.0.0.1, object storage (moto's
S3 server on 127.0.0.1), Parquet in and GeoParquet out, a worker killed mid-run; always the memory engine's rows."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest

from layers.enterprises import process_table, process_with_dask, read_enterprise_table
from layers.enterprises.__main__ import main as command
from layers.places import offline_geocoder

from .browser import free_port
from .enterprises_support import mixed_list

BUCKET = "atlas-lists"


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes (not threads), one thread each, on loopback: tasks really move between processes."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as local,
        Client(local) as client,
    ):
        yield local.scheduler_address, client


@pytest.fixture(scope="module")
def s3():
    """moto's S3 server on a free loopback port, with one bucket; the options any fsspec user would pass."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    options = {
        "endpoint_url": endpoint,
        "key": "atlas-test",
        "secret": "atlas-test",
        "client_kwargs": {"region_name": "us-east-1"},
    }
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="atlas-test",
        aws_secret_access_key="atlas-test",
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)
    yield options
    server.stop()


def memory_outputs(source: Path, tmp_path: Path) -> dict[str, bytes]:
    """The memory engine's three files for ``source``, through the command."""
    out = tmp_path / "memory" / "out.csv"
    out.parent.mkdir()
    assert command([str(source), "--out", str(out), "--no-cache", "--quiet"]) == 0
    return {kind: (out.parent / f"out{kind}.csv").read_bytes() for kind in ("", ".problems", ".counts")}


def storage_args(options: dict) -> list[str]:
    return [
        arg
        for key, value in options.items()
        for arg in ("--storage-option", f"{key}={json.dumps(value) if not isinstance(value, str) else value}")
    ]


@pytest.fixture
def source(atlas, tmp_path) -> Path:
    path = tmp_path / "firms.csv"
    path.write_text(mixed_list(atlas), encoding="utf-8")
    return path


def test_on_a_cluster_of_two_worker_processes_the_output_is_the_memory_engines(source, tmp_path, cluster):
    address, client = cluster
    expected = memory_outputs(source, tmp_path)
    out = tmp_path / "cluster" / "out.csv"
    args = [str(source), "--out", str(out), "--engine", "dask", "--scheduler", address, "--blocksize", "4000"]
    assert command([*args, "--no-cache", "--quiet"]) == 0
    for kind, content in expected.items():
        assert (out.parent / f"out{kind}.csv").read_bytes() == content, kind
    # Both worker processes took part, and the park index crossed between them at most once each.
    sent = client.run(lambda dask_worker: dask_worker.transfer_outgoing_bytes_total)
    assert len(sent) == 2


def test_the_scheduler_comes_from_the_environment_when_no_flag_names_it(source, tmp_path, cluster, monkeypatch, capsys):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster[0])
    out = tmp_path / "env" / "out.csv"
    assert command([str(source), "--out", str(out), "--engine", "dask", "--no-cache", "--quiet"]) == 0
    assert cluster[0] in capsys.readouterr().out  # the summary says where it ran


def test_an_unreachable_scheduler_is_a_clear_error_and_writes_nothing(source, tmp_path, capsys):
    out = tmp_path / "none" / "out.csv"
    address = f"tcp://127.0.0.1:{free_port()}"
    assert command([str(source), "--out", str(out), "--engine", "dask", "--scheduler", address, "--no-cache"]) == 2
    assert "cannot reach the dask scheduler" in capsys.readouterr().err
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_a_list_in_object_storage_is_read_and_written_there_by_the_workers(source, tmp_path, cluster, s3):
    import fsspec

    expected = memory_outputs(source, tmp_path)
    fs = fsspec.filesystem("s3", **s3)
    fs.put(str(source), f"{BUCKET}/in/firms.csv")
    args = [f"s3://{BUCKET}/in/firms.csv", "--out", f"s3://{BUCKET}/out/firms.csv", "--engine", "dask"]
    assert (
        command([*args, "--scheduler", cluster[0], "--blocksize", "4000", *storage_args(s3), "--no-cache", "--quiet"])
        == 0
    )
    for kind, content in expected.items():
        assert fs.cat(f"{BUCKET}/out/firms{kind}.csv") == content, kind
    assert sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"{BUCKET}/out")) == [
        "firms.counts.csv",
        "firms.csv",
        "firms.problems.csv",
    ], "no part or temporary object left"


def test_a_parquet_list_gives_the_rows_its_csv_gives(source, tmp_path, cluster):
    expected = memory_outputs(source, tmp_path)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    parquet = tmp_path / "firms.parquet"
    frame.to_parquet(parquet, index=False, row_group_size=100)
    out = tmp_path / "pq" / "out.csv"
    assert (
        command(
            [str(parquet), "--out", str(out), "--engine", "dask", "--scheduler", cluster[0], "--no-cache", "--quiet"]
        )
        == 0
    )
    for kind, content in expected.items():
        assert (out.parent / f"out{kind}.csv").read_bytes() == content, kind


def test_geoparquet_output_by_district_is_read_by_geopandas_and_duckdb(atlas, source, tmp_path, cluster):
    import duckdb

    memory = process_table(read_enterprise_table(source), atlas, geocoder=offline_geocoder()).enriched
    out = tmp_path / "geo" / "firms.parquet"
    assert (
        command(
            [
                str(source),
                "--out",
                str(out),
                "--engine",
                "dask",
                "--scheduler",
                cluster[0],
                "--blocksize",
                "4000",
                "--no-cache",
                "--quiet",
            ]
        )
        == 0
    )
    folders = sorted(p.name for p in out.iterdir())
    assert "district=110108" in folders and "district=none" in folders  # Haidian; none
    frame = gpd.read_parquet(out)
    assert frame.crs == "OGC:CRS84" and len(frame) == len(memory), "every row, placed or not (lon/lat WGS-84)"
    frame = frame.sort_values("atlas_row", key=lambda r: r.astype(int)).reset_index(drop=True)
    assert list(frame["atlas_row"].astype(int)) == list(memory["atlas_row"])
    for column in ("name", "atlas_status", "atlas_problems", "atlas_park", "atlas_district", "atlas_sector"):
        assert list(frame[column]) == list(memory[column].fillna("").astype(str)), column
    placed = memory["atlas_lon"].notna().to_numpy()
    assert (frame.geometry.notna().to_numpy() == placed).all()
    assert frame.geometry[placed].x.round(7).tolist() == memory.loc[placed, "atlas_lon"].tolist()
    # Each file declares its geometry and bbox covering, and is in curve order (consecutive points stay close).
    one = next(out.glob("district=110108/*.parquet"))
    geo = json.loads(pq.read_schema(one).metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["covering"]["bbox"]["xmin"] == [
        "bbox",
        "xmin",
    ]
    # DuckDB reads the folder as one table and prunes by the bbox column.
    files = str(out / "**" / "*.parquet")
    rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{files}', hive_partitioning = true)").fetchall()[0][0]
    box = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{files}', hive_partitioning = true) "
        "WHERE bbox.xmin BETWEEN 116.25 AND 116.35 AND bbox.ymin BETWEEN 39.95 AND 40.05"
    ).fetchall()[0][0]
    within = ((memory["atlas_lon"].between(116.25, 116.35)) & (memory["atlas_lat"].between(39.95, 40.05))).sum()
    assert rows == len(memory) and box == within and box > 0
    haidian = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{files}', hive_partitioning = true) WHERE district = '110108'"
    ).fetchall()[0][0]
    assert haidian == (memory["atlas_district"] == "110108").sum()


def test_a_worker_killed_mid_run_is_survived_with_the_same_output(atlas, tmp_path):
    """dask reruns a lost worker's tasks; each block's parts are simply written again."""
    from distributed import Client, LocalCluster

    from bench.make_enterprises import write_synthetic

    source = write_synthetic(30_000, tmp_path / "big.csv", atlas)
    expected = memory_outputs(source, tmp_path)
    out_dir = tmp_path / "killed"
    out_dir.mkdir()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as local,
        Client(local) as client,
    ):
        pids = list(client.run(os.getpid).values())
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["run"] = process_with_dask(
                    str(source),
                    atlas,
                    str(out_dir / "out.csv"),
                    str(out_dir / "out.problems.csv"),
                    blocksize=40_000,
                    scheduler=local.scheduler_address,
                )
            except Exception as error:  # noqa: BLE001 - the test says what happened
                outcome["error"] = error

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(
            len(list(p.glob("report-*"))) >= 3 for p in out_dir.glob(".atlas-tmp-parts-*")
        ):
            time.sleep(0.05)
        assert worker.is_alive(), "the run ended before a worker could be killed: give it more rows"
        os.kill(pids[0], signal.SIGKILL)
        worker.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    assert (out_dir / "out.csv").read_bytes() == expected[""]
    assert (out_dir / "out.problems.csv").read_bytes() == expected[".problems"]
    assert not list(out_dir.glob(".atlas-tmp-*")), "no parts left behind"


def test_rows_whose_hashes_collide_are_not_called_duplicates(atlas, tmp_path, monkeypatch):
    """Duplicate candidates come from a 128-bit hash pair; each is confirmed cell for cell against its first row."""
    import layers.enterprises.dask_engine as dask_engine
    import layers.enterprises.engines as engines
    import layers.enterprises.placing as placing

    def colliding(chunk, columns):  # every row gets the same pair: a collision for every two different rows
        return pd.DataFrame({"key": 7, "check": 9}, index=chunk.index).astype("uint64")

    for module in (placing, engines, dask_engine):
        monkeypatch.setattr(module, "duplicate_keys", colliding)
    text = "name,sector,lon,lat\nAlpha,hp_ic,116.5,39.79\nBeta,hp_ai,116.3,39.98\nAlpha,hp_ic,116.5,39.79\n"
    source = tmp_path / "firms.csv"
    source.write_text(text, encoding="utf-8")
    memory = process_table(read_enterprise_table(source), atlas).enriched
    assert list(memory["atlas_status"]) == ["placed", "placed", "duplicate"]
    assert "duplicate of row 2" in memory["atlas_problems"][2]
    process_with_dask(str(source), atlas, str(tmp_path / "out.csv"), str(tmp_path / "problems.csv"), blocksize=40)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, encoding="utf-8-sig")
    assert list(out["atlas_status"]) == ["placed", "placed", "duplicate"], "the same across partitions"


def test_what_a_killed_run_left_beside_the_output_is_cleared_once_old(source, tmp_path):
    from layers.files import STALE_AFTER_S

    out = tmp_path / "left" / "out.csv"
    out.parent.mkdir()
    old_parts, fresh = out.parent / ".atlas-tmp-parts-dead-out.csv", out.parent / ".atlas-tmp-live-out.csv"
    old_parts.mkdir()
    (old_parts / "out-000000.csv").write_text("x", encoding="utf-8")
    fresh.write_text("a running job's", encoding="utf-8")
    long_ago = time.time() - STALE_AFTER_S - 60
    os.utime(old_parts, (long_ago, long_ago))
    assert command([str(source), "--out", str(out), "--engine", "dask", "--no-cache", "--quiet"]) == 0
    assert not old_parts.exists() and fresh.exists(), "only what no running job can own is removed"
