"""Company lists through both engines and the command: the same output, every row kept, bad files refused plainly,
formula cells neutralised, failed writes leaving the previous outputs together."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from layers.enterprises import (
    EnterpriseInputError,
    process_table,
    process_with_dask,
    read_enterprise_table,
)
from layers.enterprises.output import write_enriched
from layers.enterprises.reading import describe
from layers.places import offline_geocoder

from .enterprises_support import mixed_list, row, run

REPO = Path(__file__).resolve().parent.parent


# --- engines, outputs and the command -----------------------------------------------------------------


def test_the_dask_engine_writes_exactly_what_the_memory_engine_writes(atlas, tmp_path):
    source = tmp_path / "firms.csv"
    source.write_text(mixed_list(atlas), encoding="utf-8")
    raw = read_enterprise_table(source)
    memory = process_table(raw, atlas, geocoder=offline_geocoder())
    write_enriched(memory.enriched, tmp_path / "memory.csv")
    from layers.enterprises.output import write_counts, write_report

    write_report(memory.report, tmp_path / "memory.problems.csv")
    write_counts(memory.counts, tmp_path / "memory.counts.csv")
    run = process_with_dask(
        source, atlas, tmp_path / "dask.csv", tmp_path / "dask.problems.csv", offline_geocoder(), blocksize=4000
    )
    assert run.partitions > 3  # really split, so duplicates and counts had to cross partitions
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert (tmp_path / "dask.problems.csv").read_bytes() == (tmp_path / "memory.problems.csv").read_bytes()
    pd.testing.assert_frame_equal(run.counts, memory.counts)
    assert run.status_counts == memory.status_counts
    assert memory.status_counts["duplicate"] == 4 and memory.status_counts["outside_beijing"] >= 1


def test_geojson_and_geopackage_keep_every_row_including_unplaced_ones(atlas, tmp_path):
    result = run(atlas, "name,sector,lon,lat\nHere,hp_ai,116.5,39.79\nBad,hp_ai,abc,39.9\n")
    for fmt in ("geojson", "gpkg"):
        path = tmp_path / f"firms.{fmt}"
        write_enriched(result.enriched, path)
        back = gpd.read_file(path)
        assert list(back["name"]) == ["Here", "Bad"]
        assert back.geometry.iloc[1] is None and back.geometry.iloc[0].x == pytest.approx(116.5)
        assert list(back["atlas_status"]) == ["placed", "not_placed"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "layers.enterprises", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_the_command_writes_the_list_the_report_and_the_counts(atlas, tmp_path):
    source = tmp_path / "firms.csv"
    source.write_bytes("企业名称,行业,地址\n首钢企业,人工智能,首钢园\n不明企业,餐饮,\n".encode("gbk"))
    done = cli(str(source), "--out", str(tmp_path / "out.csv"), "--no-cache")
    assert done.returncode == 0, done.stderr
    assert "geocoding (gazetteer)" in done.stderr  # the progress bar
    assert "'餐饮' (1 rows) is not in the atlas vocabulary" in done.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert list(out["atlas_status"]) == ["placed", "not_placed"]
    problems = pd.read_csv(tmp_path / "out.problems.csv", dtype=str)
    assert list(problems["row"]) == ["3"] and "no location" in problems["problems"][0]
    counts = pd.read_csv(tmp_path / "out.counts.csv", dtype=str)
    rows = set(map(tuple, counts[["scope", "key", "sector", "firms"]].to_numpy()))
    assert ("park", "shougang-park", "hp_ai", "1") in rows
    named = counts.set_index(["scope", "key"]).loc[("park", "shougang-park")]
    assert (named["name"], named["name_zh"], named["sector_label"], named["sector_label_zh"]) == (
        "Shougang Park",
        "首钢园",
        "Artificial intelligence",
        "人工智能",
    )  # a spreadsheet reads it without a lookup


def test_the_command_refuses_bad_input_with_a_clear_error(tmp_path):
    source = tmp_path / "firms.csv"
    source.write_text("company_id,lon,lat\n1,116,39\n", encoding="utf-8")
    done = cli(str(source), "--out", str(tmp_path / "out.csv"))
    assert done.returncode == 2 and "missing column: the firm's name" in done.stderr
    assert not (tmp_path / "out.csv").exists()
    done = cli(str(source), "--out", str(tmp_path / "out.geojson"), "--engine", "dask")
    assert done.returncode == 2 and "dask engine writes CSV" in done.stderr


def test_blank_lines_keep_the_row_numbers_a_spreadsheet_shows(atlas, tmp_path):
    text = "name,sector,lon,lat\nFirst,hp_ai,116.5,39.79\n\nThird,hp_ai,abc,39.79\n"
    report = run(atlas, text).report.set_index("row")
    assert "lon: 'abc' is not a number" in report.loc[4, "problems"]
    assert "name: empty" in report.loc[3, "problems"]  # the blank line is reported, not silently skipped
    source = tmp_path / "blank.csv"
    source.write_text(text, encoding="utf-8")
    process_with_dask(source, atlas, tmp_path / "out.csv", tmp_path / "problems.csv")
    problems = pd.read_csv(tmp_path / "problems.csv")
    assert list(problems["row"]) == [3, 4]


def test_the_dask_engine_names_a_malformed_csv(atlas, tmp_path):
    source = tmp_path / "ragged.csv"
    source.write_text("name,sector,lon,lat\nA,hp_ai,116.5,39.79\nB,hp_ai,116.5,39.79,extra,cells\n", encoding="utf-8")
    with pytest.raises(EnterpriseInputError, match="--engine memory"):
        process_with_dask(source, atlas, tmp_path / "out.csv", tmp_path / "problems.csv")


def test_a_failed_write_leaves_the_previous_list_report_and_counts_together(tmp_path, monkeypatch, capsys):
    import errno

    from layers.enterprises.__main__ import main as command

    source = tmp_path / "firms.csv"
    source.write_text("name,sector,lon,lat\nA,hp_ic,116.5,39.79\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert command([str(source), "--out", str(out), "--no-cache", "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.glob("out*.csv")}
    source.write_text("name,sector,lon,lat\nB,hp_ai,116.3,39.98\n", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("layers.enterprises.__main__.write_counts", disk_full)  # the last of the three writes fails
    assert command([str(source), "--out", str(out), "--no-cache", "--quiet"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in tmp_path.glob("out*.csv")} == before  # all three from the first run
    assert not list(tmp_path.glob(".out*"))  # and no temporary file left behind


def test_cells_that_would_run_as_formulas_are_neutralised_in_every_output(atlas, tmp_path):
    from layers.enterprises.__main__ import main as command

    source = tmp_path / "firms.csv"
    source.write_text(
        'name,sector,lon,lat\n"=HYPERLINK(""http://x"")",hp_ic,116.5,39.79\n@evil,hp_ic,abc,39.79\n'
        "\u202eevil\u202c,hp_ai,116.3,39.98\n",
        encoding="utf-8",
    )
    assert command([str(source), "--out", str(tmp_path / "out.csv"), "--no-cache", "--quiet"]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(out["name"]) == ['\'=HYPERLINK("http://x")', "'@evil", "<U+202E>evil<U+202C>"]
    assert out["atlas_lon"][0] == "116.5"  # numbers stay numbers
    report = pd.read_csv(tmp_path / "out.problems.csv", dtype=str, encoding="utf-8-sig")
    assert list(report["name"]) == ["'@evil"]
    assert command([str(source), "--out", str(tmp_path / "raw.csv"), "--no-cache", "--quiet", "--keep-formulas"]) == 0
    raw = pd.read_csv(tmp_path / "raw.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert raw["name"][0] == '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "case, says",
    [("swallowed", "runs over several lines"), ("open quote", "malformed CSV"), ("long header", "missing column")],
)
def test_the_dask_engine_refuses_what_it_cannot_read_row_by_row(tmp_path, case, says):
    text = {
        "swallowed": 'name,sector,lon,lat\n"Alpha,hp_ic,116.5,39.79\nBeta,hp_ai,116.3,39.98\n'
        'Gamma",hp_ai,116.31,39.97\n',
        "open quote": 'name,sector,lon,lat\nAlpha,hp_ic,116.5,39.79\n"Beta,hp_ai,116.3,39.98\n',
        "long header": "n" * 300_000 + ",sector,lon,lat\nA,hp_ic,116.5,39.79\n",  # longer than dask's sample
    }[case]
    source = tmp_path / "firms.csv"
    source.write_text(text, encoding="utf-8")
    done = cli(str(source), "--out", str(tmp_path / "out.csv"), "--engine", "dask", "--no-cache")
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_the_dask_engine_reads_a_cell_longer_than_its_sample(atlas, tmp_path):
    source = tmp_path / "firms.csv"
    source.write_text(
        "name,sector,lon,lat\n" + "x" * 300_000 + ",hp_ic,116.5,39.79\nB,hp_ai,116.3,39.98\n", encoding="utf-8"
    )
    done = cli(str(source), "--out", str(tmp_path / "out.csv"), "--engine", "dask", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "out.csv", dtype=str)) == 2


def test_the_sheet_that_holds_the_firms_is_read_and_named(atlas):
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        pd.DataFrame({"about": ["exported 2026-11-30"]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame({"企业名称": ["第二页企业"], "行业": ["集成电路"], "经度": [116.5], "纬度": [39.79]}).to_excel(
            writer, sheet_name="企业名单", index=False
        )
    raw = read_enterprise_table(buffer.getvalue(), "firms.xlsx")
    assert raw.sheet == "企业名单" and raw.sheets == ("Notes", "企业名单")
    assert "sheet '企业名单'" in describe(raw)
    assert row(process_table(raw, atlas), "第二页企业")["atlas_status"] == "placed"
    assert read_enterprise_table(buffer.getvalue(), "firms.xlsx", sheet="Notes").sheet == "Notes"
    with pytest.raises(EnterpriseInputError, match="no sheet 'Firms'; the workbook's sheets are: Notes, 企业名单"):
        read_enterprise_table(buffer.getvalue(), "firms.xlsx", sheet="Firms")


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("dup.csv", b"name, name,lat\nA,B,1\n", "both called 'name'"),
        ("fake.xlsx", b"name,sector\nA,hp_ic\n", "is not an Excel workbook"),
        ("cut.csv", "name,sector\nhp_ic,北京科技".encode()[:-2], "ends in the middle of a UTF-8 character"),
    ],
)
def test_ordinary_bad_files_are_exit_2_with_a_plain_message(tmp_path, name, data, says):
    source = tmp_path / name
    source.write_bytes(data)
    done = cli(str(source), "--out", str(tmp_path / "out.csv"), "--no-cache")
    assert done.returncode == 2 and says in done.stderr
    assert "Traceback" not in done.stderr and str(REPO) not in done.stderr
