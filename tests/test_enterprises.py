"""Company lists: reading, placing, the spatial join, counts, both engines and the command, as a user meets them."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.datums import Datum, convert
from layers.enterprises import (
    EnterpriseInputError,
    process_table,
    read_enterprise_table,
    resolve_columns,
)

from .enterprises_support import extent, park_point, row, run

REPO = Path(__file__).resolve().parent.parent

# --- reading ---------------------------------------------------------------------------------------


def test_utf8_gbk_and_gb18030_files_read_the_same(atlas):
    text = "企业名称,行业,经度,纬度\n示例科技有限公司,集成电路,116.5,39.79\n"
    results = [run(atlas, text, encoding=enc) for enc in ("utf-8", "utf-8-sig", "gbk", "gb18030")]
    for result in results:
        assert row(result, "示例科技有限公司")["atlas_sector"] == "hp_ic"  # the Chinese name column is found
        assert result.enriched.columns[0] == "企业名称"


def test_an_excel_workbook_is_read(atlas):
    buffer = io.BytesIO()
    pd.DataFrame({"name": ["Excel Firm"], "sector": ["hp_ai"], "lon": [116.5], "lat": [39.79]}).to_excel(
        buffer, index=False
    )
    raw = read_enterprise_table(buffer.getvalue(), "firms.xlsx")
    result = process_table(raw, atlas)
    assert row(result, "Excel Firm")["atlas_status"] == "placed"


def test_unreadable_encoding_and_empty_file_are_refused_clearly():
    with pytest.raises(EnterpriseInputError, match="not UTF-8 .* nor GBK/GB18030, nor Windows-1252"):
        read_enterprise_table(b"name,sector\n\xff\xff\x81\n", "x.csv")
    with pytest.raises(EnterpriseInputError, match="empty"):
        read_enterprise_table(b"  \n", "x.csv")
    with pytest.raises(EnterpriseInputError, match=r"\.xlsx or CSV"):
        read_enterprise_table(b"\xd0\xcf\x11\xe0", "old.xls")


@pytest.mark.parametrize(
    "header, message",
    [
        ("company_id,sector,lon,lat", "the firm's name"),
        ("name,lon,lat", "the firm's sector"),
        ("name,sector,lon", "missing column: lat"),
        ("name,sector,remarks", "neither coordinates"),
    ],
)
def test_missing_columns_are_named_with_what_the_file_has(header, message):
    with pytest.raises(EnterpriseInputError, match=message) as caught:
        resolve_columns(header.split(","))
    assert "the file's columns are" in str(caught.value)


def test_columns_can_be_named_when_the_guess_fails(atlas):
    result = run(
        atlas, "firm,field,x1,y1\nNamed Firm,hp_ai,116.5,39.79\n", name="firm", sector="field", lon="x1", lat="y1"
    )
    assert row(result, "Named Firm")["atlas_status"] == "placed"
    with pytest.raises(EnterpriseInputError, match="no column 'nope'"):
        resolve_columns(["a"], name="nope")


def test_a_row_with_too_many_cells_keeps_them_in_its_problem(atlas):
    result = run(atlas, "name,sector,lon,lat\nGood,hp_ai,116.5,39.79\nRagged,hp_ai,116.5,39.79,extra\n")
    ragged = row(result, "Ragged")
    assert ragged["atlas_status"] == "not_placed"
    assert "extra cells: ['extra']" in ragged["atlas_problems"]
    assert row(result, "Good")["atlas_status"] == "placed"


# --- placing -----------------------------------------------------------------------------------------


def test_every_bad_coordinate_is_reported_with_its_row_and_field(atlas):
    text = (
        "name,sector,lon,lat,datum\n"
        "Swapped,hp_ai,39.9,116.4,\n"  # row 2
        "Far out,hp_ai,500,39.9,\n"  # row 3
        "Words,hp_ai,abc,39.9,\n"  # row 4
        "Half,hp_ai,116.4,,\n"  # row 5
        "Odd datum,hp_ai,116.4,39.9,mars\n"  # row 6
        "Nowhere,hp_ai,,,\n"  # row 7
        ",hp_ai,116.4,39.9,\n"  # row 8
    )
    result = run(atlas, text)
    report = result.report.set_index("row")
    assert set(report.index) == {2, 3, 4, 5, 6, 7, 8}
    assert (report["status"] == "not_placed").all()
    assert "lon/lat: (39.9, 116.4) look swapped" in report.loc[2, "problems"]
    assert "out of range" in report.loc[3, "problems"]
    assert "lon: 'abc' is not a number" in report.loc[4, "problems"]
    assert "lat: empty while lon is given" in report.loc[5, "problems"]
    assert "datum: 'mars' is not one of" in report.loc[6, "problems"]
    assert "no location" in report.loc[7, "problems"]
    assert "name: empty" in report.loc[8, "problems"]
    assert result.enriched["atlas_lon"].isna().all()
    assert len(result.enriched) == 7  # nothing dropped


def test_gcj02_and_bd09_coordinates_are_converted_to_wgs84(atlas):
    true_lon, true_lat = 116.3975, 39.9087
    gcj = convert(true_lon, true_lat, Datum.WGS84, Datum.GCJ02)
    bd = convert(true_lon, true_lat, Datum.WGS84, Datum.BD09)
    text = f"name,sector,lon,lat,datum\nG,hp_ai,{gcj[0]!r},{gcj[1]!r},GCJ-02\nB,hp_ai,{bd[0]!r},{bd[1]!r},bd09\n"
    result = run(atlas, text)
    for name in ("G", "B"):
        firm = row(result, name)
        assert abs(firm["atlas_lon"] - true_lon) < 1e-6 and abs(firm["atlas_lat"] - true_lat) < 1e-6
        assert firm["atlas_district"] == "110101"  # Dongcheng, where the true point is
    assert row(result, "G")["atlas_located_by"] == "coordinates (gcj02)"


def test_addresses_are_geocoded_offline_and_misses_reported(atlas):
    result = run(atlas, "name,sector,address\nAt Shougang,hp_ai,北京市石景山区首钢园金安路1号\nLost,hp_ai,Atlantis\n")
    found = row(result, "At Shougang")
    assert found["atlas_status"] == "placed" and found["atlas_located_by"].startswith("geocoded (gazetteer")
    assert found["atlas_park"] == "shougang-park"
    lost = row(result, "Lost")
    assert lost["atlas_status"] == "not_placed" and "address: 'Atlantis' not found" in lost["atlas_problems"]


def test_a_firm_placed_at_a_parks_centre_from_its_address_is_marked_approximate(atlas):
    from layers.map.overlays.firms import firm_payload

    result = run(
        atlas,
        "name,sector,address,lon,lat\nAt Shougang,hp_ai,北京市石景山区首钢园金安路1号,,\nExact,hp_ai,,116.16,39.91\n",
    )
    assert row(result, "At Shougang")["atlas_precision_m"] == 1500  # Shougang Park's point stands for all of it
    assert pd.isna(row(result, "Exact")["atlas_precision_m"])  # typed coordinates: as precise as given
    payload = firm_payload(result.enriched, result.columns, atlas)
    import base64

    flags = list(base64.b64decode(payload["approx"]))
    names = base64.b64decode(payload["names"]).decode("utf-8").split("\n")
    assert dict(zip(names, flags, strict=True)) == {"At Shougang": 1, "Exact": 0}
    assert "approximate" in payload["approx_label"]


def test_sector_labels_map_by_code_english_or_chinese_and_unknown_ones_are_kept(atlas):
    text = (
        "name,sector,lon,lat\nA,HP_IC,116.5,39.79\nB,Integrated Circuits,116.5,39.79\nC,集成电路,116.5,39.79\n"
        "D,ＡＩ芯片餐饮,116.5,39.79\nE,,116.5,39.79\nF,人工智能,116.5,39.79\n"
    )
    result = run(atlas, text)
    assert [row(result, n)["atlas_sector"] for n in "ABCF"] == ["hp_ic", "hp_ic", "hp_ic", "hp_ai"]
    unknown = row(result, "D")
    assert unknown["atlas_status"] == "placed" and unknown["atlas_sector"] == ""
    assert "is not in the atlas's sector vocabulary" in unknown["atlas_problems"]
    assert "sector: empty" in row(result, "E")["atlas_problems"]
    assert result.unknown_sectors.to_dict() == {"ＡＩ芯片餐饮": 1}


def test_duplicate_rows_are_reported_once_drawn_once_and_counted_once(atlas):
    lon, lat = park_point(atlas, "zpark")
    text = (
        f"name,sector,lon,lat\nDup,hp_ai,{lon},{lat}\nOther,hp_ai,{lon},{lat}\n Dup ,hp_ai, {lon},{lat}\n"
        f"Dup,hp_ic,{lon},{lat}\n"
    )
    result = run(atlas, text)
    statuses = result.enriched.set_index("atlas_row")["atlas_status"].to_dict()
    assert statuses == {
        2: "placed",
        3: "placed",
        4: "duplicate",
        5: "placed",
    }  # spaces ignored; another sector is another row
    assert "duplicate of row 2" in result.report.set_index("row").loc[4, "problems"]
    counts = result.counts.set_index(["scope", "key", "sector"])["firms"]
    assert counts[("park", "zpark", "hp_ai")] == 2


# --- the spatial join ---------------------------------------------------------------------------------


def test_overlapping_parks_go_to_the_smallest_and_list_every_park_with_parents(atlas):
    lon, lat = park_point(atlas, "zpark")
    result = run(atlas, f"name,sector,lon,lat\nIn Zpark,hp_software,{lon!r},{lat!r}\n")
    firm = row(result, "In Zpark")
    assert firm["atlas_park"] == "zpark"
    assert firm["atlas_parks"].split("|") == ["zpark", "zgc-science-city"]
    assert firm["atlas_park_extent"] == "schematic"
    # The scifi cluster sits inside Shougang Park; the zone parent (zgc) of a sub-park comes in through the parent
    # chain.
    lon, lat = park_point(atlas, "shougang-scifi-cluster")
    firm = row(run(atlas, f"name,sector,lon,lat\nSF,sjs_scifi_games,{lon!r},{lat!r}\n"), "SF")
    assert firm["atlas_park"] == "shougang-scifi-cluster" and "shougang-park" in firm["atlas_parks"].split("|")
    lon, lat = park_point(atlas, "zgc-fengtai")
    firm = row(run(atlas, f"name,sector,lon,lat\nFT,hp_ai,{lon!r},{lat!r}\n"), "FT")
    assert firm["atlas_park"] == "zgc-fengtai" and {"zgc-fengtai", "zgc"} <= set(firm["atlas_parks"].split("|"))


def test_a_point_on_an_extent_boundary_is_in_the_park(atlas):
    circle = extent(atlas, "daxing-biomedicine-base")
    vertex = [float(v) for v in shapely.get_coordinates(circle.exterior)[5]]
    just_out = (vertex[0] + (vertex[0] - circle.centroid.x) * 1e-3, vertex[1] + (vertex[1] - circle.centroid.y) * 1e-3)
    result = run(
        atlas,
        f"name,sector,lon,lat\nEdge,hp_health,{vertex[0]!r},{vertex[1]!r}\nBeyond,hp_health,{just_out[0]!r},{just_out[1]!r}\n",
    )
    assert "daxing-biomedicine-base" in row(result, "Edge")["atlas_parks"].split("|")
    assert "daxing-biomedicine-base" not in row(result, "Beyond")["atlas_parks"].split("|")


def test_a_point_outside_every_park_has_a_district_but_no_park(atlas):
    result = run(atlas, "name,sector,lon,lat\nCountryside,hp_green,116.9,40.6\n")
    firm = row(result, "Countryside")
    assert firm["atlas_park"] == "" and firm["atlas_parks"] == ""
    assert firm["atlas_district"] == "110118"  # Miyun
    assert firm["atlas_status"] == "placed"


def test_a_point_on_a_district_border_goes_to_the_lower_adcode(atlas):
    districts = atlas.districts.sort_values("adcode")
    first, second = districts.iloc[0], districts.iloc[1]  # Dongcheng and Xicheng share a border
    shared = shapely.intersection(first.geometry.boundary, second.geometry.boundary)
    x, y = (float(v) for v in shapely.get_coordinates(shared)[0])
    assert first.geometry.intersects(shapely.Point(x, y)) and second.geometry.intersects(shapely.Point(x, y))
    firm = row(run(atlas, f"name,sector,lon,lat\nBorder,hp_ai,{x!r},{y!r}\n"), "Border")
    assert firm["atlas_district"] == first["adcode"]


def test_a_point_outside_beijing_is_drawn_but_flagged(atlas):
    firm = row(run(atlas, "name,sector,lon,lat\nShanghai,hp_ic,121.47,31.23\n"), "Shanghai")
    assert firm["atlas_status"] == "outside_beijing" and firm["atlas_district"] == ""
    assert "outside Beijing" in firm["atlas_problems"]


def test_the_join_agrees_with_geopandas_sjoin_on_random_points(atlas):
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(115.4, 117.5, 5000), rng.uniform(39.4, 41.1, 5000)
    text = "name,sector,lon,lat\n" + "".join(
        f"F{i},hp_ai,{float(x)!r},{float(y)!r}\n" for i, (x, y) in enumerate(zip(lon, lat, strict=False))
    )
    result = run(atlas, text)
    points = gpd.GeoDataFrame({"i": range(5000)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = (
        gpd.sjoin(points, atlas.districts[["adcode", "geometry"]], predicate="intersects").groupby("i")["adcode"].min()
    )
    expected = pd.Series("", index=range(5000), dtype=object)
    expected[joined.index] = joined
    assert list(result.enriched["atlas_district"]) == list(expected)


def test_counts_per_park_include_sub_parks_and_skip_unplaced_rows(atlas):
    zpark = park_point(atlas, "zpark")
    science_city = park_point(atlas, "zgc-science-city")
    text = (
        f"name,sector,lon,lat\nA,hp_ai,{zpark[0]},{zpark[1]}\nB,hp_ai,{science_city[0]},{science_city[1]}\n"
        f"C,hp_ic,{science_city[0]},{science_city[1]}\nD,hp_ai,abc,1\n"
    )
    counts = run(atlas, text).counts.set_index(["scope", "key", "sector"])["firms"].to_dict()
    assert counts[("park", "zpark", "hp_ai")] == 1
    assert counts[("park", "zgc-science-city", "hp_ai")] == 2  # its own firm and Zpark's
    assert counts[("park", "zgc-science-city", "hp_ic")] == 1
    assert counts[("district", "110108", "hp_ai")] == 2
    assert sum(v for (scope, _, _), v in counts.items() if scope == "district") == 3
