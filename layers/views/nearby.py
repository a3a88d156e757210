"""The parks around a place, nearest first, by name with their distance and how their point was placed."""

from __future__ import annotations

import pandas as pd

from .. import format as fmt
from ..labels import term, text
from ..model.load import Atlas


def nearby_table(atlas: Atlas, found: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``analysis.nearby``'s result with names (index: park id)."""
    t = text(lang)
    parks = atlas.parks.set_index("id")
    return pd.DataFrame(
        {
            t["col_park"]: [fmt.name(parks.loc[p], lang) for p in found["id"]],
            t["col_district"]: [fmt.district_name(atlas, parks.loc[p, "district_adcode"], lang) for p in found["id"]],
            t["col_distance"]: found["km"].round(1).to_numpy(),
            t["col_location"]: [term("placements", p, lang) for p in found["placement"]],
        },
        index=pd.Index(found["id"].to_numpy(), name="id"),
    )
