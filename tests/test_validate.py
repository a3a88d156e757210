"""`python -m layers.validate`: passes on the bundled data, and each rule fires on a copy broken for it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from layers.model.load import read_atlas
from layers.model.problems import DataError

from .conftest import REPO

DATA = REPO / "data"


def run_validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "layers.validate", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def problem_lines(data_copy) -> list[str]:
    _, problems = read_atlas(data_copy.root)
    return [str(p) for p in problems]


def test_bundled_data_passes():
    result = run_validate()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")


def test_broken_data_fails_with_one_line_per_problem(data_copy):
    data_copy.set_cell("parks.csv", "zpark", "sectors", "hp_software|quantum_teleportation")
    data_copy.set_cell("hubs.csv", "qinghe", "datum", "cgcs2000")
    result = run_validate("--data", str(data_copy.root))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert any(
        line.startswith("parks.csv: line ") and "[zpark]: sectors: unknown sector 'quantum_teleportation'" in line
        for line in lines
    )
    assert any(
        line.startswith("hubs.csv: line ") and "[qinghe]: datum: 'cgcs2000' is not a datum" in line for line in lines
    )
    assert "2 problem(s)" in result.stderr


# Each case: a cell to break, and the fragment of the one problem line the user must see.
CELL_CASES = {
    "unknown sector": (
        "parks.csv",
        "shougang-park",
        "sectors",
        "ot_sports|teleportation",
        "[shougang-park]: sectors: unknown sector 'teleportation'",
    ),
    "unknown sector in a cluster": (
        "clusters.csv",
        "etown-ic",
        "sectors",
        "hp_icc",
        "[etown-ic]: sectors: unknown sector 'hp_icc'",
    ),
    "missing point source": (
        "parks.csv",
        "zpark",
        "point_source",
        "",
        "[zpark]: point_source: a point needs its datum, precision, source and year",
    ),
    "unknown source id": (
        "parks.csv",
        "zpark",
        "area_source",
        "someones-blog",
        "[zpark]: area_source: unknown source 'someones-blog'",
    ),
    "missing sectors source": (
        "parks.csv",
        "zpark",
        "sectors_source",
        "",
        "[zpark]: sectors_source: sectors is given without its sectors_source",
    ),
    "area without year": (
        "parks.csv",
        "zpark",
        "area_year",
        "",
        "[zpark]: area_year: area_km2 is given without its area_year",
    ),
    "missing area and no reason": (
        "parks.csv",
        "zpark",
        "area_km2",
        "",
        "[zpark]: area_km2: empty, and area_gap does not say why",
    ),
    "point outside Beijing": (
        "parks.csv",
        "zpark",
        "lon",
        "121.47",
        "[zpark]: lon: point (121.47, 40.051835) is outside Beijing",
    ),
    "not a number": ("hubs.csv", "guomao", "lat", "39,9o", "[guomao]: lat: '39,9o' is not a number"),
    "bad datum": (
        "parks.csv",
        "zgc-shunyi",
        "datum",
        "baidu",
        "[zgc-shunyi]: datum: 'baidu' is not a datum: expected one of wgs84, gcj02, bd09",
    ),
    "bad adcode": (
        "parks.csv",
        "zpark",
        "district_adcode",
        "310101",
        "[zpark]: district_adcode: '310101' is not a 6-digit Beijing adcode",
    ),
    "unknown parent": ("parks.csv", "zpark", "parent", "zgc-atlantis", "[zpark]: parent: unknown park 'zgc-atlantis'"),
    "unknown kind": (
        "parks.csv",
        "zpark",
        "kind",
        "campus",
        "[zpark]: kind: 'campus' is not one of: park, sub-park, functional zone",
    ),
    "colour off its palette": (
        "sectors.csv",
        "hp_ic",
        "colour",
        "#123456",
        "[hp_ic]: colour: #123456 is not in the tol_muted palette",
    ),
    "colour reused in a taxonomy": (
        "sectors.csv",
        "hp_ic",
        "colour",
        "#CC6677",
        "[hp_ic]: colour: #CC6677 is already used by 'hp_ngit' in taxonomy hp2017",
    ),
    "sub-sector in another colour": (
        "sectors.csv",
        "fi_info_agi",
        "colour",
        "#E69F00",
        "[fi_info_agi]: colour: a sub-sector wears its parent's colour (#0072B2)",
    ),
    "fact in the wrong unit": ("facts.csv", "zpark", "unit", "USD", "unit: 'USD' is not a unit of revenue"),
    "fact without a year": ("facts.csv", "zpark", "year", "", "year: required, but empty"),
    "year in the future": ("facts.csv", "zpark", "year", "2999", "year: 2999 is outside 1949-"),
    "host park unknown": (
        "clusters.csv",
        "etown-ic",
        "host_parks",
        "beijing-etown|etown-moon-base",
        "[etown-ic]: host_parks: unknown park 'etown-moon-base'",
    ),
    "list with an empty item": (
        "parks.csv",
        "zpark",
        "sectors",
        "hp_software||hp_ai",
        "[zpark]: sectors: 'hp_software||hp_ai' has an empty item",
    ),
}


@pytest.mark.parametrize("filename, row_id, column, value, expected", CELL_CASES.values(), ids=CELL_CASES.keys())
def test_each_rule_fires_on_a_broken_cell(data_copy, filename, row_id, column, value, expected):
    data_copy.set_cell(filename, row_id, column, value)
    lines = problem_lines(data_copy)
    assert any(line.startswith(filename) and expected in line for line in lines), "\n".join(lines)


def test_swapped_lat_and_lon(data_copy):
    data_copy.set_cell("hubs.csv", "guomao", "lon", "39.9070164")
    data_copy.set_cell("hubs.csv", "guomao", "lat", "116.4556474")
    assert problem_lines(data_copy) == [
        "hubs.csv: line 12 [guomao]: lon: lon=39.9070164 and lat=116.4556474 look swapped "
        "(Beijing is near lon 116, lat 40)"
    ]


def test_point_outside_its_declared_district(data_copy):
    data_copy.set_cell("parks.csv", "zpark", "district_adcode", "110105")  # Chaoyang, but the point is in Haidian
    lines = problem_lines(data_copy)
    assert any(
        "id zpark: lon: point (116.288722, 40.051835) lies in district 110108, not in its declared district 110105"
        in line
        for line in lines
    )


def test_known_exception_is_what_lets_the_airport_pass(data_copy):
    """PKX lies on the Beijing-Hebei border: without its recorded exception it is reported."""
    header, rows = data_copy.rows("district_exceptions.csv")
    data_copy.write("district_exceptions.csv", header, [r for r in rows if r[1] != "pkx"])
    lines = problem_lines(data_copy)
    assert lines == [
        "hubs.csv: id pkx: lon: point (116.410676, 39.512486) lies outside Beijing, not in its declared district 110115"
    ]


def test_an_airport_zone_point_in_the_chaoyang_exclave_needs_an_exception(data_copy):
    # Moving the Shunyi park's point to Terminal 2 puts it in Chaoyang's exclave; recording why makes it pass.
    data_copy.set_cell("parks.csv", "zgc-shunyi", "datum", "wgs84")
    data_copy.set_cell("parks.csv", "zgc-shunyi", "lon", "116.5871343")
    data_copy.set_cell("parks.csv", "zgc-shunyi", "lat", "40.0780129")
    assert any("id zgc-shunyi: lon:" in line and "lies in district 110105" in line for line in problem_lines(data_copy))
    data_copy.append_row(
        "district_exceptions.csv",
        {
            "table": "parks",
            "row_id": "zgc-shunyi",
            "point_in": "110105",
            "reason": "airport exclave",
            "source": "wikipedia-pkx",
        },
    )
    assert problem_lines(data_copy) == []


def test_stale_exception_is_reported(data_copy):
    data_copy.append_row(
        "district_exceptions.csv",
        {"table": "hubs", "row_id": "guomao", "point_in": "110108", "reason": "none", "source": "wikipedia-pkx"},
    )
    assert any(
        "district_exceptions.csv" in line and "no hubs row 'guomao' lies in 110108" in line
        for line in problem_lines(data_copy)
    )


def test_duplicate_id(data_copy):
    data_copy.duplicate_row("parks.csv", "zpark")
    last_line = len(data_copy.path("parks.csv").read_text(encoding="utf-8").splitlines())  # the copy is appended
    assert any(
        f"parks.csv: line {last_line} [zpark]: id: duplicate id, first used on line 9" in line
        for line in problem_lines(data_copy)
    )


def test_malformed_csv_row_is_reported_with_its_line(data_copy):
    path = data_copy.path("hubs.csv")
    path.write_text(path.read_text(encoding="utf-8") + "broken-hub,Broken,坏,airport\n", encoding="utf-8")
    assert any(
        line.startswith("hubs.csv: line 13 [broken-hub]: -: has 4 fields, the header has 17")
        for line in problem_lines(data_copy)
    )


def test_unclosed_quote_is_reported(data_copy):
    path = data_copy.path("facts.csv")
    path.write_text(path.read_text(encoding="utf-8") + 'zpark,revenue,=,"1,bn CNY,2020\n', encoding="utf-8")
    assert any(line.startswith("facts.csv: line ") and "malformed CSV" in line for line in problem_lines(data_copy))


def test_missing_column_is_named(data_copy):
    header, rows = data_copy.rows("hubs.csv")
    i = header.index("datum")
    data_copy.write("hubs.csv", header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    assert "hubs.csv: header: datum: column is missing" in problem_lines(data_copy)


def test_gbk_encoded_file_is_reported_not_misread(data_copy):
    path = data_copy.path("parks.csv")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    assert any(line.startswith("parks.csv: -: -: not UTF-8 text") for line in problem_lines(data_copy))


def test_invalid_district_geometry(data_copy):
    path = data_copy.path("districts.geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    feature = collection["features"][0]
    feature["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[116.3, 39.9], [116.4, 40.0], [116.4, 39.9], [116.3, 40.0], [116.3, 39.9]]],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    lines = problem_lines(data_copy)
    assert any(
        line.startswith("districts.geojson: feature 0 [110101]: geometry: invalid geometry: Self-intersection")
        for line in lines
    )


def test_load_atlas_raises_with_every_problem(data_copy):
    from layers.model.load import load_atlas

    data_copy.set_cell("parks.csv", "zpark", "sectors", "nope")
    data_copy.set_cell("hubs.csv", "qinghe", "lat", "")
    with pytest.raises(DataError) as info:
        load_atlas(data_copy.root)
    assert [str(p) for p in info.value.problems] == [
        "hubs.csv: line 9 [qinghe]: lat: required, but empty",
        "parks.csv: line 9 [zpark]: sectors: unknown sector 'nope' (not in sectors.csv)",
    ]


def test_a_colour_that_looks_like_another_sectors_is_reported(data_copy):
    data_copy.set_cell("sectors.csv", "sjs_finance", "colour", "#0077BB")  # future information is #0072B2
    assert any(
        line.startswith("sectors.csv: line 26 [sjs_finance]: colour: #0077BB looks the same as 'fi_info'")
        for line in problem_lines(data_copy)
    )


def test_parks_side_by_side_must_wear_colours_a_reader_can_tell_apart(data_copy):
    # Shijingshan's sci-fi cluster sits 1.3 km from ZGC Shijingshan Park (new-generation IT, rose #CC6677).
    data_copy.set_cell("sectors.csv", "sjs_scifi_games", "colour", "#EE3377")
    data_copy.set_cell("sectors.csv", "sjs_exhibition", "colour", "#EE7733")
    lines = problem_lines(data_copy)
    assert any(
        "colour: #CC6677 and #EE3377 are only 31 apart" in line and "shougang-scifi-cluster" in line for line in lines
    ), lines


# --- the universe: lists, relations, catalogue fields, the report ----------------------------------------------


def test_a_child_far_outside_its_parent_is_reported(data_copy):
    data_copy.set_cell("parks.csv", "zpark", "lon", "116.20")  # 8 km west of where it is, still in Haidian
    data_copy.set_cell("parks.csv", "zpark", "lat", "40.08")
    data_copy.set_cell("parks.csv", "zgc-science-city", "precision_m", "1000")
    data_copy.set_cell("parks.csv", "zgc-science-city", "area_km2", "2")
    assert any(
        line.startswith("parks.csv: id zpark: parent: its point is") and "outside that zone's extent" in line
        for line in problem_lines(data_copy)
    )


def test_a_zone_within_another_must_lie_inside_it_and_name_a_real_park(data_copy):
    data_copy.set_cell("parks.csv", "yanqi-edz", "within", "huairou-science-city|no-such-park")
    data_copy.set_cell("parks.csv", "mafang-park", "within", "zgc-fangshan")  # Pinggu's Mafang is not in Fangshan
    lines = problem_lines(data_copy)
    assert any("[yanqi-edz]: within: unknown park 'no-such-park'" in line for line in lines)
    assert any(line.startswith("parks.csv: id mafang-park: within: its point is") for line in lines)


def test_a_catalogue_zone_needs_every_catalogue_field_and_its_level(data_copy):
    data_copy.set_cell("parks.csv", "caiyu-edz", "approved_area_ha", "")
    data_copy.set_cell("parks.csv", "caiyu-edz", "level", "national")
    data_copy.set_cell("parks.csv", "zpark", "approved", "2001-13")
    data_copy.set_cell("parks.csv", "zpark", "lists", "specialised|no_such_list")
    lines = problem_lines(data_copy)
    assert any(
        "[caiyu-edz]: approved_area_ha: catalogue zone S117009 needs its approved_area_ha" in line for line in lines
    )
    assert any(
        "[caiyu-edz]: level: catalogue code S117009 is a provincial zone, not national" in line for line in lines
    )
    assert any("[zpark]: approved: '2001-13' is not a month as YYYY-MM" in line for line in lines)
    assert any("[zpark]: lists: unknown list 'no_such_list' (not in lists.csv)" in line for line in lines)


def test_every_item_of_every_published_list_is_a_row_and_drawn():
    result = run_validate("--report")
    assert result.returncode == 0, result.stdout + result.stderr
    lists = list(csv.DictReader((DATA / "lists.csv").open(encoding="utf-8")))
    for item in lists:
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith(item["name_en"] + ":"))
        rows = int(line.split(":")[1].split("/")[0])
        assert rows == int(item["expected"]), line  # the list is complete in the atlas
    assert "Points by placement (" in result.stdout and "every one drawn" in result.stdout
    assert "none:" not in result.stdout
