"""From a company list's text cells to WGS-84 points and atlas sectors, one chunk of rows at a time.

Everything here is vectorised over a pandas chunk and depends only on the chunk and a ``PlacingContext``,
so the in-memory engine (one chunk) and the dask engine (one chunk per partition) give identical rows.
A row that cannot be placed keeps every cell it had and says why, naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from geo.crs import BEIJING_LAT_RANGE, BEIJING_LON_RANGE
from geo.datums import Datum, convert, parse_datum
from geo.geocode import Geocoder

from ..sectors import SectorVocabulary
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


class SectorMatcher:
    """A list's sector labels onto the atlas's codes: by code, English or Chinese label, width- and case-folded."""

    def __init__(self, vocabulary: SectorVocabulary):
        self._codes: dict[str, str] = {}
        for sector in vocabulary:
            for key in (sector.code, sector.label_en, sector.label_zh):
                self._codes.setdefault(_fold(key), sector.code)

    def match(self, labels: pd.Series) -> pd.Series:
        """The code for each label; '' where the label is empty or unknown."""
        unique = pd.unique(labels)
        mapping = {label: self._codes.get(_fold(label), "") for label in unique}
        return labels.map(mapping)


@dataclass(frozen=True)
class GeocodedAddress:
    """A geocoder's answer for one address, reduced to what a row needs."""

    lon: float | None
    lat: float | None
    how: str
    problem: str = ""


def geocode_addresses(addresses: Iterable[str], geocoder: Geocoder, datum: str = "wgs84",
                      progress: Callable[[list[str]], Iterable[str]] = lambda items: items) -> dict[str, GeocodedAddress]:
    """Each distinct address geocoded once (through the geocoder's cache, throttle and retries)."""
    answers = {}
    for address in progress(sorted(set(addresses))):
        result = geocoder.geocode(address, datum=datum)
        if result.ok:
            candidate = result.candidate
            answers[address] = GeocodedAddress(candidate.lon, candidate.lat, f"geocoded ({result.provider}: {candidate.match})")
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
    #: duplicate-key hash -> the row number of its first occurrence, for keys seen more than once
    first_rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    #: problems the parser met, by row number (e.g. a row with more cells than the header)
    parse_problems: Mapping[int, str] = field(default_factory=dict)


def cells(chunk: pd.DataFrame, column: str | None) -> pd.Series:
    """A column's cells as stripped text ('' when the file has no such column)."""
    if column is None:
        return pd.Series("", index=chunk.index, dtype=object)
    return chunk[column].fillna("").astype(str).str.strip()


def duplicate_keys(chunk: pd.DataFrame, columns: ColumnMap) -> pd.Series:
    """A 64-bit hash of the cells the atlas reads (stripped): rows with equal keys are duplicates."""
    used = pd.DataFrame({c: cells(chunk, c) for c in columns.used}, index=chunk.index)
    return pd.util.hash_pandas_object(used, index=False).astype("uint64")


def addresses_to_geocode(chunk: pd.DataFrame, columns: ColumnMap) -> pd.Series:
    """Addresses of rows that give no coordinate at all (the only rows an address places)."""
    address = cells(chunk, columns.address)
    no_coordinates = (cells(chunk, columns.lon) == "") & (cells(chunk, columns.lat) == "")
    return address[no_coordinates & (address != "")]


class _Notes:
    """Per-row messages, joined with '; ' in the order they were added."""

    def __init__(self, index: pd.Index):
        self.text = pd.Series("", index=index, dtype=object)

    def add(self, mask: pd.Series, message: str | pd.Series) -> None:
        mask = mask.to_numpy(dtype=bool)
        if not mask.any():
            return
        new = message[mask] if isinstance(message, pd.Series) else message
        old = self.text[mask]
        self.text[mask] = np.where(old == "", new, old + "; " + new)


def _in(values: pd.Series, bounds: tuple[float, float]) -> pd.Series:
    return (values >= bounds[0]) & (values <= bounds[1])


