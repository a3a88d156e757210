"""Generated company lists and geocode batches, as careless spreadsheets make them.

The oracle: every row written comes back exactly once with its own cells, or is reported by row; a clean
coordinate is placed where it says; nothing raises but the readers' own input errors. Bounded so the suite stays
quick (``ATLAS_HYPOTHESIS_EXAMPLES`` raises the count; ``python -m bench.fuzz_inputs`` runs a long campaign).
"""

from __future__ import annotations

import csv
import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.csvfile import CsvError, read_csv
from geo.geocode.batch import BatchInputError, parse_input
from layers.enterprises import process_table, read_enterprise_table
from layers.enterprises.reading import EnterpriseInputError

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("ATLAS_HYPOTHESIS_EXAMPLES", "60"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LATIN = ["Acme", "Café", "Müller", "Société", "Straße", "Øresund", "naïve", "Inc.", "Ltd", "Co", "&", "O'Brien"]
CHINESE = ["北京", "科技", "有限公司", "海淀", "集成电路", "软件", "中关村", "亦庄", "生物医药", "首钢", "；", "，"]
TRICKY = ['"', ",", "=SUM(A1)", "+1", "-2", "@cmd", " ", "\t", "{{ 7*7 }}", "<b>x</b>"]
SECTORS = ["hp_ic", "hp_ai", "Artificial intelligence", "Integrated circuits", ""]
CHINESE_SECTORS = ["集成电路", "人工智能", "餐饮"]
HEADER = ["name", "sector", "lon", "lat", "address"]


def words(alphabet: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet + TRICKY), min_size=0, max_size=4).map(" ".join)


def rows(alphabet: list[str], sectors: list[str] = SECTORS) -> st.SearchStrategy[list[list[str]]]:
    cell = words(alphabet)
    coordinate = st.tuples(st.floats(116.0, 116.9), st.floats(39.5, 40.4)).map(lambda p: [f"{p[0]:.5f}", f"{p[1]:.5f}"])
    row = st.tuples(cell, st.sampled_from(sectors), coordinate, cell).map(lambda t: [t[0], t[1], *t[2], t[3]])
    return st.lists(row, min_size=1, max_size=25)


def written(table: list[list[str]], line_ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_ending).writerows([HEADER, *table])
    return buffer.getvalue()


