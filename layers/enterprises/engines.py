"""Two engines over the same chunk functions: pandas in memory, and dask-geopandas-style partitions on disk.

``memory`` reads the whole list, places and joins it as one chunk and keeps the result for the app.
``dask`` streams a CSV in blocks through the very same ``enrich_chunk``: each partition is placed, joined
against the same spatial index, written to its own part file and reduced to counts, so memory stays bounded
by the block size times the worker threads. Two cheap passes: the first finds duplicate keys and the
addresses to geocode across the whole file, the second does the work.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.datums import Datum
from geo.geocode import Geocoder

from ..files import STALE_AFTER_S, write_atomically
from ..model.load import Atlas
from .joining import JOIN_COLUMNS, ParkDistrictIndex, firm_counts, normalise_counts
from .output import BOM, write_csv_rows
from .placing import (
    STATUSES,
    GeocodedAddress,
    PlacingContext,
    SectorMatcher,
    addresses_to_geocode,
    duplicate_keys,
    geocode_addresses,
    place_chunk,
)
from .reading import FIRST_DATA_ROW, ColumnMap, EnterpriseInputError, RawTable, detect_encoding, resolve_columns

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
#: Rows per dask partition are set by bytes: 64 MB of CSV is about 600,000 firms.
DEFAULT_BLOCKSIZE = "64MB"
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


def first_rows_of_duplicates(keys: pd.Series, rows: pd.Series) -> pd.Series:
    """For keys that occur more than once: key -> the row number of the first occurrence."""
    grouped = pd.DataFrame({"key": keys.to_numpy(), "row": rows.to_numpy()}).groupby("key")["row"].agg(["min", "size"])
    return grouped.loc[grouped["size"] > 1, "min"].astype("int64")


def _geocode(
    addresses: Iterable[str], geocoder: Geocoder | None, datum: Datum, progress: Progress
) -> dict[str, GeocodedAddress]:
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
    geocoded = _geocode(pd.unique(addresses_to_geocode(frame, columns)), geocoder, default_datum, progress)
    keys = duplicate_keys(frame, columns)
    context = PlacingContext(
        columns,
        SectorMatcher(atlas.sectors),
        default_datum,
        geocoded,
        first_rows_of_duplicates(keys, rows),
        raw.problems,
        raw.notes,
    )
    enriched = enrich_chunk(frame, rows, context, index or ParkDistrictIndex(atlas), keys)
    replaced = tuple(c for c in frame.columns if c in OUTPUT_COLUMNS)
    return EnterpriseResult(enriched, firm_counts(enriched), columns, raw.encoding, replaced, _status_counts(enriched))


# --- the dask engine ---------------------------------------------------------------------------------

_ROW = "__atlas_row__"


@dataclass
class DaskRun:
    """What the dask engine returns: the counts and totals; the rows themselves are in the files it wrote."""

    counts: pd.DataFrame
    status_counts: dict[str, int]
    columns: ColumnMap
    encoding: str
    partitions: int


def _malformed(path: Path, error: Exception) -> EnterpriseInputError:
    detail = str(error).strip().splitlines()[-1]
    return EnterpriseInputError(
        f"{path.name}: malformed CSV ({detail}); the memory engine keeps such rows and reports "
        "each one: run with --engine memory"
    )


PARTS_PREFIX = ".atlas-parts-"


def _remove_abandoned_parts(folder: Path) -> None:
    """Part files of a run that was killed (kill -9 leaves them): removed once old enough to be abandoned."""
    for parts in folder.glob(f"{PARTS_PREFIX}*"):
        try:
            if parts.is_dir() and time.time() - parts.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(parts, ignore_errors=True)
        except OSError:
            continue


def _spans_lines(chunk: pd.DataFrame) -> pd.Series:
    text = chunk.drop(columns=[_ROW], errors="ignore")
    return pd.Series([bool(text.apply(lambda c: c.str.contains("\n", regex=False, na=False)).to_numpy().any())])


def _read_dask(path: Path, blocksize: str | int):
    import dask.dataframe as dd

    with open(path, "rb") as handle:
        sample = handle.read(1 << 20)
    if not sample.strip():
        raise EnterpriseInputError(f"{path.name}: the file is empty; expected a header row and one row per firm")
    encoding = detect_encoding(sample)
    readable = "utf-8-sig" if encoding == "utf-8" else encoding  # pandas drops a UTF-8 byte-order mark only so
    try:
        header = [str(c).strip().lstrip("\ufeff") for c in pd.read_csv(path, nrows=0, encoding=readable).columns]
        # The sample that dask reads the columns from must hold a whole row, however long its cells.
        ddf = dd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=readable,
            blocksize=blocksize,
            sample=max(4 << 20, len(sample)),
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise _malformed(path, error) from None
    ddf.columns = header
    ones = ddf[header[0]].map_partitions(lambda s: pd.Series(1, index=s.index, dtype="int64"), meta=(None, "int64"))
    return ddf.assign(**{_ROW: ones.cumsum() + (FIRST_DATA_ROW - 1)}), header, encoding


def _write_csv_part(frame: pd.DataFrame, path: Path, keep_formulas: bool) -> None:
    with open(path, "wb") as handle:
        write_csv_rows(frame, handle, header=False, keep_formulas=keep_formulas)


def _concatenate(header: list[str], parts: list[Path], out: Path, keep_formulas: bool) -> None:
    """Header, then the parts in order, into ``out`` (UTF-8 with BOM), atomically."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as target:
            target.write(BOM)
            write_csv_rows(
                pd.DataFrame({c: pd.Series(dtype=object) for c in header}), target, keep_formulas=keep_formulas
            )
            for part in parts:
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, target, length=1 << 20)

    write_atomically(out, write)


