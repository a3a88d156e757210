"""From a company list's text cells to WGS-84 points and atlas sectors, one chunk of rows at a time.

Everything here is vectorised over a pandas chunk and depends only on the chunk and a ``PlacingContext``,
so the in-memory engine (one chunk) and the dask engine (one chunk per partition) give identical rows.
A row that cannot be placed keeps every cell it had and says why, naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.crs import BEIJING_LAT_RANGE, BEIJING_LON_RANGE
from geo.datums import Datum, convert, parse_datum
from geo.geocode import Geocoder

from ..model.sectors import SectorVocabulary
from .reading import ColumnMap

STATUS_PLACED = "placed"
STATUS_OUTSIDE = "outside_beijing"
STATUS_NOT_PLACED = "not_placed"
STATUS_DUPLICATE = "duplicate"
STATUSES = (STATUS_PLACED, STATUS_OUTSIDE, STATUS_NOT_PLACED, STATUS_DUPLICATE)
#: Statuses drawn on the map and counted: a duplicate is shown once, through its first row.
DRAWN_STATUSES = (STATUS_PLACED, STATUS_OUTSIDE)


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-·]+", "", unicodedata.normalize("NFKC", text).casefold())


def map_values(values: pd.Series, lookup: Callable[[str], object]) -> np.ndarray:
    """``lookup`` applied once per distinct value: lists repeat a few sector and datum labels a million times."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [lookup(u) for u in uniques]
    return mapped[codes]


class SectorMatcher:
    """A list's sector labels onto the atlas's codes: by code, English or Chinese label, width- and case-folded."""

    def __init__(self, vocabulary: SectorVocabulary):
        self._codes: dict[str, str] = {}
        for sector in vocabulary:
            for key in (sector.code, sector.label_en, sector.label_zh):
                self._codes.setdefault(_fold(key), sector.code)

    def match(self, labels: pd.Series) -> pd.Series:
        """The code for each label; '' where the label is empty or unknown."""
        return pd.Series(
            map_values(labels, lambda label: self._codes.get(_fold(label), "")), index=labels.index, dtype=object
        )


@dataclass(frozen=True)
class GeocodedAddress:
    """A geocoder's answer for one address, reduced to what a row needs."""

    lon: float | None
    lat: float | None
    how: str
    problem: str = ""
    #: how far the point may be from the firm: a park's or district's centre stands for every address inside it
    precision_m: float | None = None


def geocode_addresses(
    addresses: Iterable[str],
    geocoder: Geocoder,
    datum: str = "wgs84",
    progress: Callable[[list[str]], Iterable[str]] = lambda items: items,
) -> dict[str, GeocodedAddress]:
    """Each distinct address geocoded once (through the geocoder's cache, throttle and retries)."""
    answers = {}
    for address in progress(sorted(set(addresses))):
        result = geocoder.geocode(address, datum=datum)
        if result.ok:
            candidate = result.candidate
            answers[address] = GeocodedAddress(
                candidate.lon,
                candidate.lat,
                f"geocoded ({result.provider}: {candidate.match})",
                precision_m=candidate.precision_m,
            )
        else:
            why = "not found" if result.status == "not_found" else result.reason or result.status
            answers[address] = GeocodedAddress(None, None, "", f"address: {address!r} {why} ({result.provider})")
    return answers


@dataclass(frozen=True)
class PlacingContext:
    """What placing a chunk needs beyond the chunk: shared by every chunk of one list."""

    columns: ColumnMap
    matcher: SectorMatcher
    default_datum: Datum = Datum.WGS84
    geocoded: Mapping[str, GeocodedAddress] = field(default_factory=dict)
    #: (key, check) hash pair -> the row number of its first occurrence, for pairs seen more than once
    first_rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    #: those first rows -> their cells (``key_cells``): a row is a duplicate only when its cells are the same
    first_cells: Mapping[int, str] = field(default_factory=dict)
    #: problems the parser met, by row number (e.g. a row with more cells than the header)
    parse_problems: Mapping[int, str] = field(default_factory=dict)
    #: notes the parser left on rows it kept as written (a line break inside a cell), by row number
    parse_notes: Mapping[int, str] = field(default_factory=dict)


def cells(chunk: pd.DataFrame, column: str | None) -> pd.Series:
    """A column's cells as stripped text ('' when the file has no such column)."""
    if column is None:
        return pd.Series("", index=chunk.index, dtype=object)
    return chunk[column].fillna("").astype(str).str.strip()


#: The second hash's key (16 bytes): independent of pandas' default, so the pair is a 128-bit key.
CHECK_HASH_KEY = "atlas-check-0001"
#: Between a row's cells in ``key_cells`` (ASCII's unit separator: two different rows could join alike only if
#: their cells hold it where the other's break, and their 128-bit hash pairs matched as well).
CELL_SEPARATOR = "\x1f"


def _used_cells(chunk: pd.DataFrame, columns: ColumnMap) -> pd.DataFrame:
    return pd.DataFrame({c: cells(chunk, c) for c in columns.used}, index=chunk.index)


