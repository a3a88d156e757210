"""Geodesic distances from every park to the places investors go, and the parks near a point. km on WGS-84."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.crs import distance_km

from ..model.load import PLACEMENT_CITY, PLACEMENT_DISTRICT, Atlas

AIRPORTS = ("pek", "pkx")
CITY_CENTRE = "tiananmen"
CBD = "guomao"


def _hub(atlas: Atlas, hub_id: str) -> tuple[float, float]:
    row = atlas.hubs.loc[atlas.hubs["id"] == hub_id].iloc[0]
    return row.geometry.x, row.geometry.y


def hub_distances(atlas: Atlas) -> pd.DataFrame:
    """Per park (index: id): km to PEK, PKX, the nearest main rail station (and which), Tiananmen and Guomao.

    Parks drawn at their district's centre get distances marked approximate; parks not placed, and citywide zones
    (drawn at the city's centre, which says nothing of how far they are), get none.
    """
    parks = atlas.parks
    located = (parks.geometry.notna() & (parks["placement"] != PLACEMENT_CITY)).to_numpy()
    lon = np.array([g.x if g is not None else np.nan for g in parks.geometry])
    lat = np.array([g.y if g is not None else np.nan for g in parks.geometry])
    table = pd.DataFrame(index=parks["id"].to_numpy())
    for column, hub_id in (("km_pek", "pek"), ("km_pkx", "pkx"), ("km_tiananmen", CITY_CENTRE), ("km_guomao", CBD)):
        hub_lon, hub_lat = _hub(atlas, hub_id)
        table[column] = np.where(located, distance_km(lon, lat, hub_lon, hub_lat), np.nan)
    stations = atlas.hubs[atlas.hubs["kind"] == "rail station"]
    to_stations = np.column_stack(
        [np.where(located, distance_km(lon, lat, g.x, g.y), np.nan) for g in stations.geometry]
    )
    nearest = np.where(located, np.nanargmin(np.where(np.isnan(to_stations), np.inf, to_stations), axis=1), -1)
    table["km_rail"] = np.where(located, to_stations[np.arange(len(parks)), np.maximum(nearest, 0)], np.nan)
    table["nearest_rail"] = [stations["id"].iloc[i] if i >= 0 else None for i in nearest]
    table["km_airport"] = table[["km_pek", "km_pkx"]].min(axis=1, skipna=False)
    table["approximate"] = (parks["placement"] == PLACEMENT_DISTRICT).to_numpy()
    return table


def nearby(atlas: Atlas, lon: float, lat: float, radius_km: float, park_ids: set[str] | None = None) -> pd.DataFrame:
    """Parks within ``radius_km`` of (lon, lat), nearest first, with their distance in km (only ``park_ids``
    if given)."""
    if radius_km <= 0:
        raise ValueError(f"radius must be positive, got {radius_km}")
    parks = atlas.parks[atlas.parks.geometry.notna() & (atlas.parks["placement"] != PLACEMENT_CITY)]
    if park_ids is not None:
        parks = parks[parks["id"].isin(park_ids)]
    km = np.asarray(distance_km([g.x for g in parks.geometry], [g.y for g in parks.geometry], lon, lat), dtype=float)
    found = pd.DataFrame({"id": parks["id"].to_numpy(), "km": km, "placement": parks["placement"].to_numpy()})
    return found[found["km"] <= radius_km].sort_values(["km", "id"]).reset_index(drop=True)
