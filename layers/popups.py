"""Tooltip, popup and legend HTML. Every string from the data is escaped: a name with markup shows as text."""

from __future__ import annotations

from html import escape

import pandas as pd

from .i18n import KIND_LABELS
from .load import Atlas

_T = {
    "en": {"kind": "Kind", "district": "District", "sectors": "Sectors", "area": "Planned area", "point": "Location",
           "facts": "Facts", "source": "Source", "schematic": "schematic extent: an equal-area circle, not a boundary",
           "anchor": "point: {basis}", "fallback": "stand-in point: {basis}", "district_pl": "no sourced location: drawn at the district's centre",
           "none": "not placed", "hosts": "Hosted by", "citywide": "Citywide", "precision": "±{m} m"},
    "zh": {"kind": "类型", "district": "所在区", "sectors": "产业", "area": "规划面积", "point": "位置", "facts": "数据",
           "source": "来源", "schematic": "示意范围:等面积圆,并非官方边界", "anchor": "位置:{basis}", "fallback": "替代位置:{basis}",
           "district_pl": "无可靠位置:绘于所在区中心", "none": "未定位", "hosts": "所在园区/区", "citywide": "全市", "precision": "±{m} 米"},
}
_METRIC = {
    "en": {"revenue": "Revenue", "tax": "Tax", "gdp": "GDP", "industrial_output": "Industrial output", "output_value": "Output value",
           "investment": "Investment", "registered_capital": "Registered capital", "enterprises": "Enterprises",
           "high_tech_enterprises": "High-tech enterprises", "listed_companies": "Listed companies", "employees": "Employees",
           "researchers": "Researchers", "science_facilities": "Science facilities", "visitors": "Visitors", "floor_area": "Floor area",
           "land_area": "Land area", "occupancy": "Occupancy", "share_of_district_output": "Share of district output"},
    "zh": {"revenue": "收入", "tax": "税收", "gdp": "地区生产总值", "industrial_output": "工业总产值", "output_value": "产值", "investment": "投资",
           "registered_capital": "注册资本", "enterprises": "企业数", "high_tech_enterprises": "高新技术企业", "listed_companies": "上市公司",
           "employees": "从业人员", "researchers": "科研人员", "science_facilities": "科学设施", "visitors": "游客", "floor_area": "建筑面积",
           "land_area": "占地面积", "occupancy": "入驻率", "share_of_district_output": "占区经济比重"},
}


def e(value) -> str:
    """Escape any value for HTML; None and NaN become an empty string.

    Braces become entities too: folium compiles every rendered script, data included, as a Jinja
    template, so a '{{ ... }}' in a park name would otherwise be evaluated. The browser shows '{' all the same.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def year(value) -> str:
    """A year as text: 2023, never 2023.0 (pandas keeps a year column with gaps as floats)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(int(value))


def _names(row, lang: str) -> tuple[str, str]:
    first, second = (row["name_zh"], row["name_en"]) if lang == "zh" else (row["name_en"], row["name_zh"])
    return e(first), e(second)


def _sources(atlas: Atlas, ids) -> str:
    parts = []
    for source_id in ids or ():
        if source_id in atlas.sources.index:
            src = atlas.sources.loc[source_id]
            published = f", {e(src['published'])}" if src["published"] else ""
            parts.append(f"{e(src['publisher'])}{published}")
    return "; ".join(parts)


def district_name(atlas: Atlas, adcode: str, lang: str) -> str:
    if adcode == "110000":
        return _T[lang]["citywide"]
    match = atlas.districts.loc[atlas.districts["adcode"] == adcode]
    if match.empty:
        return adcode
    return match.iloc[0]["name_zh" if lang == "zh" else "name_en"]


def park_tooltip(row, lang: str) -> str:
    first, second = _names(row, lang)
    return f"<b>{first}</b><br>{second}"


def park_popup(row, atlas: Atlas, lang: str) -> str:
    """The park's card: names, kind, district, sectors, area with its year and source, location basis, facts."""
    t = _T[lang]
    first, second = _names(row, lang)
    kind = KIND_LABELS[lang].get(row["kind"], row["kind"])
    sectors = " ".join(
        f'<span style="white-space:nowrap"><i style="display:inline-block;width:9px;height:9px;border-radius:50%;'
        f'background:{atlas.sectors[c].colour}"></i> {e(atlas.sectors[c].label(lang))}</span>'
        for c in row["sectors"] or ()
    )
    lines = [
        f'<div class="atlas-popup" data-park-id="{e(row["id"])}"><b>{first}</b><br><span>{second}</span>',
        f"<br>{t['kind']}: {e(kind)} · {t['district']}: {e(district_name(atlas, row['district_adcode'], lang))}",
    ]
    if sectors:
        lines.append(f"<br>{t['sectors']}: {sectors}<br><small>{t['source']}: {_sources(atlas, row['sectors_source'])} ({year(row['sectors_year'])})</small>")
    if row["area_km2"] is not None and not pd.isna(row["area_km2"]):
        area = f"{row['area_km2']:g}"
        lines.append(
            f"<br>{t['area']}: {e(area)} km² ({year(row['area_year'])}, {e(row['area_scope'])})"
            f"<br><small>{t['source']}: {_sources(atlas, row['area_source'])}</small>"
        )
    placement = row["placement"]
    if placement in ("anchor", "fallback"):
        where = t[placement].format(basis=e(row["point_basis"]))
        precision = t["precision"].format(m=e(f"{row['precision_m']:g}"))
        lines.append(f"<br><small>{where} ({precision}); "
                     f"{t['source']}: {_sources(atlas, row['point_source'])}</small>")
    else:
        lines.append(f"<br><small>{t['district_pl'] if placement == 'district' else t['none']}</small>")
    facts = atlas.facts[atlas.facts["park"] == row["id"]] if len(atlas.facts) else atlas.facts
    if len(facts):
        items = "".join(_fact_item(fact, atlas, lang) for _, fact in facts.iterrows())
        lines.append(f"<br>{t['facts']}:<ul style='margin:2px 0 0 16px;padding:0'>{items}</ul>")
    lines.append("</div>")
    return "".join(lines)


def metric_label(metric: str, lang: str) -> str:
    """A fact's metric in words ('High-tech enterprises', '高新技术企业')."""
    return _METRIC[lang].get(metric, metric)


def _fact_item(fact, atlas: Atlas, lang: str) -> str:
    qualifier = "" if fact["qualifier"] in (None, "=") else fact["qualifier"]
    value = f"{fact['value']:,g}"
    metric = metric_label(fact["metric"], lang)
    return (f"<li>{e(metric)}: {e(qualifier)}{e(value)} {e(fact['unit'])} ({year(fact['year'])}; {e(fact['scope'])})"
            f" — {_sources(atlas, fact['source'])}</li>")


def extent_tooltip(row, lang: str) -> str:
    first, _ = _names(row, lang)
    return f"<b>{first}</b><br>{_T[lang]['schematic']}"


def cluster_tooltip(row, host_names: list[str], atlas: Atlas, lang: str) -> str:
    name = row["name_zh"] if lang == "zh" and row.get("name_zh") else row["name_en"]
    sectors = ", ".join(e(atlas.sectors[c].label(lang)) for c in row["sectors"] or ())
    return f"<b>{e(name)}</b><br>{sectors}<br>{_T[lang]['hosts']}: {', '.join(e(h) for h in host_names)}"


def hub_tooltip(row, lang: str) -> str:
    first, second = _names(row, lang)
    return f"<b>{first}</b><br>{second}"


def schematic_label(lang: str) -> str:
    return _T[lang]["schematic"]
