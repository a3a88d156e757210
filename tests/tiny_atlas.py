"""A tiny named atlas for map and export tests that must not move when the bundled parks grow: the bundled sources,
sectors, hubs and districts, with four parks that between them hold every placement (a sourced point, a stand-in,
a district point, the city's point), one cluster, one fact and one list. The figures are made up and say so."""

from __future__ import annotations

from pathlib import Path

SOURCE = {
    "id": "tiny-fixture",
    "publisher": "Test fixture (made up)",
    "publisher_zh": "测试数据(虚构)",
    "title": "A tiny atlas for tests",
    "title_zh": "测试用微型数据",
    "published": "2026",
    "url": "",
    "read_at": "tests/tiny_atlas.py",
    "licence": "",
    "note": "Not a real source: every figure here is made up.",
}
_POINT = {"datum": "wgs84", "point_source": "tiny-fixture", "point_year": "2026"}
PARKS = [
    {
        "id": "alpha-zone",
        "name_en": "Alpha Zone",
        "name_zh": "甲区",
        "kind": "functional zone",
        "district_adcode": "110108",
        "lon": "116.31",
        "lat": "39.98",
        "precision_m": "3000",
        "point_role": "anchor",
        "point_basis": "made up",
        "point_basis_zh": "虚构",
        **_POINT,
        "area_km2": "10",
        "area_year": "2026",
        "area_scope": "made up",
        "area_scope_zh": "虚构",
        "area_source": "tiny-fixture",
        "sectors": "hp_ic|hp_ai",
        "sectors_source": "tiny-fixture",
        "sectors_year": "2026",
        "level": "science-city",
        "lists": "tiny_list",
    },
    {
        "id": "beta-park",
        "name_en": "Beta Park",
        "name_zh": "乙园",
        "kind": "park",
        "parent": "alpha-zone",
        "district_adcode": "110108",
        "lon": "116.30",
        "lat": "39.99",
        "precision_m": "1000",
        "point_role": "fallback",
        "point_basis": "made up stand-in",
        "point_basis_zh": "虚构的替代点",
        **_POINT,
        "area_km2": "1",
        "area_year": "2026",
        "area_scope": "made up",
        "area_scope_zh": "虚构",
        "area_source": "tiny-fixture",
        "sectors": "hp_ai",
        "sectors_source": "tiny-fixture",
        "sectors_year": "2026",
        "level": "specialised",
        "lists": "tiny_list",
    },
    {
        "id": "gamma-park",
        "name_en": "Gamma Park",
        "name_zh": "丙园",
        "kind": "park",
        "district_adcode": "110105",
        "point_gap": "no point, made up",
        "point_gap_zh": "无点位(虚构)",
        "area_gap": "no area, made up",
        "area_gap_zh": "无面积(虚构)",
        "sectors": "hp_health",
        "sectors_source": "tiny-fixture",
        "sectors_year": "2026",
        "level": "specialised",
    },
    {
        "id": "city-zone",
        "name_en": "Citywide Zone",
        "name_zh": "全市区",
        "kind": "functional zone",
        "district_adcode": "110000",
        "point_gap": "citywide, made up",
        "point_gap_zh": "全市(虚构)",
        "area_gap": "made up",
        "area_gap_zh": "虚构",
        "sectors_gap": "made up",
        "sectors_gap_zh": "虚构",
        "level": "national",
        "catalogue_code": "G000001",
        "catalogue_type": "hitech_zone",
        "approved": "2000-01",
        "approved_area_ha": "100",
        "leading_industries": "made up",
        "leading_industries_zh": "虚构",
        "catalogue_source": "tiny-fixture",
    },
]
CLUSTERS = [
    {
        "id": "tiny-cluster",
        "name_en": "Tiny IC cluster",
        "name_zh": "微型集成电路集群",
        "sectors": "hp_ic",
        "host_parks": "alpha-zone",
        "host_districts": "110108",
        "source": "tiny-fixture",
        "year": "2026",
    }
]
FACTS = [
    {
        "park": "alpha-zone",
        "metric": "enterprises",
        "qualifier": "=",
        "value": "42",
        "unit": "enterprises",
        "year": "2026",
        "scope": "made up",
        "scope_zh": "虚构",
        "source": "tiny-fixture",
    }
]
LISTS = [
    {"id": "tiny_list", "name_en": "A tiny list", "name_zh": "微型名单", "expected": "2", "source": "tiny-fixture"}
]


def write_tiny_atlas(copy) -> Path:
    """Turn a ``DataCopy`` of the bundled data into the tiny atlas; return its folder."""
    copy.append_row("sources.csv", SOURCE)
    for filename, rows in (
        ("parks.csv", PARKS),
        ("clusters.csv", CLUSTERS),
        ("facts.csv", FACTS),
        ("lists.csv", LISTS),
    ):
        header, _ = copy.rows(filename)
        copy.write(filename, header, [[row.get(h, "") for h in header] for row in rows])
    return copy.root
