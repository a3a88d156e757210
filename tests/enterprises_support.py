"""Helpers for the company-list tests: run a list through the memory engine, find a firm, a park's extent and point."""

from __future__ import annotations

import pandas as pd

from layers.enterprises import process_table, read_enterprise_table, resolve_columns
from layers.extents import park_extents
from layers.places import offline_geocoder


def run(atlas, text: str, filename: str = "list.csv", encoding: str = "utf-8", **columns):
    raw = read_enterprise_table(text.encode(encoding), filename)
    mapping = resolve_columns(list(raw.frame.columns), **columns)
    return process_table(raw, atlas, mapping, offline_geocoder())


def row(result, name: str) -> pd.Series:
    found = result.enriched[result.enriched[result.columns.name] == name]
    assert len(found) == 1, f"expected one row named {name!r}, found {len(found)}"
    return found.iloc[0]


def extent(atlas, park_id: str):
    extents = park_extents(atlas)
    return extents.loc[extents["id"] == park_id, "geometry"].iloc[0]


def park_point(atlas, park_id: str) -> tuple[float, float]:
    point = atlas.parks.set_index("id").loc[park_id].geometry
    return point.x, point.y


def mixed_list(atlas) -> str:
    """A small list with a bit of everything: parks, overlaps, duplicates, addresses, errors, unknown sectors."""
    from bench.make_enterprises import synthetic_enterprises

    frame = synthetic_enterprises(400, atlas, seed=5, bad_share=0.05)
    frame["address"] = ""
    extra = pd.DataFrame(
        {
            "name": ["By address", "Lost address", "Copy", "Copy", "Outside"],
            "sector": ["hp_ai", "hp_ai", "hp_ic", "hp_ic", "Retail"],
            "lon": ["", "", "116.5", "116.5", "121.47"],
            "lat": ["", "", "39.79", "39.79", "31.23"],
            "datum": ["", "", "wgs84", "wgs84", ""],
            "address": ["首钢园", "Atlantis", "", "", ""],
        }
    )
    return pd.concat([frame, extra, frame.iloc[:3]], ignore_index=True).to_csv(index=False)
