"""The committed district file is exactly what the committed script builds from the offline source."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from scripts.build_districts import ENGLISH_NAMES, beijing_districts, main

from .conftest import DATA


def test_rebuilding_reproduces_the_committed_file(tmp_path):
    out = tmp_path / "districts.geojson"
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == (DATA / "districts.geojson").read_bytes()


def _counties(adcodes, crs="EPSG:4326"):
    return gpd.GeoDataFrame(
        {
            "province_adcode": ["110000"] * len(adcodes),
            "district_adcode": adcodes,
            "district_name": ["区"] * len(adcodes),
        },
        geometry=[box(116 + i * 0.1, 40, 116.1 + i * 0.1, 40.1) for i in range(len(adcodes))],
        crs=crs,
    )


def test_a_changed_district_list_is_refused():
    with pytest.raises(ValueError, match="missing"):
        beijing_districts(_counties(list(ENGLISH_NAMES)[:-1]))


def test_a_projected_source_is_refused():
    with pytest.raises(ValueError, match="EPSG:4326"):
        beijing_districts(_counties(list(ENGLISH_NAMES), crs="EPSG:32650"))


def test_adjacent_districts_still_share_their_border_after_simplifying():
    result = beijing_districts(_counties(list(ENGLISH_NAMES)), tolerance_deg=0.01)
    first, second = result.geometry.iloc[0], result.geometry.iloc[1]
    assert first.intersection(second).length == pytest.approx(0.1)
