"""Plain tables built from the atlas for display: parks, their details, totals and the sources behind them."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from .i18n import KIND_LABELS
from .load import Atlas
from .popups import district_name, metric_label, year

_HEADERS = {
    "en": {"id": "id", "name": "Park", "other_name": "中文名", "district": "District", "kind": "Kind", "area": "Planned area (km²)",
           "area_as_of": "Area as of", "sectors": "Sectors (primary first)", "placement": "Location", "sources": "Sources"},
    "zh": {"id": "id", "name": "园区", "other_name": "English name", "district": "所在区", "kind": "类型", "area": "规划面积(平方公里)",
           "area_as_of": "面积年份", "sectors": "产业(主导在前)", "placement": "位置", "sources": "来源"},
}
_PLACEMENT = {
    "en": {"anchor": "sourced point", "fallback": "stand-in point", "district": "district centre (no sourced point)", "none": "not placed"},
    "zh": {"anchor": "有来源的位置", "fallback": "替代位置", "district": "区中心(无来源位置)", "none": "未定位"},
}


def _cited(park) -> list[str]:
    return sorted({*(park["point_source"] or ()), *(park["area_source"] or ()), *(park["sectors_source"] or ())})


def parks_table(atlas: Atlas, lang: str = "en", parks: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """One row per park (all, or those given) with names, district, area and its year, sectors, placement, sources."""
    headers = _HEADERS[lang]
    parks = atlas.parks if parks is None else parks
    rows = []
    for _, park in parks.iterrows():
        rows.append(
            {
                headers["id"]: park["id"],
                headers["name"]: park["name_zh"] if lang == "zh" else park["name_en"],
                headers["other_name"]: park["name_en"] if lang == "zh" else park["name_zh"],
                headers["district"]: district_name(atlas, park["district_adcode"], lang),
                headers["kind"]: KIND_LABELS[lang][park["kind"]],
                headers["area"]: None if pd.isna(park["area_km2"]) else float(park["area_km2"]),
                headers["area_as_of"]: year(park["area_year"]),
                headers["sectors"]: ", ".join(atlas.sectors[c].label(lang) for c in park["sectors"] or ()),
                headers["placement"]: _PLACEMENT[lang][park["placement"]],
                headers["sources"]: "; ".join(atlas.sources.loc[s, "publisher"] for s in _cited(park)),
            }
        )
    return pd.DataFrame(rows, columns=list(headers.values()))


def total_area_km2(parks: gpd.GeoDataFrame) -> float:
    """Planned area of the parks shown; a park whose parent is also shown is inside it and not added again."""
    shown = set(parks["id"])
    outermost = parks[~parks["parent"].isin(shown)]
    return float(outermost["area_km2"].fillna(0).sum())


def sources_table(atlas: Atlas, parks: gpd.GeoDataFrame, lang: str = "en") -> pd.DataFrame:
    """The sources behind the parks shown (points, areas, sectors and facts), with their dates and links."""
    cited: set[str] = set()
    for _, park in parks.iterrows():
        cited.update(_cited(park))
    facts = atlas.facts[atlas.facts["park"].isin(set(parks["id"]))]
    for ids in facts["source"]:
        cited.update(ids)
    rows = atlas.sources.loc[sorted(cited)]
    undated = "undated" if lang == "en" else "无日期"
    return pd.DataFrame(
        {
            "publisher": rows["publisher"].to_numpy(),
            "title": rows["title"].to_numpy(),
            "published": [p or undated for p in rows["published"]],
            "url": [u or r for u, r in zip(rows["url"].fillna(""), rows["read_at"].fillna(""))],
            "licence": rows["licence"].fillna("").to_numpy(),
        }
    )


def park_details(atlas: Atlas, park_id: str, lang: str = "en") -> dict | None:
    """Everything the details panel shows about one park, or None for an unknown id."""
    match = atlas.parks[atlas.parks["id"] == park_id]
    if match.empty:
        return None
    park = match.iloc[0]
    facts = atlas.facts[atlas.facts["park"] == park_id]
    publisher = lambda ids: "; ".join(atlas.sources.loc[s, "publisher"] for s in ids or ())  # noqa: E731
    return {
        "id": park_id,
        "title": park["name_zh"] if lang == "zh" else park["name_en"],
        "subtitle": park["name_en"] if lang == "zh" else park["name_zh"],
        "kind": KIND_LABELS[lang][park["kind"]],
        "district": district_name(atlas, park["district_adcode"], lang),
        "sectors": [atlas.sectors[c].label(lang) for c in park["sectors"] or ()],
        "sectors_source": f"{publisher(park['sectors_source'])} ({year(park['sectors_year'])})" if park["sectors"] else park["sectors_gap"],
        "area": (f"{park['area_km2']:g} km² ({year(park['area_year'])}, {park['area_scope']}) — {publisher(park['area_source'])}"
                 if not pd.isna(park["area_km2"]) else park["area_gap"]),
        "location": (f"{park['point_basis']} (±{park['precision_m']:g} m) — {publisher(park['point_source'])}"
                     if park["placement"] in ("anchor", "fallback") else _PLACEMENT[lang][park["placement"]]),
        "facts": pd.DataFrame(
            {
                "metric": [metric_label(m, lang) for m in facts["metric"]],
                "value": [f"{'' if q in (None, '=') else q}{v:,g} {u}" for q, v, u in zip(facts["qualifier"], facts["value"], facts["unit"])],
                "year": [year(y) for y in facts["year"]],
                "scope": facts["scope"].to_numpy(),
                "source": [publisher(ids) for ids in facts["source"]],
            }
        ),
    }
