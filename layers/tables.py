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


_DISTANCE_HEADERS = {
    "en": {"km_pek": "km to PEK", "km_pkx": "km to PKX", "km_rail": "km to main rail", "km_tiananmen": "km to Tiananmen", "km_guomao": "km to CBD"},
    "zh": {"km_pek": "距首都机场(km)", "km_pkx": "距大兴机场(km)", "km_rail": "距主要火车站(km)", "km_tiananmen": "距天安门(km)", "km_guomao": "距国贸(km)"},
}


def parks_table(atlas: Atlas, lang: str = "en", parks: gpd.GeoDataFrame | None = None,
                distances: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per park (all, or those given) with names, district, area and its year, sectors, distances to the
    airports, main rail, Tiananmen and the CBD (km, geodesic), placement and sources.

    ``distances`` (from ``analysis.hub_distances``) can be passed in: they depend on the data alone."""
    from .analysis import hub_distances

    headers = _HEADERS[lang]
    parks = atlas.parks if parks is None else parks
    distances = hub_distances(atlas) if distances is None else distances
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
                **{label: None if pd.isna(distances.loc[park["id"], key]) else round(float(distances.loc[park["id"], key]), 1)
                   for key, label in _DISTANCE_HEADERS[lang].items()},
                headers["placement"]: _PLACEMENT[lang][park["placement"]],
                headers["sources"]: "; ".join(atlas.sources.loc[s, "publisher"] for s in _cited(park)),
            }
        )
    columns = [*list(headers.values())[:8], *_DISTANCE_HEADERS[lang].values(), *list(headers.values())[8:]]
    return pd.DataFrame(rows, columns=columns)


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


def _distance_line(atlas: Atlas, park_id: str, lang: str, distances: pd.DataFrame) -> str:
    d = distances.loc[park_id]
    if pd.isna(d["km_pek"]):
        return ""
    approx = (" (approx.: district centre)" if lang == "en" else "(近似:区中心)") if d["approximate"] else ""
    rail = atlas.hubs.loc[atlas.hubs["id"] == d["nearest_rail"]].iloc[0]
    rail_name = rail["name_zh"] if lang == "zh" else rail["name_en"]
    if lang == "zh":
        return (f"距首都机场 {d['km_pek']:.1f} km · 大兴机场 {d['km_pkx']:.1f} km · {rail_name} {d['km_rail']:.1f} km · "
                f"天安门 {d['km_tiananmen']:.1f} km · 国贸 {d['km_guomao']:.1f} km{approx}")
    return (f"PEK {d['km_pek']:.1f} km · PKX {d['km_pkx']:.1f} km · {rail_name} {d['km_rail']:.1f} km · "
            f"Tiananmen {d['km_tiananmen']:.1f} km · Guomao (CBD) {d['km_guomao']:.1f} km{approx}")


def park_details(atlas: Atlas, park_id: str, lang: str = "en", distances: pd.DataFrame | None = None) -> dict | None:
    """Everything the details panel shows about one park, or None for an unknown id."""
    from .analysis import hub_distances

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
        "distances": _distance_line(atlas, park_id, lang, hub_distances(atlas) if distances is None else distances),
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
