"""The chunk functions both engines share, and the memory engine.

``memory`` reads the whole list, places and joins it as one chunk and keeps the result for the app. ``dask``
(``dask_engine``) runs the very same ``enrich_chunk`` on each block of a list too big for memory, on one machine
or a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.datums import Datum
from geo.geocode import Geocoder

from ..model.load import Atlas
from .joining import JOIN_COLUMNS, ParkDistrictIndex, firm_counts
from .placing import (
    STATUSES,
    GeocodedAddress,
    PlacingContext,
    SectorMatcher,
    addresses_to_geocode,
    duplicate_keys,
    first_rows_of_duplicates,
    geocode_addresses,
    key_cells,
    place_chunk,
)
from .reading import FIRST_DATA_ROW, ColumnMap, EnterpriseInputError, RawTable, resolve_columns

ENGINES = ("memory", "dask")
PLACING_COLUMNS = (
    "atlas_row",
    "atlas_status",
    "atlas_problems",
    "atlas_lon",
    "atlas_lat",
    "atlas_located_by",
    "atlas_precision_m",
    "atlas_sector",
)
OUTPUT_COLUMNS = PLACING_COLUMNS + JOIN_COLUMNS
REPORT_COLUMNS = ("row", "status", "name", "problems")
Progress = Callable[[list[str]], Iterable[str]]


@dataclass
class EnterpriseResult:
    """A placed and joined company list: every input row and column, plus the atlas_* columns."""

    enriched: pd.DataFrame
    counts: pd.DataFrame
    columns: ColumnMap
    encoding: str
    #: input columns whose names the atlas writes itself (an earlier export loaded again): recomputed
    replaced_columns: tuple[str, ...] = ()
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def report(self) -> pd.DataFrame:
        """Every row with a problem: those not placed (why), duplicates, unknown sectors, firms outside Beijing."""
        return report_rows(self.enriched, self.columns)

    @property
    def unknown_sectors(self) -> pd.Series:
        """Sector labels not in the atlas vocabulary, with how many rows use each."""
        labels = self.enriched[self.columns.sector].fillna("").astype(str).str.strip()
        unknown = labels[(self.enriched["atlas_sector"] == "") & (labels != "")]
        return unknown.value_counts()


def report_rows(enriched: pd.DataFrame, columns: ColumnMap) -> pd.DataFrame:
    flagged = enriched[enriched["atlas_problems"] != ""]
    return pd.DataFrame(
        {
            "row": flagged["atlas_row"].to_numpy(),
            "status": flagged["atlas_status"].to_numpy(),
            "name": flagged[columns.name].to_numpy(),
            "problems": flagged["atlas_problems"].to_numpy(),
        }
    )


def _status_counts(enriched: pd.DataFrame) -> dict[str, int]:
    counts = enriched["atlas_status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def enrich_chunk(
    chunk: pd.DataFrame,
    rows: pd.Series,
    context: PlacingContext,
    index: ParkDistrictIndex,
    keys: pd.Series | None = None,
) -> pd.DataFrame:
    """The chunk's own columns, then the atlas_* columns: placing and the spatial join, in one call."""
    joined = index.assign(place_chunk(chunk, rows, context, keys))
    # Joined at full precision, written to 7 decimals (about 1 cm).
    joined["atlas_lon"], joined["atlas_lat"] = joined["atlas_lon"].round(7), joined["atlas_lat"].round(7)
    own = chunk.drop(columns=[c for c in chunk.columns if c in OUTPUT_COLUMNS])
    return pd.concat([own, joined[list(OUTPUT_COLUMNS)]], axis=1)


def geocode_all(
    addresses: Iterable[str], geocoder: Geocoder | None, datum: Datum, progress: Progress
) -> dict[str, GeocodedAddress]:
    """Each distinct address geocoded once (a list of only coordinates needs no geocoder)."""
    addresses = list(addresses)
    if addresses and geocoder is None:
        raise EnterpriseInputError(f"{len(addresses)} rows give only an address, and no geocoder was given")
    return geocode_addresses(addresses, geocoder, datum.value, progress) if addresses else {}


def process_table(
    raw: RawTable,
    atlas: Atlas,
    columns: ColumnMap | None = None,
    geocoder: Geocoder | None = None,
    default_datum: Datum = Datum.WGS84,
    progress: Progress = lambda items: items,
    index: ParkDistrictIndex | None = None,
) -> EnterpriseResult:
    """The in-memory engine: place, geocode and join every row of ``raw``."""
    frame = raw.frame
    columns = columns or resolve_columns(list(frame.columns))
    rows = pd.Series(np.arange(len(frame), dtype="int64") + FIRST_DATA_ROW, index=frame.index)
    geocoded = geocode_all(pd.unique(addresses_to_geocode(frame, columns)), geocoder, default_datum, progress)
    keys = duplicate_keys(frame, columns)
    first_rows = first_rows_of_duplicates(keys, rows)
    firsts = rows.isin(first_rows.to_numpy())
    context = PlacingContext(
        columns,
        SectorMatcher(atlas.sectors),
        default_datum,
        geocoded,
        first_rows,
        dict(zip(rows[firsts], key_cells(frame[firsts], columns), strict=True)),
        raw.problems,
        raw.notes,
    )
    enriched = enrich_chunk(frame, rows, context, index or ParkDistrictIndex(atlas), keys)
    replaced = tuple(c for c in frame.columns if c in OUTPUT_COLUMNS)
    return EnterpriseResult(enriched, firm_counts(enriched), columns, raw.encoding, replaced, _status_counts(enriched))
