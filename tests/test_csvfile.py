"""Reading CSV the way people make it: no row swallowed, shifted or lost silently; every repair reported by row."""

from __future__ import annotations

import pytest

from geo.csvfile import CsvError, decode, read_csv
from layers.enterprises import process_table, read_enterprise_table
from layers.enterprises.reading import EnterpriseInputError

STRAY_QUOTE = b'name,sector,lon,lat\n"Alpha,hp_ic,116.5,39.79\nBeta,hp_ai,116.3,39.98\nGamma",hp_ai,116.31,39.97\n'


def test_a_stray_quote_no_longer_swallows_the_rows_after_it():
    table = read_csv(STRAY_QUOTE)
    assert [r[0] for r in table.rows] == ['"Alpha', "Beta", 'Gamma"']  # three rows, each with its own cells
    assert table.rows[1] == ["Beta", "hp_ai", "116.3", "39.98"]
    assert "stray double quote" in table.problems[0] and "stray double quote" in table.problems[2]
    assert 1 not in table.problems  # Beta's own line had no quote: nothing to repair


def test_the_company_list_with_a_stray_quote_places_only_what_it_can_trust(atlas):
    result = process_table(read_enterprise_table(STRAY_QUOTE, "firms.csv"), atlas)
    enriched = result.enriched.set_index("atlas_row")
    assert len(enriched) == 3  # was "1 rows ... 1 placed", at Gamma's point
    assert enriched.loc[3, "atlas_status"] == "placed" and enriched.loc[3, "atlas_lon"] == pytest.approx(116.3)
    for row in (2, 4):
        assert (
            enriched.loc[row, "atlas_status"] == "not_placed"
            and "stray double quote" in enriched.loc[row, "atlas_problems"]
        )


@pytest.mark.parametrize(
    "text",
    [
        # an unquoted comma in the first row
        "name,sector,lon,lat\nAcme, Inc,hp_ic,116.5,39.79\nBeta,hp_ai,116.3,39.98\n",
        "name,sector,lon,lat\nAlpha,hp_ic,116.5,39.79,x\nBeta,hp_ai,116.3,39.98\n",  # an extra cell in the first row
    ],
)
def test_extra_cells_in_the_first_row_shift_nothing(text):
    table = read_csv(text.encode())
    assert table.header == ["name", "sector", "lon", "lat"]
    assert table.rows[1] == ["Beta", "hp_ai", "116.3", "39.98"]  # the next row is read under its own fields
    assert "extra cells" in table.problems[0] and 1 not in table.problems


def test_trailing_commas_are_harmless():
    table = read_csv(
        b"name,sector,lon,lat\nAlpha,hp_ic,116.5,39.79,,\nBeta,hp_ai,116.3,39.98,,\nGamma,hp_ai,116.3,39.9,,\n"
    )
    assert table.rows[:2] == [["Alpha", "hp_ic", "116.5", "39.79"], ["Beta", "hp_ai", "116.3", "39.98"]]
    assert table.problems == {} and "trailing commas" in table.notes[0]  # kept as read, and noted


def test_one_row_with_an_extra_empty_cell_says_its_cells_may_have_moved():
    # 'Acme, Inc' unquoted, and the last cell empty: the row's cells all sit one column to the right.
    table = read_csv(b"name,sector,lon,lat,address\nAcme, Inc,hp_ic,116.5,39.79,\nBeta,hp_ai,116.3,39.98,x\n")
    assert "check the row's cells are in their columns" in table.problems[0] and 1 not in table.problems


def test_a_line_break_inside_a_quoted_cell_is_kept_and_noted():
    table = read_csv(
        b'name,sector,address,lon,lat\nAlpha,hp_ic,"Room 5\nBuilding 3",116.5,39.79\nBeta,hp_ai,x,116.3,39.98\n'
    )
    assert table.rows[0][2] == "Room 5\nBuilding 3" and table.rows[1][0] == "Beta"
    assert table.problems == {} and "lines 2-3" in table.notes[0]


def test_a_quote_left_open_at_the_end_keeps_every_line():
    table = read_csv(
        b'name,sector,lon,lat\nAlpha,hp_ic,116.5,39.79\n"Beta,hp_ai,116.3,39.98\nGamma,hp_ai,116.31,39.97\n'
    )
    assert [r[0] for r in table.rows] == ["Alpha", '"Beta', "Gamma"]


def test_short_rows_are_padded_and_reported():
    table = read_csv(b"name,sector,lon,lat\nAlpha,hp_ic,116.5\n")
    assert table.rows == [["Alpha", "hp_ic", "116.5", ""]] and "row has 3 cells" in table.problems[0]


def test_a_duplicate_header_is_a_clear_error():
    with pytest.raises(CsvError, match="columns 1 and 2 are both called 'name'"):
        read_csv(b"name, name,lat\nA,B,1\n")
    with pytest.raises(EnterpriseInputError, match="both called 'name'"):
        read_enterprise_table(b"name, name,lat\nA,B,1\n", "firms.csv")


def test_a_file_cut_inside_a_character_is_a_clear_error():
    data = "name,sector\nhp_ic,北京科技".encode()[:-2]  # cut inside 技
    with pytest.raises(CsvError, match="ends in the middle of a UTF-8 character"):
        read_csv(data)


def test_a_non_zip_file_named_xlsx_is_a_clear_error():
    with pytest.raises(EnterpriseInputError, match="is not an Excel workbook"):
        read_enterprise_table(b"name,sector\nA,hp_ic\n", "firms.xlsx")


@pytest.mark.parametrize(
    "text, written, judged",
    [
        ("name,sector\nCafé Müller GmbH,hp_ai\nÉtienne & Söhne,hp_ic\n", "cp1252", "cp1252"),
        ("企业名称,行业\n北京示例科技有限公司,集成电路\n海淀软件园企业,人工智能\n", "gbk", "gb18030"),
        ("name,sector\nCafé,hp_ai\n", "utf-8", "utf-8"),
    ],
)
def test_latin_and_chinese_files_are_told_apart(text, written, judged):
    decoded, used = decode(text.encode(written))
    assert used == judged and decoded == text


def test_the_encoding_can_be_forced_and_boms_are_removed():
    assert decode("\ufeff\ufeffname\n".encode())[0] == "name\n"  # two byte-order marks, both gone
    assert decode("name\n".encode("utf-16"))[1] == "utf-16"
    assert decode("Café\n".encode("cp1252"), "cp1252") == ("Café\n", "cp1252")
    with pytest.raises(CsvError, match="unknown encoding"):
        decode(b"x", "klingon")


def test_nul_bytes_are_removed_and_reported():
    table = read_csv(b"name,sector,lon,lat\nAl\x00pha,hp_ic,116.5,39.79\nBeta,hp_ai,116.3,39.98\n")
    assert table.rows[0][0] == "Alpha" and "NUL bytes removed" in table.problems[0] and 1 not in table.problems


def test_a_huge_cell_is_read():
    table = read_csv(b"name,sector\n" + b"x" * 1_000_000 + b",hp_ic\n")
    assert len(table.rows[0][0]) == 1_000_000
