"""Reading a company list: CSV (UTF-8 or GBK/GB18030) or Excel, and finding which column holds what."""

from __future__ import annotations

import io
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from geo.geocode.batch import INPUT_ENCODINGS, BatchInputError, parse_input

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
#: Rows are numbered as a spreadsheet shows them: the header is row 1, the first firm row 2.
FIRST_DATA_ROW = 2


class EnterpriseInputError(ValueError):
    """The file cannot be used as a company list; the message says what to change."""


#: Header names recognised for each role, compared case-folded and without surrounding spaces.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "name": ("name", "company", "enterprise", "firm", "企业名称", "名称", "公司名称", "企业", "单位名称"),
    "sector": ("sector", "industry", "行业", "产业", "所属行业", "产业领域", "行业分类"),
    "lon": ("lon", "lng", "long", "longitude", "经度", "x"),
    "lat": ("lat", "latitude", "纬度", "y"),
    "datum": ("datum", "crs", "coordinate_system", "坐标系"),
    "address": ("address", "addr", "地址", "注册地址", "企业地址", "住所", "经营地址"),
}


@dataclass(frozen=True)
class ColumnMap:
    """Which column of the file holds each thing the atlas reads; None where the file has no such column."""

    name: str
    sector: str
    lon: str | None = None
    lat: str | None = None
    datum: str | None = None
    address: str | None = None

    @property
    def used(self) -> tuple[str, ...]:
        """The file's columns that the atlas reads, in a fixed order."""
        return tuple(getattr(self, f.name) for f in fields(self) if getattr(self, f.name))

    @property
    def has_coordinates(self) -> bool:
        return self.lon is not None and self.lat is not None


def resolve_columns(header: list[str], **requested: str | None) -> ColumnMap:
    """Match roles to the file's columns: those named in ``requested`` (e.g. ``name="企业"``), else by guess.

    Raises EnterpriseInputError naming what is missing, what was looked for and the columns the file has.
    """
    have = ", ".join(repr(h) for h in header)
    folded = {str(h).strip().casefold(): h for h in header}
    found: dict[str, str | None] = {}
    for role, guesses in COLUMN_GUESSES.items():
        asked = requested.get(role)
        if asked:
            if asked not in header:
                raise EnterpriseInputError(f"no column {asked!r} for the {role}; the file's columns are: {have}")
            found[role] = asked
            continue
        found[role] = next((folded[g] for g in guesses if g in folded), None)
    for role in ("name", "sector"):
        if found[role] is None:
            raise EnterpriseInputError(
                f"missing column: the firm's {role} (looked for {', '.join(COLUMN_GUESSES[role])}); "
                f"the file's columns are: {have}; name it with --{role}-column"
            )
    if (found["lon"] is None) != (found["lat"] is None):
        missing = "lat" if found["lat"] is None else "lon"
        raise EnterpriseInputError(f"missing column: {missing} (there is a {'lon' if missing == 'lat' else 'lat'} column); the file's columns are: {have}")
    if found["lon"] is None and found["address"] is None:
        raise EnterpriseInputError(
            "missing columns: neither coordinates (lon and lat, 经度 and 纬度) nor an address (address, 地址) to geocode; "
            f"the file's columns are: {have}"
        )
    return ColumnMap(**found)


@dataclass(frozen=True)
class RawTable:
    """The file's cells as text, every row kept; ``problems`` holds rows the parser had to repair, by row number."""

    frame: pd.DataFrame
    encoding: str
    problems: dict[int, str]


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK and GB2312), judged from the bytes given."""
    for encoding in INPUT_ENCODINGS:
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            # A sample cut mid-character fails only in its last few bytes.
            if encoding == "utf-8-sig" and error.start >= len(sample) - 3:
                return encoding
    raise EnterpriseInputError("the file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8 from Excel")


def read_enterprise_table(source: Path | bytes, filename: str | None = None) -> RawTable:
    """Read a CSV or Excel company list into text cells; ``filename`` gives the type when ``source`` is bytes."""
    name = filename or (source.name if isinstance(source, Path) else "upload.csv")
    suffix = Path(name).suffix.lower()
    data = source.read_bytes() if isinstance(source, Path) else source
    if not data.strip():
        raise EnterpriseInputError(f"{name}: the file is empty; expected a header row and one row per firm")
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(data, name)
    if suffix == ".xls":
        raise EnterpriseInputError(f"{name}: old Excel .xls files are not read; save it as .xlsx or CSV")
    if suffix and suffix not in CSV_SUFFIXES:
        raise EnterpriseInputError(f"{name}: expected a .csv or .xlsx file")
    return _read_csv(data, name)


def _read_excel(data: bytes, name: str) -> RawTable:
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
    except (ValueError, KeyError, OSError) as error:  # openpyxl's ways of saying "not a workbook"
        raise EnterpriseInputError(f"{name}: cannot be read as an Excel workbook: {error}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(frame.fillna(""), "xlsx", {})


def _read_csv(data: bytes, name: str) -> RawTable:
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    try:
        # Blank lines kept (and reported): skipping them would shift every later row's number.
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError:
        return _read_ragged_csv(data, name, encoding)
    except pd.errors.EmptyDataError:
        raise EnterpriseInputError(f"{name}: no header row") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(frame.fillna(""), encoding, {})


def _read_ragged_csv(data: bytes, name: str, encoding: str) -> RawTable:
    """Rows with more cells than the header: kept, with their extra cells quoted in the row's problem."""
    try:
        table = parse_input(data.decode(encoding), name, encoding)
    except BatchInputError as error:
        raise EnterpriseInputError(str(error)) from None
    width = len(table.header)
    problems = {}
    rows = []
    for number, row in enumerate(table.rows, start=FIRST_DATA_ROW):
        if len(row) > width:
            problems[number] = f"row has {len(row)} cells, the header has {width}; extra cells: {row[width:]}"
        rows.append((row + [""] * width)[:width])
    return RawTable(pd.DataFrame(rows, columns=table.header, dtype=str), encoding, problems)


def encoding_label(encoding: str) -> str:
    """The encoding's everyday name for messages: GB18030 files are usually called GBK by those who made them."""
    return {"utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030"}.get(encoding, encoding)


def describe(raw: RawTable) -> str:
    """'12,345 rows, UTF-8' for a summary line."""
    return f"{len(raw.frame):,} rows, {encoding_label(raw.encoding)}"


__all__ = [
    "COLUMN_GUESSES", "ColumnMap", "EnterpriseInputError", "FIRST_DATA_ROW", "RawTable", "describe", "detect_encoding",
    "read_enterprise_table", "resolve_columns",
]
