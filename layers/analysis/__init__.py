"""Decision tools as numbers (ids, km, scores; no labels, no HTML): distances, nearby parks, ranking, zoning."""

from __future__ import annotations

from .distances import AIRPORTS, CBD, CITY_CENTRE, hub_distances, nearby
from .rank import CRITERIA, RankRequest, rank_parks
from .transit import ParkTransit, hub_access, park_transit, transit_figures, transit_network
from .zoning import (
    MAX_DISTRICTS_PER_INDUSTRY,
    MAX_LEADING_PER_DISTRICT,
    ZONING_TAXONOMIES,
    district_sector_matrix,
    leading_industries,
    zoning_check,
)

__all__ = [
    "AIRPORTS",
    "CBD",
    "CITY_CENTRE",
    "CRITERIA",
    "MAX_DISTRICTS_PER_INDUSTRY",
    "MAX_LEADING_PER_DISTRICT",
    "ZONING_TAXONOMIES",
    "ParkTransit",
    "RankRequest",
    "district_sector_matrix",
    "hub_access",
    "hub_distances",
    "leading_industries",
    "nearby",
    "park_transit",
    "rank_parks",
    "transit_figures",
    "transit_network",
    "zoning_check",
]