def duplicate_keys(chunk: pd.DataFrame, columns: ColumnMap) -> pd.DataFrame:
    """Two independent 64-bit hashes (``key``, ``check``) of the cells the atlas reads (stripped).

    Rows with equal pairs are duplicate candidates: two different rows share a pair with a chance of about
    n^2 / 2^129 for n rows (1e-22 at a hundred million), and every candidate is then confirmed against its first
    row's cells (``key_cells``), so a collision is never reported as a duplicate.
    """
    used = _used_cells(chunk, columns)
    return pd.DataFrame(
        {
            "key": pd.util.hash_pandas_object(used, index=False).astype("uint64"),
            "check": pd.util.hash_pandas_object(used, index=False, hash_key=CHECK_HASH_KEY).astype("uint64"),
        },
        index=chunk.index,
    )


def key_cells(chunk: pd.DataFrame, columns: ColumnMap) -> pd.Series:
    """The cells the atlas reads, joined: what a duplicate must equal, cell for cell."""
    used = _used_cells(chunk, columns)
    if used.empty:
        return pd.Series("", index=chunk.index, dtype=object)
    return used.astype(str).agg(CELL_SEPARATOR.join, axis=1).astype(object)


def first_rows_of_duplicates(keys: pd.DataFrame, rows: pd.Series) -> pd.Series:
    """For key pairs that occur more than once: (key, check) -> the row number of the first occurrence."""
    grouped = (
        pd.DataFrame({"key": keys["key"].to_numpy(), "check": keys["check"].to_numpy(), "row": rows.to_numpy()})
        .groupby(["key", "check"])["row"]
        .agg(["min", "size"])
    )
    return grouped.loc[grouped["size"] > 1, "min"].astype("int64")


def addresses_to_geocode(chunk: pd.DataFrame, columns: ColumnMap) -> pd.Series:
    """Addresses of rows that give no coordinate at all (the only rows an address places)."""
    address = cells(chunk, columns.address)
    no_coordinates = (cells(chunk, columns.lon) == "") & (cells(chunk, columns.lat) == "")
    return address[no_coordinates & (address != "")]


class _Notes:
    """Per-row messages, joined with '; ' in the order they were added; built only for the rows flagged."""

    def __init__(self, index: pd.Index):
        self.text = np.full(len(index), "", dtype=object)

    def add(self, mask: pd.Series | np.ndarray, message: str | Callable[[np.ndarray], object]) -> None:
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(where):
            return
        new = message(where) if callable(message) else message
        new = np.asarray(new, dtype=object) if not isinstance(new, str) else new
        old = self.text[where]
        self.text[where] = np.where(old == "", new, old + "; " + new)


