"""Explainable ranking for an investor: per-criterion scores 0..1, a weighted mean, limits that exclude and say why."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model.load import Atlas
from .transit import hub_access

CRITERIA = ("sector", "airport", "rail", "area", "cbd")


@dataclass(frozen=True)
class RankRequest:
    """What an investor asks for: weights per criterion (0 switches one off) and optional hard limits."""

    sectors: frozenset[str] = field(default_factory=frozenset)
    w_sector: float = 1.0
    w_airport: float = 1.0
    w_rail: float = 1.0
    w_area: float = 1.0
    max_airport_km: float | None = None
    max_rail_km: float | None = None
    #: only parks listing at least one of the sectors (or a sub-sector) are ranked
    only_matching: bool = False
    #: Distances scoring 0: a park this far away (or further) earns nothing on that criterion.
    airport_zero_km: float = 80.0
    rail_zero_km: float = 40.0
    #: Estimated minutes by subway to Guomao (the CBD): off unless weighted; a park over ``max_cbd_min`` is
    #: excluded ("reachable within N minutes of the CBD"), and ``cbd_zero_min`` or more scores 0.
    w_cbd: float = 0.0
    max_cbd_min: float | None = None
    cbd_zero_min: float = 90.0

    def __post_init__(self) -> None:
        weights = (self.w_sector, self.w_airport, self.w_rail, self.w_area, self.w_cbd)
        if any(w < 0 for w in weights):
            raise ValueError("weights must not be negative")
        if not any(w > 0 for w in weights):
            raise ValueError("at least one weight must be above zero")

    @property
    def weights(self) -> dict[str, float]:
        return {
            "sector": self.w_sector,
            "airport": self.w_airport,
            "rail": self.w_rail,
            "area": self.w_area,
            "cbd": self.w_cbd,
        }


def _distance_score(km: float, zero_km: float) -> float:
    """1 at 0 km, falling linearly to 0 at ``zero_km``."""
    return max(0.0, 1.0 - km / zero_km)


def rank_parks(atlas: Atlas, request: RankRequest, distances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Placed parks scored per criterion (each 0..1) and in total, best first; every score explained.

    ``distances`` is ``hub_access``'s table (computed when not given).

    - sector: 1 when the park's primary sector is one asked for (sub-sectors included), 0.5 when another of its
      sectors is, else 0;
    - airport / rail: 1 at 0 km, 0 at the request's zero distance;
    - area: planned area on a log scale between the smallest and largest among the parks ranked;
    - cbd: estimated subway minutes to Guomao (``analysis.transit``), 1 at 0 min, 0 at the request's zero minutes.
    A missing value is named in ``missing`` (criterion names) and left out of that park's total, the weighted mean
    over the criteria it has. ``excluded`` names the limits a park breaks ('airport', 'rail'). Ties share a rank.
    """
    wanted = atlas.sectors.expand(request.sectors) if request.sectors else frozenset()
    distances = hub_access(atlas) if distances is None else distances
    parks = atlas.parks[atlas.parks.geometry.notna()].set_index("id", drop=False)
    if request.only_matching and wanted:
        parks = parks[parks["sectors"].map(lambda codes: bool(wanted.intersection(codes or ())))]
    areas = parks["area_km2"].astype(float)
    log_areas = np.log(areas.dropna()) if areas.notna().any() else pd.Series(dtype=float)
    low, high = (log_areas.min(), log_areas.max()) if len(log_areas) else (np.nan, np.nan)
    weights = request.weights
    rows = []
    for park_id, park in parks.iterrows():
        km_airport = distances.loc[park_id, "km_airport"]
        km_rail = distances.loc[park_id, "km_rail"]
        min_cbd = distances.loc[park_id, "min_guomao"] if "min_guomao" in distances else math.nan
        codes = list(park["sectors"] or ())
        scores: dict[str, float | None] = {
            "sector": None
            if not wanted
            else (1.0 if codes and codes[0] in wanted else 0.5 if wanted.intersection(codes) else 0.0),
            "airport": _distance_score(km_airport, request.airport_zero_km),
            "rail": _distance_score(km_rail, request.rail_zero_km),
            "area": None
            if pd.isna(park["area_km2"])
            else (1.0 if high == low else (math.log(park["area_km2"]) - low) / (high - low)),
            "cbd": None if pd.isna(min_cbd) else max(0.0, 1.0 - min_cbd / request.cbd_zero_min),
        }
        excluded = tuple(
            name
            for name, limit, km in (
                ("airport", request.max_airport_km, km_airport),
                ("rail", request.max_rail_km, km_rail),
                ("cbd", request.max_cbd_min, min_cbd),
            )
            if limit is not None and not km <= limit
        )  # an unknown distance is not within any limit
        used = {c: s for c, s in scores.items() if weights[c] > 0 and s is not None}
        missing = tuple(
            c for c, s in scores.items() if weights[c] > 0 and s is None and not (c == "sector" and not wanted)
        )
        total_weight = sum(weights[c] for c in used)
        total = sum(weights[c] * s for c, s in used.items()) / total_weight if total_weight else None
        rows.append(
            {
                "id": park_id,
                "score": total,
                **{f"score_{c}": scores[c] for c in CRITERIA},
                "km_airport": km_airport,
                "km_rail": km_rail,
                "min_cbd": min_cbd,
                "area_km2": park["area_km2"],
                "missing": missing,
                "excluded": excluded,
                "approximate": bool(distances.loc[park_id, "approximate"]),
            }
        )
    columns = [
        "id",
        "score",
        *(f"score_{c}" for c in CRITERIA),
        "km_airport",
        "km_rail",
        "min_cbd",
        "area_km2",
        "missing",
        "excluded",
        "approximate",
    ]
    table = pd.DataFrame(rows, columns=columns)
    eligible = table["excluded"].map(len) == 0
    ranked = table[eligible].sort_values(["score", "id"], ascending=[False, True], na_position="last")
    ranked["rank"] = ranked["score"].round(6).rank(method="min", ascending=False).astype("Int64")
    rest = table[~eligible].assign(rank=pd.array([pd.NA] * int((~eligible).sum()), dtype="Int64"))
    return pd.concat([ranked, rest], ignore_index=True)
