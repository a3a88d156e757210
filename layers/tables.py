"""Plain tables built from the atlas for display: one row per park, labels in the chosen language."""

from __future__ import annotations

import pandas as pd

from .load import Atlas

_HEADERS = {
    "en": {"name": "Park", "other_name": "中文名", "district": "District", "kind": "Kind", "area": "Planned area (km²)",
           "area_as_of": "Area as of", "sectors": "Sectors (primary first)", "placement": "Location", "sources": "Sources"},
    "zh": {"name": "园区", "other_name": "English name", "district": "所在区", "kind": "类型", "area": "规划面积(平方公里)",
           "area_as_of": "面积年份", "sectors": "产业(主导在前)", "placement": "位置", "sources": "来源"},
}
_KINDS = {
    "en": {"park": "park", "sub-park": "sub-park", "functional zone": "functional zone"},
    "zh": {"park": "园区", "sub-park": "分园", "functional zone": "功能区"},
}
_PLACEMENT = {
    "en": {"anchor": "sourced point", "fallback": "stand-in point", "district": "district centre (no sourced point)", "none": "not placed"},
    "zh": {"anchor": "有来源的位置", "fallback": "替代位置", "district": "区中心(无来源位置)", "none": "未定位"},
}


def parks_table(atlas: Atlas, lang: str = "en") -> pd.DataFrame:
    """One row per park with names, district, area and its year, sectors, placement and cited sources."""
    headers = _HEADERS[lang]
    districts = dict(zip(atlas.districts["adcode"], atlas.districts["name_zh" if lang == "zh" else "name_en"]))
    districts["110000"] = "北京市" if lang == "zh" else "Citywide"
    rows = []
    for _, park in atlas.parks.iterrows():
        cited = sorted({*(park["point_source"] or ()), *(park["area_source"] or ()), *(park["sectors_source"] or ())})
        rows.append(
            {
                headers["name"]: park["name_zh"] if lang == "zh" else park["name_en"],
                headers["other_name"]: park["name_en"] if lang == "zh" else park["name_zh"],
                headers["district"]: districts.get(park["district_adcode"], park["district_adcode"]),
                headers["kind"]: _KINDS[lang][park["kind"]],
                headers["area"]: park["area_km2"],
                headers["area_as_of"]: park["area_year"],
                headers["sectors"]: ", ".join(atlas.sectors[c].label(lang) for c in park["sectors"] or ()),
                headers["placement"]: _PLACEMENT[lang][park["placement"]],
                headers["sources"]: "; ".join(atlas.sources.loc[s, "publisher"] for s in cited),
            }
        )
    return pd.DataFrame(rows)
