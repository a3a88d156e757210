"""The dask engine: a list too big for one machine's memory, on one machine or a ``dask.distributed`` cluster.

The list (CSV or Parquet, a path or an fsspec URL) is read by dask's own readers, in blocks, on the workers. Two
passes over it: the first finds duplicate keys and the addresses to geocode across the whole list (small results),
the second places and joins each block through the same ``enrich_chunk`` as the memory engine and writes it where
the output goes, from the worker that made it; only counts come back. The park and district index (with the
duplicates and geocoded addresses) is broadcast to each worker once before the blocks run, never sent with them.

A CSV output is then put together by one task on a worker, streaming the parts in order into the target (no disk
shared with the client is needed); a GeoParquet output is the parts' folder itself (``geoparquet``). Everything is
written under temporary names and moved into place only when the whole run succeeded. dask retries the tasks of a
worker lost mid-run (each block's parts are simply written again).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
from dask.delayed import Delayed
from distributed import Client, get_client

from geo.datums import Datum
from geo.geocode import Geocoder

from ..model.load import Atlas
from . import geoparquet
from .engines import OUTPUT_COLUMNS, REPORT_COLUMNS, Progress, enrich_chunk, geocode_all, report_rows
from .joining import ParkDistrictIndex, firm_counts, normalise_counts
from .output import BOM, write_csv_rows
from .placing import STATUSES, PlacingContext, SectorMatcher, addresses_to_geocode, duplicate_keys, key_cells
from .reading import FIRST_DATA_ROW, ColumnMap, EnterpriseInputError, detect_encoding, resolve_columns
from .storage import TEMPORARY_MARK, Location

#: Rows per partition are set by bytes: 64 MB of CSV is about 600,000 firms.
DEFAULT_BLOCKSIZE = "64MB"
DASK_OUTPUTS = ("csv", "parquet")
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
_ROW = "__atlas_row__"
_COUNTS_META = {"scope": object, "key": object, "sector": object, "firms": "int64"}


@dataclass
class DaskRun:
    """What the dask engine returns: the counts and totals; the rows themselves are in the files it wrote."""

    counts: pd.DataFrame
    status_counts: dict[str, int]
    columns: ColumnMap
    encoding: str
    partitions: int
    #: where it ran: "local threads" or the scheduler's address
    ran_on: str = "local threads"


def scheduler_address(given: str | None) -> str | None:
    """The cluster to run on: ``--scheduler``, else ``DASK_SCHEDULER_ADDRESS``, else none (local threads)."""
    return given or os.environ.get(SCHEDULER_ENV) or None


def _malformed(name: str, error: Exception) -> EnterpriseInputError:
    detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    return EnterpriseInputError(
        f"{name}: malformed CSV ({detail}); the memory engine keeps such rows and reports each one: "
        "run with --engine memory"
    )


def _spans_lines(chunk: pd.DataFrame) -> pd.Series:
    text = chunk.drop(columns=[_ROW], errors="ignore")
    return pd.Series([bool(text.apply(lambda c: c.str.contains("\n", regex=False, na=False)).to_numpy().any())])


def _as_text(chunk: pd.DataFrame) -> pd.DataFrame:
    """A Parquet block's cells as the CSV reader gives them: text, missing as ''."""
    return pd.DataFrame(
        {c: chunk[c].astype(object).where(chunk[c].notna(), "").astype(str) for c in chunk.columns}, index=chunk.index
    )


def is_parquet(source: Location) -> bool:
    """A Parquet file or a folder of them (a dataset), judged by name or by being a folder."""
    return source.path.rstrip("/").endswith((".parquet", ".pq")) or bool(source.fs.isdir(source.path))


def read_list(source: Location, blocksize: str | int) -> tuple[dd.DataFrame, list[str], str]:
    """The list as a dask frame of text cells with each row's number (``_ROW``), its header and its encoding.

    Row numbers are those a spreadsheet shows for a CSV (the header is row 1); a Parquet list's rows are numbered
    the same way (its first record is row 2), so one list gets the same numbers in either format.
    """
    if not source.exists():
        raise EnterpriseInputError(f"{source.url}: no such file")
    if is_parquet(source):
        ddf = dd.read_parquet(source.url, storage_options=dict(source.options), blocksize=blocksize)
        header = [str(c) for c in ddf.columns]
        ddf = ddf.map_partitions(_as_text, meta={c: object for c in header})
        encoding = "parquet"
    else:
        with source.open("rb") as handle:
            sample = handle.read(1 << 20)
        if not sample.strip():
            raise EnterpriseInputError(f"{source.name}: the file is empty; expected a header row and one row per firm")
        encoding = detect_encoding(sample)
        readable = "utf-8-sig" if encoding == "utf-8" else encoding  # pandas drops a UTF-8 byte-order mark only so
        try:
            with source.open("rb") as handle:
                names = pd.read_csv(handle, nrows=0, encoding=readable).columns
            header = [str(c).strip().lstrip("\ufeff") for c in names]
            ddf = dd.read_csv(
                source.url,
                storage_options=dict(source.options),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                encoding=readable,
                blocksize=blocksize,
                # The sample that dask reads the columns from must hold a whole row, however long its cells.
                sample=max(4 << 20, len(sample)),
            )
        except (pd.errors.ParserError, ValueError) as error:
            raise _malformed(source.name, error) from None
        ddf.columns = header
    ones = ddf[header[0]].map_partitions(lambda s: pd.Series(1, index=s.index, dtype="int64"), meta=(None, "int64"))
    return ddf.assign(**{_ROW: ones.cumsum() + (FIRST_DATA_ROW - 1)}), header, encoding


