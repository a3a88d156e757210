"""A park's rail access in words, in the reader's language: nearest station, lines, minutes to the main places, and
the model behind every minute."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import format as fmt
from ..analysis.transit import GAP_FAR, GAP_VAGUE, SERVING_KM
from ..labels import text
from ..model.load import Atlas

#: The places a park's details give minutes to, in this order (the nearest main rail station is added after).
PLACES = ("guomao", "tiananmen", "pek", "pkx")


def station_name(atlas: Atlas, station_id: str, lang: str) -> str:
    """A station's name in the reader's language."""
    row = atlas.transit.stations.loc[atlas.transit.stations["id"] == station_id].iloc[0]
    return fmt.name(row, lang)


def model_basis(atlas: Atlas, lang: str) -> str:
    """The model behind every estimate, with its parameters' values."""
    m = atlas.transit.model
    return text(lang)["transit_basis"].format(
        walk_kmh=fmt.number(m["walk_kmh"]),
        walk_detour=fmt.number(m["walk_detour"]),
        wait=fmt.number(m["wait_min"]),
        share=fmt.number(m["cruise_share"] * 100),
        top=fmt.number(m["default_top_kmh"]),
        track=fmt.number(m["track_detour"]),
        stop=fmt.number(m["stop_min"]),
        transfer=fmt.number(m["transfer_min"]),
    )


def transit_text(atlas: Atlas, park_id: str, lang: str, access: pd.DataFrame) -> tuple[str, ...]:
    """The lines of a park's rail access (or the one line saying why there is no estimate)."""
    t = text(lang)
    row = access.loc[park_id]
    if row["transit_gap"] == GAP_VAGUE:
        return (t["transit_gap_vague"],)
    if row["transit_gap"] == GAP_FAR:
        return (t["transit_gap_far"].format(km=fmt.number(atlas.transit.model["max_walk_km"])),)
    found = [
        t["transit_station"].format(
            station=station_name(atlas, row["station"], lang),
            lines=fmt.line_names(atlas, atlas.transit.lines_at().get(row["station"]), lang),
            km=f"{row['station_km']:.1f}",
            walk=f"{row['walk_min']:.0f}",
        )
    ]
    if row["lines"]:
        found.append(
            t["transit_serving"].format(km=fmt.number(SERVING_KM), lines=fmt.line_names(atlas, row["lines"], lang))
        )
    hubs = atlas.hubs.set_index("id")
    places = [*PLACES, row["nearest_rail"]] if isinstance(row.get("nearest_rail"), str) else list(PLACES)
    minutes = [
        t["transit_minutes"].format(place=fmt.name(hubs.loc[hub], lang), minutes=f"{row[f'min_{hub}']:.0f}")
        for hub in places
        if not pd.isna(row.get(f"min_{hub}"))
    ]
    if minutes:
        found.append(" · ".join(minutes))
    if row.get("transit_approximate"):
        park = atlas.parks.loc[atlas.parks["id"] == park_id].iloc[0]
        found.append(t["transit_approx"].format(km=fmt.number(round(park["precision_m"] / 1000, 1))))
    return tuple(found)


def minutes_cell(row: Any, hub: str) -> float | None:
    """A table's cell: the estimate in whole minutes, or empty."""
    value = row.get(f"min_{hub}")
    return None if value is None or pd.isna(value) else float(round(value))