def process_csv_dask(
    path: Path,
    atlas: Atlas,
    out: Path,
    report: Path,
    geocoder: Geocoder | None = None,
    default_datum: Datum = Datum.WGS84,
    progress: Progress = lambda items: items,
    blocksize: str | int = DEFAULT_BLOCKSIZE,
    keep_formulas: bool = False,
    **requested: str | None,
) -> DaskRun:
    """The dask engine: a CSV too big for comfort -> enriched CSV ``out`` and problem report ``report``."""
    import dask

    path, out, report = Path(path), Path(out), Path(report)
    ddf, header, encoding = _read_dask(path, blocksize)
    columns = resolve_columns(header, **requested)

    # Pass 1: duplicate keys and addresses across the whole file (small results, whatever the file's size).
    keyed = ddf.map_partitions(
        lambda c: pd.DataFrame({"key": duplicate_keys(c, columns), "row": c[_ROW]}),
        meta={"key": "uint64", "row": "int64"},
    )
    stats = keyed.groupby("key")["row"].agg(["min", "count"], split_out=max(1, ddf.npartitions // 8))
    duplicates = stats[stats["count"] > 1]["min"]
    addresses = ddf.map_partitions(lambda c: addresses_to_geocode(c, columns), meta=(None, object)).unique()
    # A cell holding a line break means a quote spanned lines: a stray one may have swallowed rows, and blocks split
    # at line ends cannot tell. The memory engine reads such files row by row and reports each repair.
    broken = ddf.map_partitions(_spans_lines, meta=(None, bool)).any()
    try:
        duplicates, addresses, spans = dask.compute(duplicates, addresses, broken)
    except (pd.errors.ParserError, ValueError) as error:
        raise _malformed(path, error) from None
    if spans:
        raise _malformed(path, ValueError("a quoted cell runs over several lines (a stray double quote?)"))
    geocoded = _geocode(list(addresses), geocoder, default_datum, progress)
    context = PlacingContext(columns, SectorMatcher(atlas.sectors), default_datum, geocoded, duplicates.astype("int64"))
    index = ParkDistrictIndex(atlas)

    # Pass 2: each partition placed, joined and written; only its counts come back.
    _remove_abandoned_parts(out.parent)
    with tempfile.TemporaryDirectory(prefix=PARTS_PREFIX, dir=out.parent) as folder:
        parts = Path(folder)

        def work(chunk: pd.DataFrame, partition_info=None) -> pd.DataFrame:
            number = (partition_info or {}).get("number", 0)
            enriched = enrich_chunk(chunk.drop(columns=[_ROW]), chunk[_ROW], context, index)
            _write_csv_part(enriched, parts / f"out-{number:06d}.csv", keep_formulas)
            _write_csv_part(report_rows(enriched, columns), parts / f"report-{number:06d}.csv", keep_formulas)
            statuses = pd.DataFrame(
                {
                    "scope": "status",
                    "key": list(STATUSES),
                    "sector": "",
                    "firms": [int((enriched["atlas_status"] == s).sum()) for s in STATUSES],
                }
            )
            return pd.concat([firm_counts(enriched), statuses], ignore_index=True)

        meta = {"scope": object, "key": object, "sector": object, "firms": "int64"}
        try:
            partial = ddf.map_partitions(work, meta=meta).compute()
        except (pd.errors.ParserError, ValueError) as error:
            raise _malformed(path, error) from None
        numbers = range(ddf.npartitions)
        out_header = [c for c in header if c not in OUTPUT_COLUMNS] + list(OUTPUT_COLUMNS)
        _concatenate(out_header, [parts / f"out-{i:06d}.csv" for i in numbers], out, keep_formulas)
        _concatenate(list(REPORT_COLUMNS), [parts / f"report-{i:06d}.csv" for i in numbers], report, keep_formulas)
    statuses = partial[partial["scope"] == "status"].groupby("key")["firms"].sum()
    return DaskRun(
        normalise_counts(partial[partial["scope"] != "status"]),
        {s: int(statuses.get(s, 0)) for s in STATUSES},
        columns,
        encoding,
        ddf.npartitions,
    )