def _in(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def _numbers(text: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Cells as floats, NaN where empty or unreadable: numpy's parser first, pandas' forgiving one if a cell fails."""
    try:
        return np.asarray(np.where(present, text, "nan"), dtype=float)
    except ValueError:
        return pd.to_numeric(pd.Series(np.where(present, text, None), dtype=object), errors="coerce").to_numpy(
            dtype=float
        )


def _objects(values: np.ndarray, index: pd.Index) -> pd.Series:
    # dtype=object: pandas would otherwise copy every text column into Arrow strings, a second per million rows.
    return pd.Series(values, index=index, dtype=object)


def place_chunk(
    chunk: pd.DataFrame, rows: pd.Series, context: PlacingContext, keys: pd.Series | None = None
) -> pd.DataFrame:
    """Points (WGS-84), sector codes and problems for each row; columns prefixed ``atlas_``.

    ``rows`` gives each row's number as a spreadsheet shows it (header = row 1); ``keys`` the rows' duplicate
    keys when the caller has them already (hashing is a second per million rows).
    """
    columns = context.columns
    n = len(chunk)
    row_numbers = rows.to_numpy(dtype="int64")
    errors, warnings = _Notes(chunk.index), _Notes(chunk.index)
    if context.parse_problems:
        parsed = np.array([context.parse_problems.get(int(r), "") for r in row_numbers], dtype=object)
        errors.add(parsed != "", lambda where: parsed[where])
    if context.parse_notes:
        noted = np.array([context.parse_notes.get(int(r), "") for r in row_numbers], dtype=object)
        warnings.add(noted != "", lambda where: noted[where])

    text = {
        role: cells(chunk, getattr(columns, role)).to_numpy(dtype=object)
        for role in ("name", "sector", "lon", "lat", "datum", "address")
    }
    errors.add(text["name"] == "", f"name: empty (column {columns.name!r})")

    labels = text["sector"]
    sector = context.matcher.match(pd.Series(labels)).to_numpy(dtype=object)
    warnings.add(labels == "", f"sector: empty (column {columns.sector!r}); kept as unmapped")
    warnings.add(
        (labels != "") & (sector == ""),
        lambda where: [
            f"sector: {v!r} is not in the atlas's sector vocabulary; kept as unmapped" for v in labels[where]
        ],
    )

    lon_text, lat_text = text["lon"], text["lat"]
    has_lon, has_lat = lon_text != "", lat_text != ""
    errors.add(has_lon & ~has_lat, "lat: empty while lon is given")
    errors.add(has_lat & ~has_lon, "lon: empty while lat is given")
    lon, lat = _numbers(lon_text, has_lon), _numbers(lat_text, has_lat)
    errors.add(has_lon & np.isnan(lon), lambda where: [f"lon: {v!r} is not a number" for v in lon_text[where]])
    errors.add(has_lat & np.isnan(lat), lambda where: [f"lat: {v!r} is not a number" for v in lat_text[where]])
    numeric = ~np.isnan(lon) & ~np.isnan(lat)

    def pair(where: np.ndarray) -> list[str]:
        return [f"({x}, {y})" for x, y in zip(lon_text[where], lat_text[where], strict=False)]

    swapped = numeric & _in(lon, BEIJING_LAT_RANGE) & _in(lat, BEIJING_LON_RANGE)
    errors.add(
        swapped,
        lambda where: [
            f"lon/lat: {p} look swapped: the longitude is in the lat column; swap the two columns" for p in pair(where)
        ],
    )
    out_of_range = numeric & ~swapped & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    errors.add(
        out_of_range, lambda where: [f"lon/lat: {p} out of range (lon -180..180, lat -90..90)" for p in pair(where)]
    )
    usable = numeric & ~swapped & ~out_of_range

    def datum_of(value: str) -> str:
        try:
            return parse_datum(value).value if value else context.default_datum.value
        except ValueError:
            return ""

    datum = map_values(pd.Series(text["datum"]), datum_of)
    bad_datum = usable & (datum == "")
    errors.add(
        bad_datum, lambda where: [f"datum: {v!r} is not one of wgs84, gcj02, bd09" for v in text["datum"][where]]
    )
    usable &= ~bad_datum

    out_lon, out_lat, precision = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    how = np.full(n, "", dtype=object)
    for value in pd.unique(datum[usable]):
        chosen = usable & (datum == value)
        out_lon[chosen], out_lat[chosen] = convert(lon[chosen], lat[chosen], value, Datum.WGS84)
        how[chosen] = f"coordinates ({value})"

    address = text["address"]
    by_address = ~has_lon & ~has_lat
    errors.add(by_address & (address == ""), "no location: no coordinates and no address")
    geocodable = np.flatnonzero(by_address & (address != ""))
    if len(geocodable):
        answers = [context.geocoded.get(a) for a in address[geocodable]]
        if any(a is None for a in answers):
            first = next(a for a, answer in zip(address[geocodable], answers, strict=False) if answer is None)
            raise ValueError(f"address {first!r} was not geocoded before placing")
        for i, answer in zip(geocodable, answers, strict=False):
            if answer.lon is not None:
                out_lon[i], out_lat[i], how[i] = answer.lon, answer.lat, answer.how
                precision[i] = np.nan if answer.precision_m is None else answer.precision_m
        failed = np.array([a.lon is None for a in answers])
        problems = np.array([a.problem for a in answers], dtype=object)
        mask = np.zeros(n, dtype=bool)
        mask[geocodable[failed]] = True
        errors.add(mask, lambda where: problems[failed])

    status = np.where(errors.text != "", STATUS_NOT_PLACED, STATUS_PLACED).astype(object)
    if len(context.first_rows):
        keys = duplicate_keys(chunk, columns) if keys is None else keys
        pairs = pd.MultiIndex.from_arrays([keys["key"].to_numpy(), keys["check"].to_numpy()])
        first = context.first_rows.reindex(pairs).to_numpy(dtype=float)
        duplicate = ~np.isnan(first) & (first != row_numbers) & (status == STATUS_PLACED)
        if duplicate.any():  # confirmed cell for cell against the first row: never a hash collision
            mine = key_cells(chunk.iloc[np.flatnonzero(duplicate)], columns).to_numpy(dtype=object)
            theirs = np.array([context.first_cells.get(int(r)) for r in first[duplicate]], dtype=object)
            duplicate[np.flatnonzero(duplicate)[mine != theirs]] = False
        warnings.add(
            duplicate, lambda where: [f"duplicate of row {int(r)}; not drawn or counted again" for r in first[where]]
        )
        status[duplicate] = STATUS_DUPLICATE
    not_placed = status == STATUS_NOT_PLACED
    out_lon[not_placed], out_lat[not_placed], precision[not_placed], how[not_placed] = np.nan, np.nan, np.nan, ""

    problems = np.where(
        warnings.text == "", errors.text, np.where(errors.text == "", warnings.text, errors.text + "; " + warnings.text)
    )
    index = chunk.index
    return pd.DataFrame(
        {
            "atlas_row": pd.Series(row_numbers, index=index),
            "atlas_status": _objects(status, index),
            "atlas_problems": _objects(problems, index),
            "atlas_lon": pd.Series(out_lon, index=index),
            "atlas_lat": pd.Series(out_lat, index=index),
            "atlas_located_by": _objects(how, index),
            "atlas_precision_m": pd.Series(precision, index=index),
            "atlas_sector": _objects(sector, index),
        },
        index=index,
    )
