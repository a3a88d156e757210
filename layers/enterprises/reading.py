"""Reading a company list: CSV (UTF-8 or GBK/GB18030) or Excel, and finding which column holds what."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from geo.csvfile import ENCODINGS, FIRST_DATA_ROW, CsvError, decode, encoding_label, read_csv

from ..errors import AtlasError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")


class EnterpriseInputError(AtlasError):
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
        raise EnterpriseInputError(
            f"missing column: {missing} (there is a {'lon' if missing == 'lat' else 'lat'} column); "
            f"the file's columns are: {have}"
        )
    if found["lon"] is None and found["address"] is None:
        raise EnterpriseInputError(
            "missing columns: neither coordinates (lon and lat, 经度 and 纬度) "
            "nor an address (address, 地址) to geocode; "
            f"the file's columns are: {have}"
        )
    return ColumnMap(**found)


@dataclass(frozen=True)
class RawTable:
    """The file's cells as text, every row kept; ``problems`` holds rows the reader had to repair, by row number."""

    frame: pd.DataFrame
    #: 'utf-8', 'gb18030', 'utf-16', 'cp1252', or 'xlsx'
    encoding: str
    problems: dict[int, str]
    #: by row number: something worth a look that left the row as written
    notes: dict[int, str] = field(default_factory=dict)
    #: the workbook's sheet that was read, and all its sheets (Excel only)
    sheet: str | None = None
    sheets: tuple[str, ...] = ()


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file judged from its first bytes (the dask engine reads in blocks)."""
    try:
        return decode(sample)[1]
    except CsvError as error:
        if "ends in the middle of a UTF-8 character" in str(error):
            return "utf-8"  # a sample cut mid-character: the whole file may well be UTF-8
        raise EnterpriseInputError(str(error)) from None


def read_enterprise_table(
    source: Path | bytes,
    filename: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    max_rows: int | None = None,
) -> RawTable:
    """Read a CSV or Excel company list into text cells; ``filename`` gives the type when ``source`` is bytes.

    ``encoding`` overrides the judged encoding of a CSV; ``sheet`` names a workbook's sheet (else the first sheet
    whose header names a firm and its sector); ``max_rows`` refuses a longer list with a message saying so.
    """
    name = filename or (source.name if isinstance(source, Path) else "upload.csv")
    suffix = Path(name).suffix.lower()
    data = source.read_bytes() if isinstance(source, Path) else source
    if not data.strip():
        raise EnterpriseInputError(f"{name}: the file is empty; expected a header row and one row per firm")
    if max_rows is not None and data.count(b"\n") > max_rows + 1 and suffix not in EXCEL_SUFFIXES:
        raise TooManyRows(name, data.count(b"\n") - 1, max_rows)
    if suffix in EXCEL_SUFFIXES:
        raw = _read_excel(data, name, sheet)
    elif suffix == ".xls":
        raise EnterpriseInputError(f"{name}: old Excel .xls files are not read; save it as .xlsx or CSV")
    elif suffix and suffix not in CSV_SUFFIXES:
        raise EnterpriseInputError(f"{name}: expected a .csv or .xlsx file")
    else:
        raw = _read_csv(data, name, encoding)
    if max_rows is not None and len(raw.frame) > max_rows:
        raise TooManyRows(name, len(raw.frame), max_rows)
    return raw


class TooManyRows(EnterpriseInputError):
    """A list longer than this reader was asked to hold (the app's per-session limit)."""

    def __init__(self, name: str, rows: int, limit: int):
        self.rows, self.limit = rows, limit
        super().__init__(
            f"{name}: about {rows:,} rows, more than the {limit:,} this app holds for one person at a time; "
            "the command line reads lists of any size: python -m layers.enterprises LIST --out OUT "
            "(--engine dask for millions)"
        )


def _read_excel(data: bytes, name: str, sheet: str | None) -> RawTable:
    if not data.startswith(b"PK"):
        raise EnterpriseInputError(
            f"{name}: is not an Excel workbook (an .xlsx file is a zip archive; this one is not): "
            "save it from Excel as .xlsx, or as CSV"
        )
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:  # openpyxl's ways of saying "not a workbook"
        raise EnterpriseInputError(
            f"{name}: cannot be read as an Excel workbook ({type(error).__name__}: {error})"
        ) from None
    if not sheets:
        raise EnterpriseInputError(f"{name}: the workbook has no sheets")
    names = tuple(str(s) for s in sheets)
    if sheet is not None and sheet not in sheets:
        raise EnterpriseInputError(f"{name}: no sheet {sheet!r}; the workbook's sheets are: {', '.join(names)}")
    chosen = sheet if sheet is not None else next((s for s in names if _names_firms(list(sheets[s].columns))), names[0])
    frame = sheets[chosen]
    header = [str(c).strip() for c in frame.columns]
    for position, column in enumerate(header, start=1):
        if header.index(column) != position - 1:
            raise EnterpriseInputError(
                f"{name}, sheet {chosen!r}: columns {header.index(column) + 1} and {position} are "
                f"both called {column!r}; rename one"
            )
    frame.columns = header
    return RawTable(frame.fillna("").astype(str), "xlsx", {}, sheet=chosen, sheets=names)


def _names_firms(header: list) -> bool:
    try:
        resolve_columns([str(h).strip() for h in header])
        return True
    except EnterpriseInputError:
        return False


def _read_csv(data: bytes, name: str, encoding: str | None) -> RawTable:
    try:
        table = read_csv(data, name, encoding)
    except CsvError as error:
        raise EnterpriseInputError(str(error)) from None
    frame = pd.DataFrame(table.rows, columns=table.header, dtype=object)

    def number(index: int) -> int:
        return table.row_number(index)

    return RawTable(
        frame,
        table.encoding,
        {number(i): p for i, p in table.problems.items()},
        {number(i): n for i, n in table.notes.items()},
    )


def describe(raw: RawTable) -> str:
    """'12,345 rows, UTF-8' (and the sheet, for a workbook) for a summary line."""
    where = f", sheet {raw.sheet!r}" if raw.sheet else ""
    return f"{len(raw.frame):,} rows, {encoding_label(raw.encoding)}{where}"


__all__ = [
    "COLUMN_GUESSES",
    "ENCODINGS",
    "ColumnMap",
    "EnterpriseInputError",
    "FIRST_DATA_ROW",
    "RawTable",
    "TooManyRows",
    "describe",
    "detect_encoding",
    "encoding_label",
    "read_enterprise_table",
    "resolve_columns",
]
