"""Two to four parks side by side: one column per park, one row per attribute, facts lined up by metric."""

from __future__ import annotations

import pandas as pd

from .. import format as fmt
from ..errors import UnknownKey
from ..files import BOM
from ..labels import term, text
from ..model.load import Atlas
from .transit import station_name


def compare_parks(atlas: Atlas, park_ids: list[str], lang: str, distances: pd.DataFrame) -> pd.DataFrame:
    """Columns are park names; rows are labelled attributes, then one row per metric any of the parks has.

    A metric a park has several figures for (history, other scopes) lists them newest first, each with its year,
    scope and publisher. A fact a park lacks is left empty, never invented.
    """
    if not 2 <= len(park_ids) <= 4:
        raise ValueError(f"compare two to four parks, not {len(park_ids)}")
    unknown = [p for p in park_ids if p not in set(atlas.parks["id"])]
    if unknown:
        raise UnknownKey("park", unknown, sorted(atlas.parks["id"]))
    t = text(lang)
    facts = atlas.facts[atlas.facts["park"].isin(park_ids)]
    metrics = list(dict.fromkeys(facts.sort_values("metric", kind="stable")["metric"]))
    columns: dict[str, dict[str, str]] = {}
    for park_id in park_ids:
        park = atlas.parks.loc[atlas.parks["id"] == park_id].iloc[0]
        d = distances.loc[park_id]
        approx = bool(d["approximate"])
        rail = atlas.hubs.loc[atlas.hubs["id"] == d["nearest_rail"]] if d["nearest_rail"] else None
        column = {
            t["row_name"]: fmt.name(park, lang),
            t["row_other_name"]: fmt.other_name(park, lang),
            t["row_district"]: fmt.district_name(atlas, park["district_adcode"], lang),
            t["row_kind"]: term("kinds", park["kind"], lang),
            t["row_area"]: fmt.area_text(park, atlas, lang),
            t["row_sectors"]: fmt.sector_labels(atlas, park["sectors"], lang),
            t["row_sectors_source"]: (
                f"{fmt.citation(atlas, park['sectors_source'], lang)} ({fmt.year(park['sectors_year'])})"
                if park["sectors"]
                else fmt.localized(park, "sectors_gap", lang)
            ),
            t["row_pek"]: fmt.km(d["km_pek"], lang, approx),
            t["row_pkx"]: fmt.km(d["km_pkx"], lang, approx),
            t["row_rail"]: ""
            if rail is None or rail.empty
            else f"{fmt.km(d['km_rail'], lang, approx)} ({fmt.name(rail.iloc[0], lang)})",
            t["row_tiananmen"]: fmt.km(d["km_tiananmen"], lang, approx),
            t["row_guomao"]: fmt.km(d["km_guomao"], lang, approx),
            t["row_location"]: fmt.location_text(park, atlas, lang),
            **_transit_rows(atlas, d, lang),
        }
        own = facts[facts["park"] == park_id].sort_values("year", ascending=False, kind="stable")
        for metric in metrics:
            figures = own[own["metric"] == metric]
            column[fmt.metric_label(metric, lang)] = "\n".join(
                f"{fmt.quantity(f['value'], f['unit'], lang, f['qualifier'])} ({fmt.year(f['year'])}; "
                f"{fmt.localized(f, 'scope', lang)}; {fmt.publishers(atlas, f['source'], lang)})"
                for _, f in figures.iterrows()
            )
        columns[park_id] = column
    rows = list(dict.fromkeys(k for column in columns.values() for k in column))
    table = pd.DataFrame(
        {pid: [columns[pid].get(r, "") for r in rows] for pid in park_ids},
        index=pd.Index(rows, name=t["compare_attribute"]),
    )
    table.columns = [columns[pid][t["row_name"]] for pid in park_ids]
    return table


def _transit_rows(atlas: Atlas, d: pd.Series, lang: str) -> dict[str, str]:
    """Rail access rows: nearest station and walk, lines close by, estimated minutes (empty where there is none)."""
    t = text(lang)
    if "station" not in d or not isinstance(d["station"], str):
        return {t["row_station"]: "", t["row_lines"]: ""}
    unit = t["unit_min"]
    rows = {
        t["row_station"]: f"{station_name(atlas, d['station'], lang)} ({d['walk_min']:.0f} {unit})",
        t["row_lines"]: fmt.line_names(atlas, d["lines"], lang),
    }
    for hub in ("guomao", "tiananmen", "pek", "pkx"):
        value = d.get(f"min_{hub}")
        rows[t[f"row_min_{hub}"]] = (
            "" if value is None or pd.isna(value) else t["about_min"].format(minutes=f"{value:.0f}")
        )
    return rows


def park_figures(atlas: Atlas, park_ids: list[str], access: pd.DataFrame) -> list[dict]:
    """The parks' figures as numbers (km, km², minutes; null where there is none), for other programs."""

    def number(value) -> float | None:
        return None if value is None or pd.isna(value) else round(float(value), 3)

    found = []
    for park_id in park_ids:
        park = atlas.parks.loc[atlas.parks["id"] == park_id].iloc[0]
        d = access.loc[park_id]
        found.append(
            {
                "id": park_id,
                "name_en": park["name_en"],
                "name_zh": park["name_zh"],
                "district_adcode": park["district_adcode"],
                "sectors": list(park["sectors"] or ()),
                "area_km2": number(park["area_km2"]),
                "area_year": None if pd.isna(park["area_year"]) else int(park["area_year"]),
                **{k: number(d[k]) for k in ("km_pek", "km_pkx", "km_rail", "km_tiananmen", "km_guomao")},
                "nearest_rail": d["nearest_rail"] if isinstance(d["nearest_rail"], str) else None,
                "approximate": bool(d["approximate"]),
                "transit": {
                    "estimate": "model (data/transit_model.csv)",
                    "approximate": bool(d["transit_approximate"]) if "transit_approximate" in d else False,
                    "gap": d["transit_gap"] if isinstance(d["transit_gap"], str) else None,
                    "station": d["station"] if isinstance(d["station"], str) else None,
                    "station_km": number(d["station_km"]),
                    "walk_min": number(d["walk_min"]),
                    "lines": list(d["lines"] or ()),
                    "minutes": {hub: number(d[f"min_{hub}"]) for hub in atlas.hubs["id"]},
                },
            }
        )
    return found


def comparison_csv(table: pd.DataFrame) -> bytes:
    """The comparison as CSV, UTF-8 with a BOM for Excel on Chinese Windows (the app's download uses this too)."""
    return BOM + table.to_csv().encode("utf-8")
