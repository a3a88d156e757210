"""Which park and district each firm is in: a spatial join against the parks' extents and the districts.

A firm inside several extents (a sub-park inside its zone, or two schematic circles that overlap) is
assigned to the smallest one, the most specific; ``atlas_parks`` lists every park it belongs to, the
smallest first, including the parents of those parks (a firm in Zpark is also in Zhongguancun Science City).
A firm on a border between two districts goes to the first by adcode. No source gives a park's boundary,
so every park assignment is against a schematic extent, and says so in ``atlas_park_extent``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.point_index import PolygonIndex

from ..extents import park_extents
from ..model.load import Atlas
from .placing import DRAWN_STATUSES, STATUS_DUPLICATE, STATUS_OUTSIDE, STATUS_PLACED, map_values

JOIN_COLUMNS = (
    "atlas_park",
    "atlas_park_name",
    "atlas_park_name_zh",
    "atlas_parks",
    "atlas_park_extent",
    "atlas_district",
    "atlas_district_name",
    "atlas_district_name_zh",
    "atlas_sector_label",
    "atlas_sector_label_zh",
)
OUTSIDE_NOTE = "outside Beijing: in no district"
#: What a firm whose sector label the atlas does not know is counted under, in a counts file.
UNMAPPED_LABEL_EN = "Sector not in the atlas"
UNMAPPED_LABEL_ZH = "未归入图集产业"


class ParkDistrictIndex:
    """The parks' extents and the districts, indexed once, for any number of chunks of firms."""

    def __init__(self, atlas: Atlas):
        extents = park_extents(atlas)  # smallest first: position is the tie-break for overlapping extents
        self.extent_ids = extents["id"].to_numpy(dtype=object)
        self.extent_basis = extents["basis"].to_numpy(dtype=object)
        self.parks = PolygonIndex(extents.geometry.values)
        districts = atlas.districts.sort_values("adcode", ignore_index=True)
        self.adcodes = districts["adcode"].to_numpy(dtype=object)
        self.district_names = districts["name_en"].to_numpy(dtype=object)
        self.district_names_zh = districts["name_zh"].to_numpy(dtype=object)
        self.districts = PolygonIndex(districts.geometry.values)
        names = atlas.parks.set_index("id")
        self.extent_names = names.loc[self.extent_ids, "name_en"].to_numpy(dtype=object)
        self.extent_names_zh = names.loc[self.extent_ids, "name_zh"].to_numpy(dtype=object)
        self.sector_labels = {s.code: s.label_en for s in atlas.sectors}
        self.sector_labels_zh = {s.code: s.label_zh for s in atlas.sectors}
        pairs = zip(atlas.parks["id"], atlas.parks["parent"], strict=True)
        parents = {pid: p for pid, p in pairs if isinstance(p, str) and p}
        # Each extent stands for its park and the park's ancestors; the list order puts extents first, smallest first.
        order = list(self.extent_ids) + [pid for pid in atlas.parks["id"] if pid not in set(self.extent_ids)]
        self._park_order = order
        self._membership = []
        for pid in self.extent_ids:
            chain, seen = [pid], {pid}
            while chain[-1] in parents and parents[chain[-1]] not in seen:
                chain.append(parents[chain[-1]])
                seen.add(chain[-1])
            self._membership.append([order.index(p) for p in chain])

    def assign(self, placed: pd.DataFrame) -> pd.DataFrame:
        """Park, district and sector labels for rows from ``place_chunk``; outside-Beijing rows re-labelled."""
        n = len(placed)
        x = placed["atlas_lon"].to_numpy(dtype=float)
        y = placed["atlas_lat"].to_numpy(dtype=float)
        drawn = placed["atlas_status"].isin((*DRAWN_STATUSES, STATUS_DUPLICATE)).to_numpy() & np.isfinite(x)
        x = np.where(drawn, x, np.nan)

        district = self.districts.first_xy(x, y)
        park = self.parks.first_xy(x, y)
        has_district, has_park = district >= 0, park >= 0

        def pick(values: np.ndarray, index: np.ndarray, where: np.ndarray) -> np.ndarray:
            out = np.full(n, "", dtype=object)
            out[where] = values[index[where]]
            return out

        park_id = pick(self.extent_ids, park, has_park)
        columns = {
            "atlas_park": park_id,
            "atlas_park_name": pick(self.extent_names, park, has_park),
            "atlas_park_name_zh": pick(self.extent_names_zh, park, has_park),
            "atlas_parks": self._all_parks(x, y, n),
            "atlas_park_extent": pick(self.extent_basis, park, has_park),
            "atlas_district": pick(self.adcodes, district, has_district),
            "atlas_district_name": pick(self.district_names, district, has_district),
            "atlas_district_name_zh": pick(self.district_names_zh, district, has_district),
            "atlas_sector_label": map_values(placed["atlas_sector"], lambda c: self.sector_labels.get(c, "")),
            "atlas_sector_label_zh": map_values(placed["atlas_sector"], lambda c: self.sector_labels_zh.get(c, "")),
        }
        # dtype=object: pandas would otherwise copy each text column into Arrow strings.
        out = pd.DataFrame(
            {k: pd.Series(v, index=placed.index, dtype=object) for k, v in columns.items()}, index=placed.index
        )
        result = pd.concat([placed, out], axis=1)
        outside = pd.Series(drawn & ~has_district, index=placed.index) & (result["atlas_status"] == STATUS_PLACED)
        result.loc[outside, "atlas_status"] = STATUS_OUTSIDE
        result.loc[outside, "atlas_problems"] = np.where(
            result.loc[outside, "atlas_problems"] == "",
            OUTSIDE_NOTE,
            result.loc[outside, "atlas_problems"] + "; " + OUTSIDE_NOTE,
        )
        return result

    def _all_parks(self, x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
        """'id|id|…' of every park a point is in, through its extents and their parents, smallest first."""
        point_ids, extent_ids = self.parks.query_xy(x, y)
        words = max(1, (len(self._park_order) + 63) // 64)
        bits = np.zeros((n, words), dtype=np.uint64)
        for extent, members in enumerate(self._membership):
            chosen = point_ids[extent_ids == extent]
            for member in members:
                bits[chosen, member // 64] |= np.uint64(1) << np.uint64(member % 64)
        out = np.full(n, "", dtype=object)
        inside = bits.any(axis=1)
        if inside.any():
            combos, inverse = np.unique(bits[inside], axis=0, return_inverse=True)
            labels = np.array(
                [
                    "|".join(
                        self._park_order[i] for i in range(len(self._park_order)) if int(combo[i // 64]) >> (i % 64) & 1
                    )
                    for combo in combos
                ],
                dtype=object,
            )
            out[inside] = labels[inverse.ravel()]
        return out


def firm_counts(enriched: pd.DataFrame) -> pd.DataFrame:
    """Firms per park × sector and per district × sector, from drawn rows only (duplicates counted once).

    Columns: scope ('park' or 'district'), key (park id or adcode), sector (code, '' when unmapped), firms.
    A firm counts for every park it is in (its park's parents too), so a zone's count includes its sub-parks'.
    """
    wanted = ["atlas_parks", "atlas_district", "atlas_sector"]
    drawn = enriched.loc[enriched["atlas_status"].isin(DRAWN_STATUSES), wanted]
    # Group first, explode after: a million firms fall into a few dozen combinations of parks.
    by_parks = (
        drawn[drawn["atlas_parks"] != ""].groupby(["atlas_parks", "atlas_sector"]).size().rename("firms").reset_index()
    )
    by_parks = by_parks.assign(key=by_parks["atlas_parks"].str.split("|")).explode("key")
    frames = [
        by_parks.groupby(["key", "atlas_sector"])["firms"].sum().reset_index().assign(scope="park"),
        drawn[drawn["atlas_district"] != ""]
        .groupby(["atlas_district", "atlas_sector"])
        .size()
        .rename("firms")
        .reset_index()
        .rename(columns={"atlas_district": "key"})
        .assign(scope="district"),
    ]
    counts = pd.concat(frames, ignore_index=True).rename(columns={"atlas_sector": "sector"})
    return normalise_counts(counts)


def label_counts(counts: pd.DataFrame, atlas: Atlas) -> pd.DataFrame:
    """Counts for spreadsheets: beside each code, the park's or district's name and the sector's label, in both
    languages."""
    names = {
        **dict(zip(atlas.parks["id"], atlas.parks["name_en"], strict=True)),
        **dict(zip(atlas.districts["adcode"], atlas.districts["name_en"], strict=True)),
    }
    names_zh = {
        **dict(zip(atlas.parks["id"], atlas.parks["name_zh"], strict=True)),
        **dict(zip(atlas.districts["adcode"], atlas.districts["name_zh"], strict=True)),
    }
    labels = {s.code: (s.label_en, s.label_zh) for s in atlas.sectors}
    return counts.assign(
        name=[names.get(k, k) for k in counts["key"]],
        name_zh=[names_zh.get(k, k) for k in counts["key"]],
        sector_label=[labels.get(c, (UNMAPPED_LABEL_EN, ""))[0] for c in counts["sector"]],
        sector_label_zh=[labels.get(c, ("", UNMAPPED_LABEL_ZH))[1] for c in counts["sector"]],
    )[["scope", "key", "name", "name_zh", "sector", "sector_label", "sector_label_zh", "firms"]]


def normalise_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum partial counts (one per chunk) and put them in a fixed order, so any two runs compare equal."""
    if counts.empty:
        return pd.DataFrame(
            {
                "scope": pd.Series(dtype=object),
                "key": pd.Series(dtype=object),
                "sector": pd.Series(dtype=object),
                "firms": pd.Series(dtype="int64"),
            }
        )
    summed = counts.groupby(["scope", "key", "sector"], as_index=False)["firms"].sum()
    summed["firms"] = summed["firms"].astype("int64")
    return summed.sort_values(["scope", "key", "sector"], ignore_index=True)[["scope", "key", "sector", "firms"]]