def place_chunk(chunk: pd.DataFrame, rows: pd.Series, context: PlacingContext) -> pd.DataFrame:
    """Points (WGS-84), sector codes and problems for each row; columns prefixed ``atlas_``.

    ``rows`` gives each row's number as a spreadsheet shows it (header = row 1).
    """
    columns = context.columns
    errors, warnings = _Notes(chunk.index), _Notes(chunk.index)
    if context.parse_problems:
        parsed = rows.map(context.parse_problems).fillna("")
        errors.add(parsed != "", parsed)

    name = cells(chunk, columns.name)
    errors.add(name == "", f"name: empty (column {columns.name!r})")

    sector_label = cells(chunk, columns.sector)
    sector = context.matcher.match(sector_label)
    warnings.add(sector_label == "", f"sector: empty (column {columns.sector!r}); kept as unmapped")
    unknown = (sector_label != "") & (sector == "")
    warnings.add(unknown, "sector: " + sector_label.map(repr) + " is not in the atlas's sector vocabulary; kept as unmapped")

    lon_text, lat_text = cells(chunk, columns.lon), cells(chunk, columns.lat)
    has_lon, has_lat = lon_text != "", lat_text != ""
    errors.add(has_lon & ~has_lat, "lat: empty while lon is given")
    errors.add(has_lat & ~has_lon, "lon: empty while lat is given")
    lon = pd.to_numeric(lon_text.where(has_lon), errors="coerce")
    lat = pd.to_numeric(lat_text.where(has_lat), errors="coerce")
    errors.add(has_lon & lon.isna(), "lon: " + lon_text.map(repr) + " is not a number")
    errors.add(has_lat & lat.isna(), "lat: " + lat_text.map(repr) + " is not a number")
    numeric = lon.notna() & lat.notna()
    pair = "(" + lon_text + ", " + lat_text + ")"
    swapped = numeric & _in(lon, BEIJING_LAT_RANGE) & _in(lat, BEIJING_LON_RANGE)
    errors.add(swapped, "lon/lat: " + pair + " look swapped: the longitude is in the lat column; swap the two columns")
    out_of_range = numeric & ~swapped & ((lon.abs() > 180) | (lat.abs() > 90))
    errors.add(out_of_range, "lon/lat: " + pair + " out of range (lon -180..180, lat -90..90)")
    usable = numeric & ~swapped & ~out_of_range

    datum_text = cells(chunk, columns.datum)
    datum_of = {}
    for value in pd.unique(datum_text):
        try:
            datum_of[value] = parse_datum(value).value if value else context.default_datum.value
        except ValueError:
            datum_of[value] = ""
    datum = datum_text.map(datum_of)
    bad_datum = usable & (datum == "")
    errors.add(bad_datum, "datum: " + datum_text.map(repr) + " is not one of wgs84, gcj02, bd09")
    usable &= ~bad_datum

    out_lon = pd.Series(np.nan, index=chunk.index)
    out_lat = pd.Series(np.nan, index=chunk.index)
    how = pd.Series("", index=chunk.index, dtype=object)
    for value in pd.unique(datum[usable]):
        chosen = usable & (datum == value)
        x, y = convert(lon[chosen].to_numpy(), lat[chosen].to_numpy(), value, Datum.WGS84)
        out_lon[chosen], out_lat[chosen] = x, y
        how[chosen] = f"coordinates ({value})"

    address = cells(chunk, columns.address)
    by_address = ~has_lon & ~has_lat
    errors.add(by_address & (address == ""), "no location: no coordinates and no address")
    geocodable = by_address & (address != "")
    if geocodable.any():
        answers = address.where(geocodable).map(context.geocoded)
        unanswered = geocodable & answers.isna()
        if unanswered.any():
            raise ValueError(f"address {address[unanswered].iloc[0]!r} was not geocoded before placing")
        found = geocodable & answers.map(lambda a: isinstance(a, GeocodedAddress) and a.lon is not None)
        out_lon[found] = answers[found].map(lambda a: a.lon).astype(float)
        out_lat[found] = answers[found].map(lambda a: a.lat).astype(float)
        how[found] = answers[found].map(lambda a: a.how)
        errors.add(geocodable & ~found, answers.map(lambda a: a.problem if isinstance(a, GeocodedAddress) else ""))

    status = pd.Series(STATUS_PLACED, index=chunk.index, dtype=object)
    status[errors.text != ""] = STATUS_NOT_PLACED
    if len(context.first_rows):
        first = duplicate_keys(chunk, columns).map(context.first_rows)
        duplicate = first.notna() & (first != rows) & (status == STATUS_PLACED)
        warnings.add(duplicate, "duplicate of row " + first.fillna(0).astype("int64").astype(str) + "; not drawn or counted again")
        status[duplicate] = STATUS_DUPLICATE
    out_lon[status == STATUS_NOT_PLACED] = np.nan
    out_lat[status == STATUS_NOT_PLACED] = np.nan
    how[status == STATUS_NOT_PLACED] = ""

    problems = errors.text.where(warnings.text == "", np.where(errors.text == "", warnings.text, errors.text + "; " + warnings.text))
    return pd.DataFrame({
        "atlas_row": rows.astype("int64"),
        "atlas_status": status,
        "atlas_problems": problems,
        "atlas_lon": out_lon.round(7),
        "atlas_lat": out_lat.round(7),
        "atlas_located_by": how,
        "atlas_sector": sector,
    }, index=chunk.index)