@PROFILE
@given(
    table=rows(LATIN + CHINESE, SECTORS + CHINESE_SECTORS),
    line_ending=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_a_well_written_file_comes_back_cell_for_cell(table, line_ending, encoding):
    data = written(table, line_ending).encode(encoding)
    back = read_csv(data)
    assert back.header == HEADER
    assert back.rows == table and back.problems == {}


@PROFILE
@given(table=rows(CHINESE, SECTORS + CHINESE_SECTORS), line_ending=st.sampled_from(["\n", "\r\n"]))
def test_a_gbk_file_comes_back_cell_for_cell(table, line_ending):
    assert read_csv(written(table, line_ending).encode("gb18030")).rows == table


@PROFILE
@given(table=rows(LATIN), line_ending=st.sampled_from(["\n", "\r\n"]))
def test_a_western_windows_file_comes_back_cell_for_cell(table, line_ending):
    text = written(table, line_ending)
    back = read_csv(text.encode("cp1252"))
    if any(ord(c) > 127 for c in text):
        assert back.encoding == "cp1252"
    assert back.rows == table


def careless(table: list[list[str]], damage: st.DataObject) -> tuple[str, set[int]]:
    """The table written by hand, one line per row, cells unquoted, some rows damaged; returns the rows touched.

    A hand-written cell like '" "' is valid CSV quoting: a row whose own line reads that way reads as CSV says.
    """
    lines, touched = [",".join(HEADER)], set()
    for index, row in enumerate(table):
        cells = [c.replace("\n", " ").replace("\r", " ") for c in row]
        kind = damage.draw(st.sampled_from(["none"] * 6 + ["stray quote", "comma", "trailing", "nul", "short"]))
        if kind == "stray quote":
            position = damage.draw(st.integers(0, len(cells) - 1))
            cells[position] = '"' + cells[position]
        elif kind == "comma":
            cells[0] = cells[0] + ", Inc"
        elif kind == "trailing":
            cells = cells + ["", ""]
        elif kind == "nul":
            cells[0] = cells[0] + "\x00"
        elif kind == "short":
            cells = cells[:3]
        if kind != "none" or any(c in ',"' for c in ",".join(row)):
            touched.add(index)
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n", touched


@PROFILE
@given(table=rows(LATIN + CHINESE, SECTORS + CHINESE_SECTORS), damage=st.data())
def test_a_careless_file_loses_and_moves_no_row_silently(table, damage):
    text, touched = careless(table, damage)
    back = read_csv(text.encode("utf-8"))
    assert len(back.rows) == len(table), "a row was swallowed or invented"
    lines = text.split("\n")[1:]
    for index, row in enumerate(table):
        if back.rows[index] != row and back.rows[index] != _as_csv_reads(lines[index].replace("\x00", ""), len(HEADER)):
            reported = index in back.problems or index in back.notes
            assert index in touched and (reported or _only_empty_moved(back.rows[index], row)), (
                index,
                row,
                back.rows[index],
                back.problems,
                back.notes,
            )
    for index in {*back.problems, *back.notes}:
        assert index in touched  # no alarm on a row nobody touched


def _as_csv_reads(line: str, width: int) -> list[str] | None:
    """How any CSV reader reads one well-quoted line (None when its quotes do not pair)."""
    if line.count('"') % 2:
        return None
    cells = next(csv.reader([line]), [])
    return (cells + [""] * width)[:width] if len(cells) <= width else None


def _only_empty_moved(read: list[str], original: list[str]) -> bool:
    """Only separators moved: a cell of nothing but commas, written unquoted, is trailing commas to any reader."""

    def content(cells: list[str]) -> list[str]:
        return [c.replace(",", "").strip() for c in cells if c.replace(",", "").strip()]

    return content(read) == content(original)


@PROFILE
@given(table=rows(CHINESE + LATIN, SECTORS + CHINESE_SECTORS), damage=st.data())
def test_every_row_of_a_company_list_is_kept_reported_or_placed_where_it_says(atlas, table, damage):
    text, _ = careless(table, damage)
    try:
        raw = read_enterprise_table(text.encode("utf-8"), "firms.csv")
    except EnterpriseInputError:
        return  # the reader's own refusal, with its message
    result = process_table(raw, atlas)
    enriched = result.enriched
    assert len(enriched) == len(table)
    assert list(enriched["atlas_row"]) == list(range(2, 2 + len(table)))
    for index, row in enumerate(table):
        firm = enriched.iloc[index]
        clean = raw.frame.iloc[index].tolist() == row and firm["atlas_row"] not in raw.problems and row[0].strip()
        if clean and firm["atlas_status"] == "placed":
            assert abs(firm["atlas_lon"] - float(row[2])) < 1e-9 and abs(firm["atlas_lat"] - float(row[3])) < 1e-9
        if firm["atlas_status"] == "not_placed":
            assert firm["atlas_problems"], firm


@PROFILE
@given(table=rows(CHINESE + LATIN, SECTORS + CHINESE_SECTORS), damage=st.data())
def test_every_row_of_a_geocode_batch_comes_back_once(table, damage):
    text, _ = careless(table, damage)
    try:
        batch = parse_input(text.encode("utf-8"), "batch.csv")
    except BatchInputError:
        return
    assert len(batch.rows) == len(table) and all(len(r) == len(HEADER) for r in batch.rows)


@pytest.mark.parametrize("data", [b"", b"\x00\x00\x00", b"\xff\xfe", b'"', b"\n\n\n", "名".encode()[:2]])
def test_degenerate_files_raise_only_the_readers_own_errors(data):
    try:
        read_csv(data)
    except CsvError:
        pass