def _client(scheduler: str | None) -> AbstractContextManager:
    """A client of the cluster at ``scheduler`` (dask's default scheduler while it is open), else local threads."""
    if not scheduler:
        # This machine's threads, even when the process holds a client of some cluster (dask's default otherwise).
        return dask.config.set({"scheduler": "threads", "dataframe.shuffle.method": "tasks"})
    try:
        return Client(scheduler, timeout="30s")
    except (OSError, ValueError) as error:
        raise EnterpriseInputError(f"cannot reach the dask scheduler at {scheduler}: {error}") from None


def process_with_dask(
    source: str,
    atlas: Atlas,
    out: str,
    report: str,
    geocoder: Geocoder | None = None,
    default_datum: Datum = Datum.WGS84,
    progress: Progress = lambda items: items,
    blocksize: str | int = DEFAULT_BLOCKSIZE,
    keep_formulas: bool = False,
    scheduler: str | None = None,
    storage_options: Mapping[str, Any] | None = None,
    out_format: str = "csv",
    **requested: str | None,
) -> DaskRun:
    """Place and join the list at ``source`` into ``out`` (CSV, or a GeoParquet folder) and ``report`` (CSV).

    Paths or fsspec URLs, opened with ``storage_options``; on the cluster at ``scheduler`` (an address such as
    tcp://10.0.0.5:8786), else on this machine's threads. ``out`` and ``report`` are written whole or not at all.
    """
    if out_format not in DASK_OUTPUTS:
        raise EnterpriseInputError(f"the dask engine writes {' or '.join(DASK_OUTPUTS)}, not {out_format}")
    options = dict(storage_options or {})
    where = Location.of(source, options)
    out_at, report_at = Location.of(out, options), Location.of(report, options)
    with _client(scheduler):
        ddf, header, encoding = read_list(where, blocksize)
        columns = resolve_columns(header, **requested)
        context = _first_pass(ddf, where, columns, atlas, geocoder, default_datum, progress)
        parts = out_at.sibling(f"{TEMPORARY_MARK}parts-{secrets.token_hex(6)}-{out_at.name}")
        try:
            index = ParkDistrictIndex(atlas)
            partial = _second_pass(ddf, where, columns, context, index, parts, out_format, keep_formulas)
            numbers = range(ddf.npartitions)
            out_header = [c for c in header if c not in OUTPUT_COLUMNS] + list(OUTPUT_COLUMNS)
            report_parts = [parts.child(f"report-{i:06d}.csv") for i in numbers]
            jobs = [dask.delayed(_concatenate)(list(REPORT_COLUMNS), report_parts, report_at, keep_formulas)]
            if out_format == "csv":
                out_parts = [parts.child(f"out-{i:06d}.csv") for i in numbers]
                jobs.append(dask.delayed(_concatenate)(out_header, out_parts, out_at, keep_formulas))
            dask.compute(*jobs)
            if out_format == "parquet":
                for part in report_parts:
                    part.remove()
                parts.replace(out_at)
        finally:
            parts.remove()
        ran_on = scheduler or "local threads"
    statuses = partial[partial["scope"] == "status"].groupby("key")["firms"].sum()
    return DaskRun(
        normalise_counts(partial[partial["scope"] != "status"]),
        {s: int(statuses.get(s, 0)) for s in STATUSES},
        columns,
        encoding,
        ddf.npartitions,
        ran_on,
    )


