"""`python -m geo.geocode` end to end, against a local stand-in for AMap and Nominatim on 127.0.0.1."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.crs import distance_km
from geo.geocode.__main__ import main
from geo.geocode.cache import GeocodeCache
from geo.geocode.providers import NominatimProvider

from .conftest import REPO
from .fake_geocoders import FakeGeocoderServer, expected_wgs84


@pytest.fixture
def server():
    with FakeGeocoderServer() as fake:
        yield fake


@pytest.fixture(autouse=True)
def amap_key(monkeypatch):
    monkeypatch.setenv("AMAP_KEY", "TESTKEY")


def write_batch(path: Path, addresses: list[str], encoding: str = "utf-8", extra: dict | None = None) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["company", "address", *(extra or {})])
        for i, address in enumerate(addresses):
            writer.writerow([f"company {i}", address, *(extra or {}).values()])
    return path


def read_output(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def run(tmp_path, server, batch: Path, *extra: str, provider: str = "amap") -> tuple[int, list[dict[str, str]]]:
    out = tmp_path / "out.csv"
    code = main(
        [
            str(batch),
            "--out",
            str(out),
            "--provider",
            provider,
            "--endpoint",
            server.url,
            "--cache",
            str(tmp_path / "cache.sqlite"),
            "--backoff",
            "0.01",
            "--timeout",
            "0.5",
            "--quiet",
            *extra,
        ]
    )
    return code, read_output(out) if out.exists() else []


def addresses(n: int) -> list[str]:
    return [f"北京市海淀区测试路{i}号" for i in range(n)]


def test_a_thousand_addresses_then_a_warm_run_makes_no_requests(tmp_path, server, capsys):
    batch = write_batch(tmp_path / "in.csv", addresses(1000))
    code, rows = run(tmp_path, server, batch)
    assert code == 0 and server.requests == 1000
    assert len(rows) == 1000 and {r["status"] for r in rows} == {"ok"}
    # AMap answered in GCJ-02; the output is WGS-84, back where the fake put each address.
    for row in rows[:50]:
        lon, lat = expected_wgs84(row["address"])
        assert distance_km(float(row["lon"]), float(row["lat"]), lon, lat) * 1000 < 1.0
        assert row["datum_source"] == "gcj02" and row["provider"] == "amap" and row["company"].startswith("company")
    first_summary = capsys.readouterr().out

    code, rows = run(tmp_path, server, batch)
    assert code == 0 and server.requests == 1000, "the second run must be served from the cache"
    assert {r["from_cache"] for r in rows} == {"yes"}
    assert "1000 ok, 0 not found, 0 failed" in first_summary
    assert "1000 from cache, 0 requests" in capsys.readouterr().out


def test_nominatim(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", ["西二旗", "NOTFOUND place", "首钢园"])
    code, rows = run(tmp_path, server, batch, "--min-interval", "0", provider="nominatim")
    assert code == 0
    assert [r["status"] for r in rows] == ["ok", "not_found", "ok"]
    assert rows[0]["datum_source"] == "wgs84" and rows[0]["match"] == "nominatim:place/house"
    assert rows[1]["reason"] == "line 3: no match"


def test_public_nominatim_keeps_one_request_a_second():
    provider = NominatimProvider("https://nominatim.openstreetmap.org", min_interval_s=0.0)
    assert provider.min_interval_s == 1.0


@pytest.mark.parametrize("provider", ["amap", "nominatim"])
@pytest.mark.parametrize(
    "address, requests, status, reason",
    [
        ("E429x2 路", 3, "ok", ""),
        ("E500x2 路", 3, "ok", ""),
        ("SLOW1 路", 2, "ok", ""),
        ("SLOW9 路", 3, "error", "timed out"),
        ("E500x9 路", 3, "error", "500"),
    ],
    ids=["429 then ok", "500 then ok", "one slow answer", "always slow", "always 500"],
)
def test_faults_are_retried_a_bounded_number_of_times(tmp_path, server, provider, address, requests, status, reason):
    address = address.replace("x", "")
    batch = write_batch(tmp_path / "in.csv", [address])
    code, rows = run(tmp_path, server, batch, "--tries", "3", "--min-interval", "0", provider=provider)
    assert server.requests == requests
    assert rows[0]["status"] == status and reason in rows[0]["reason"]
    if status == "error":
        assert code == 1 and "gave up after 3 tries" in rows[0]["reason"] and rows[0]["reason"].startswith("line 2:")


def test_failures_are_not_cached_so_a_rerun_tries_again(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", ["E5002 路"])
    code, rows = run(tmp_path, server, batch, "--tries", "1")
    assert rows[0]["status"] == "error"
    code, rows = run(tmp_path, server, batch, "--tries", "2")
    assert rows[0]["status"] == "ok" and server.requests == 3


def test_bad_key_fails_at_once_without_retries(tmp_path, server, monkeypatch):
    monkeypatch.setenv("AMAP_KEY", "BADKEY")
    batch = write_batch(tmp_path / "in.csv", ["a", "b"])
    code, rows = run(tmp_path, server, batch)
    assert code == 1 and server.requests == 2
    assert rows[0]["reason"] == "line 2: AMap refused the request: 10001 INVALID_USER_KEY"


def test_not_found_and_outside_beijing_are_reported_per_row(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", ["fine", "NOTFOUND", "SHANGHAI office", ""])
    code, rows = run(tmp_path, server, batch)
    assert [r["status"] for r in rows] == ["ok", "not_found", "ok", "error"]
    assert rows[1]["reason"] == "line 3: no match"
    assert rows[2]["flags"] == "outside_beijing" and rows[0]["flags"] == ""
    assert rows[3]["reason"] == "line 5: empty address"


def test_server_failing_half_way_keeps_the_first_half_and_a_rerun_resumes(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", addresses(1000))
    server.fail_after = 400
    code, rows = run(tmp_path, server, batch, "--tries", "1")
    assert code == 1
    assert sum(r["status"] == "ok" for r in rows) == 400 and sum(r["status"] == "error" for r in rows) == 600
    server.fail_after = None
    before = server.requests
    code, rows = run(tmp_path, server, batch)
    assert code == 0 and {r["status"] for r in rows} == {"ok"}
    assert server.requests - before == 600
    assert sum(r["from_cache"] == "yes" for r in rows) == 400


def test_killed_half_way_the_cache_keeps_what_was_answered(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", addresses(1000))
    out = tmp_path / "out.csv"
    cache_path = tmp_path / "cache.sqlite"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geo.geocode",
            str(batch),
            "--out",
            str(out),
            "--provider",
            "amap",
            "--endpoint",
            server.url,
            "--cache",
            str(cache_path),
            "--quiet",
        ],
        cwd=REPO,
        env={**os.environ, "AMAP_KEY": "TESTKEY"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while server.requests < 300 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert server.requests >= 300 and not out.exists(), "a killed batch must not leave a half-written output"
    cached = len(GeocodeCache(cache_path))
    assert 250 <= cached <= server.requests
    before = server.requests
    code, rows = run(tmp_path, server, batch)
    assert code == 0 and len(rows) == 1000 and {r["status"] for r in rows} == {"ok"}
    assert server.requests - before == 1000 - cached


def test_gbk_input_from_excel_is_read_and_written_back_as_utf8(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", ["北京市石景山区首钢园", "亦庄", "北京西站"], encoding="gbk")
    out = tmp_path / "out.csv"
    assert main([str(batch), "--out", str(out), "--quiet"]) == 0  # default provider: the offline gazetteer
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel on Chinese Windows reads UTF-8
    rows = read_output(out)
    assert [r["address"] for r in rows] == ["北京市石景山区首钢园", "亦庄", "北京西站"]
    assert [r["match"] for r in rows] == ["gazetteer:partial", "gazetteer:exact", "gazetteer:exact"]
    assert server.requests == 0


def test_every_input_row_and_column_is_kept(tmp_path, server):
    batch = tmp_path / "in.csv"
    batch.write_text(
        'id,address,lon,note\n1,亦庄,,keep me\n2,首钢园,1,2,3,4\n3,"39.9, 116.4",,typed\n', encoding="utf-8"
    )
    code, rows = run(tmp_path, server, batch, provider="gazetteer")
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["note"] == "keep me" and rows[0]["lon"] == ""  # the user's own lon column is untouched
    assert rows[0]["geocode_status"] == "ok"
    assert (
        rows[1]["geocode_status"] == "error"
        and "line 3: row has 6 cells, the header has 4; extra cells: ['3', '4']" in rows[1]["geocode_reason"]
    )
    assert rows[2]["geocode_provider"] == "coordinates" and rows[2]["geocode_match"] == "typed:latlon"


def test_typed_coordinates_in_a_declared_datum(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", ["39.9086, 116.3975"])
    code, rows = run(tmp_path, server, batch, "--datum", "gcj02", provider="gazetteer")
    assert rows[0]["datum_source"] == "gcj02" and server.requests == 0
    assert distance_km(float(rows[0]["lon"]), float(rows[0]["lat"]), 116.3975, 39.9086) * 1000 > 400


@pytest.mark.parametrize(
    "args, message",
    [
        (["--address-column", "addr"], "no column 'addr'; the columns are: company, address"),
        (["--provider", "amap", "--datum-column", "datum"], "no column 'datum'"),
    ],
)
def test_unusable_requests_exit_2_with_a_clear_message(tmp_path, capsys, args, message):
    batch = write_batch(tmp_path / "in.csv", ["x"])
    assert main([str(batch), "--out", str(tmp_path / "o.csv"), *args]) == 2
    assert message in capsys.readouterr().err


def test_amap_without_a_key_says_how_to_give_one(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AMAP_KEY")
    monkeypatch.chdir(tmp_path)
    batch = write_batch(tmp_path / "in.csv", ["x"])
    assert main([str(batch), "--out", str(tmp_path / "o.csv"), "--provider", "amap"]) == 2
    assert "set AMAP_KEY, or amap_key in .streamlit/secrets.toml" in capsys.readouterr().err


def test_amap_key_from_streamlit_secrets(tmp_path, server, monkeypatch):
    monkeypatch.delenv("AMAP_KEY")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('amap_key = "FROMSECRETS"\n', encoding="utf-8")
    batch = write_batch(tmp_path / "in.csv", ["x"])
    code, rows = run(tmp_path, server, batch)
    assert code == 0 and rows[0]["status"] == "ok"


# --- broken answers: each is that one address's error, never the batch's end --------------------------------------


@pytest.mark.parametrize(
    "provider, address, reason",
    [
        ("amap", "北京 CUTSHORT", "cut short"),
        ("nominatim", "北京 NANCOORD", "not a coordinate"),
        ("nominatim", "北京 INFCOORD", "not a coordinate"),
        ("nominatim", "北京 BIGLAT", "not a coordinate"),
        ("nominatim", "北京 TRICKLE", "took longer than"),
        ("nominatim", "北京 HUGE", "larger than 2 MB"),
    ],
)
def test_a_broken_answer_is_one_rows_error_and_the_batch_goes_on(tmp_path, server, provider, address, reason):
    batch = write_batch(tmp_path / "in.csv", [address, "北京市海淀区好地址1号"])
    code, rows = run(tmp_path, server, batch, "--min-interval", "0", "--tries", "1", provider=provider)
    assert code == 1 and len(rows) == 2  # the file is written, every row in it
    assert rows[0]["status"] == "error" and reason in rows[0]["reason"] and rows[0]["lon"] == ""
    assert rows[1]["status"] == "ok"
    cache = GeocodeCache(tmp_path / "cache.sqlite")
    try:
        assert cache.get(f"{provider}@{server.url}", address) is None  # an error is never cached as an answer
    finally:
        cache.close()


def test_an_answer_without_a_label_is_still_an_answer(tmp_path, server):
    code, rows = run(
        tmp_path,
        server,
        write_batch(tmp_path / "in.csv", ["北京 NODISPLAY"]),
        "--min-interval",
        "0",
        provider="nominatim",
    )
    assert code == 0 and rows[0]["status"] == "ok" and rows[0]["label"] == ""


def test_answers_from_a_mirror_are_not_served_for_another_endpoint(tmp_path, server):
    batch = write_batch(tmp_path / "in.csv", ["北京市海淀区测试路1号"])
    assert run(tmp_path, server, batch)[0] == 0
    with FakeGeocoderServer() as other:
        code, rows = run(tmp_path, other, batch)
        assert code == 0 and rows[0]["from_cache"] == "no" and other.requests == 1


def test_cells_that_would_run_as_formulas_are_neutralised_unless_asked(tmp_path, server):
    batch = tmp_path / "in.csv"
    batch.write_text('company,address\n=HYPERLINK("http://x"),北京市海淀区测试路1号\n-5,@SUM(1)\n', encoding="utf-8")
    _, rows = run(tmp_path, server, batch)
    assert (
        rows[0]["company"] == '\'=HYPERLINK("http://x")'
        and rows[1]["company"] == "-5"
        and rows[1]["address"] == "'@SUM(1)"
    )
    _, raw = run(tmp_path, server, batch, "--keep-formulas")
    assert raw[0]["company"] == '=HYPERLINK("http://x")'


def test_an_unwritable_output_is_exit_2_with_a_plain_message(tmp_path, server, capsys):
    batch = write_batch(tmp_path / "in.csv", ["北京市海淀区测试路1号"])
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    code = main(
        [
            str(batch),
            "--out",
            str(not_a_folder / "out.csv"),
            "--provider",
            "amap",
            "--endpoint",
            server.url,
            "--no-cache",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_a_full_disk_when_writing_is_exit_2_and_the_old_output_stays(tmp_path, server, monkeypatch, capsys):
    import errno

    batch = write_batch(tmp_path / "in.csv", ["北京市海淀区测试路1号"])
    out = tmp_path / "out.csv"
    out.write_text("the previous output", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("geo.geocode.batch.os.replace", disk_full)
    code = main(
        [str(batch), "--out", str(out), "--provider", "amap", "--endpoint", server.url, "--no-cache", "--quiet"]
    )
    assert code == 2 and "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "the previous output" and len(list(tmp_path.glob(".out.csv.*"))) == 0


def test_a_full_disk_under_the_cache_keeps_the_runs_answers(tmp_path, server, monkeypatch, capsys):
    import sqlite3

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(GeocodeCache, "put", full)
    code, rows = run(tmp_path, server, write_batch(tmp_path / "in.csv", addresses(5)))
    assert code == 0 and [r["status"] for r in rows] == ["ok"] * 5
    assert "could not be written" in capsys.readouterr().err
