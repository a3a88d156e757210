"""Where a park is, as an area: its schematic extent, a circle of its recorded area around its point.

No source in hand gives a park's boundary, so every extent is schematic: it has the park's area and sits on
its point, and is labelled so wherever it is shown or used (map legend, enterprise assignment, exports).
"""

from __future__ import annotations

import geopandas as gpd

from geo.geometry import equal_area_circle

from .model.load import PLACEMENT_ANCHOR, PLACEMENT_FALLBACK, Atlas

#: How every extent in the atlas was made; a park with a surveyed boundary would say "boundary".
EXTENT_SCHEMATIC = "schematic"


def park_extents(atlas: Atlas) -> gpd.GeoDataFrame:
    """One schematic extent per park that has its own (or a stand-in) point and a recorded area, smallest first."""
    parks = atlas.parks
    placed = parks[
        parks.geometry.notna()
        & parks["area_km2"].notna()
        & parks["placement"].isin([PLACEMENT_ANCHOR, PLACEMENT_FALLBACK])
    ]
    frame = gpd.GeoDataFrame(
        {"id": placed["id"].to_numpy(), "area_km2": placed["area_km2"].to_numpy(), "basis": EXTENT_SCHEMATIC},
        geometry=[equal_area_circle(g.x, g.y, a) for g, a in zip(placed.geometry, placed["area_km2"], strict=False)],
        crs="EPSG:4326",
    )
    return frame.sort_values(["area_km2", "id"], ignore_index=True)