def _first_pass(
    ddf: dd.DataFrame,
    where: Location,
    columns: ColumnMap,
    atlas: Atlas,
    geocoder: Geocoder | None,
    datum: Datum,
    progress: Progress,
) -> PlacingContext:
    """Duplicate key pairs and their first rows' cells, and the geocoded addresses, across the whole list."""
    keyed = ddf.map_partitions(
        lambda c: duplicate_keys(c, columns).assign(row=c[_ROW].to_numpy()),
        meta={"key": "uint64", "check": "uint64", "row": "int64"},
    )
    stats = keyed.groupby(["key", "check"])["row"].agg(["min", "count"], split_out=max(1, ddf.npartitions // 8))
    duplicates = stats[stats["count"] > 1]["min"]
    addresses = ddf.map_partitions(lambda c: addresses_to_geocode(c, columns), meta=(None, object)).unique()
    # A cell holding a line break means a quote spanned lines: a stray one may have swallowed rows, and blocks split
    # at line ends cannot tell. The memory engine reads such files row by row and reports each repair.
    # (A Parquet cell may hold a line break: its rows are records, not lines.)
    broken = False if is_parquet(where) else ddf.map_partitions(_spans_lines, meta=(None, bool)).any()
    try:
        duplicates, addresses, spans = dask.compute(duplicates, addresses, broken)
    except (pd.errors.ParserError, ValueError) as error:
        raise _malformed(where.name, error) from None
    if spans:
        raise _malformed(where.name, ValueError("a quoted cell runs over several lines (a stray double quote?)"))
    firsts = pd.Index(duplicates.to_numpy(dtype="int64"))
    # The first rows' cells, which each candidate must equal: a third read of the list, only when there are any.
    first_cells = (
        ddf.map_partitions(
            lambda c: key_cells(c[c[_ROW].isin(firsts)], columns).set_axis(
                c.loc[c[_ROW].isin(firsts), _ROW].to_numpy()
            ),
            meta=(None, object),
        ).compute()
        if len(firsts)
        else pd.Series(dtype=object)
    )
    geocoded = geocode_all(list(addresses), geocoder, datum, progress)
    return PlacingContext(
        columns,
        SectorMatcher(atlas.sectors),
        datum,
        geocoded,
        duplicates.astype("int64").sort_index(),
        {int(row): cell for row, cell in first_cells.items()},
    )


def _second_pass(
    ddf: dd.DataFrame,
    where: Location,
    columns: ColumnMap,
    context: PlacingContext,
    index: ParkDistrictIndex,
    parts: Location,
    out_format: str,
    keep_formulas: bool,
) -> pd.DataFrame:
    """Each block placed, joined and written into ``parts`` by its worker; its counts come back."""
    shared = _to_every_worker((context, index))

    def work(chunk: pd.DataFrame, shared: tuple, partition_info=None) -> pd.DataFrame:
        placing, joined_by = shared
        number = (partition_info or {}).get("number", 0)
        enriched = enrich_chunk(chunk.drop(columns=[_ROW]), chunk[_ROW], placing, joined_by)
        if out_format == "csv":
            _write_part(enriched, parts.child(f"out-{number:06d}.csv"), keep_formulas)
        else:
            geoparquet.write_partition(enriched, parts, number)
        _write_part(report_rows(enriched, columns), parts.child(f"report-{number:06d}.csv"), keep_formulas)
        statuses = pd.DataFrame(
            {
                "scope": "status",
                "key": list(STATUSES),
                "sector": "",
                "firms": [int((enriched["atlas_status"] == s).sum()) for s in STATUSES],
            }
        )
        return pd.concat([firm_counts(enriched), statuses], ignore_index=True)

    try:
        return ddf.map_partitions(work, shared, meta=_COUNTS_META).compute()
    except (pd.errors.ParserError, ValueError) as error:
        raise _malformed(where.name, error) from None


def _to_every_worker(value: object) -> Delayed:
    """``value`` as a graph argument that each worker holds once: broadcast to a cluster's workers before the
    run (the graph then carries only its key), or, on local threads, one shared task."""
    try:
        client = None if dask.config.get("scheduler", None) == "threads" else get_client()
    except ValueError:
        client = None
    if client is None:  # this machine's threads share the one object
        return dask.delayed(value, pure=True)
    return dask.delayed(client.scatter(value, broadcast=True, hash=False))


def _write_part(frame: pd.DataFrame, part: Location, keep_formulas: bool) -> None:
    with part.open("wb") as handle:
        write_csv_rows(frame, handle, header=False, keep_formulas=keep_formulas)


def _concatenate(header: list[str], parts: list[Location], target: Location, keep_formulas: bool) -> None:
    """Header, then the parts in order, streamed into ``target`` (UTF-8 with BOM): run as a task on a worker."""
    with target.open("wb") as out:
        out.write(BOM)
        write_csv_rows(pd.DataFrame({c: pd.Series(dtype=object) for c in header}), out, keep_formulas=keep_formulas)
        for part in parts:
            with part.open("rb") as source:
                while block := source.read(1 << 22):
                    out.write(block)
