"""Batches of addresses from CSV: read UTF-8 or GBK/GB18030, geocode every row, write every row back."""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..csvfile import CsvError, neutralise, read_csv
from . import Geocoder
from .model import STATUS_ERROR, STATUS_NOT_FOUND, STATUS_OK, GeocodeResult

RESULT_COLUMNS = ("lon", "lat", "datum_source", "provider", "match", "label", "status", "reason", "flags", "from_cache")
ADDRESS_COLUMN_GUESSES = ("address", "地址", "addr", "name", "名称", "query")


class BatchInputError(ValueError):
    """The input file cannot be used as a batch; the message says what to change."""


@dataclass
class InputTable:
    header: list[str]
    #: every record, exactly the header's width
    rows: list[list[str]]
    encoding: str
    #: line numbers in the file, one per row, for messages
    lines: list[int] = field(default_factory=list)
    #: row index -> what the reader had to repair (a stray quote, extra cells, NUL bytes)
    problems: dict[int, str] = field(default_factory=dict)
    #: row index -> a note that left the row as written (a line break inside a quoted cell)
    notes: dict[int, str] = field(default_factory=dict)


@dataclass
class BatchSummary:
    ok: int = 0
    not_found: int = 0
    failed: int = 0
    from_cache: int = 0
    requests: int = 0
    seconds: float = 0.0
    outside_beijing: int = 0

    @property
    def rows(self) -> int:
        return self.ok + self.not_found + self.failed

    def __str__(self) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else float("inf")
        return (
            f"{self.rows} rows: {self.ok} ok, {self.not_found} not found, {self.failed} failed; "
            f"{self.from_cache} from cache, {self.requests} requests; {self.outside_beijing} outside Beijing; "
            f"{self.seconds:.2f} s ({rate:,.0f} rows/s)"
        )


def read_input(path: Path, encoding: str | None = None) -> InputTable:
    """Read a CSV batch (its encoding judged, or ``encoding``); every record is kept, blank ones included."""
    return parse_input(Path(path).read_bytes(), str(path), encoding)


def parse_input(data: bytes, label: str, encoding: str | None = None) -> InputTable:
    """CSV bytes -> header and rows with their line numbers; ``label`` names the file in messages."""
    try:
        table = read_csv(data, label, encoding)
    except CsvError as error:
        raise BatchInputError(str(error)) from None
    return InputTable(table.header, table.rows, table.encoding, table.lines, table.problems, table.notes)


def choose_address_column(header: list[str], requested: str | None) -> str:
    """The column holding addresses: the one asked for, else a conventional name; else say which exist."""
    if requested:
        if requested not in header:
            raise BatchInputError(f"no column {requested!r}; the columns are: {', '.join(header)}")
        return requested
    lowered = {h.casefold(): h for h in header}
    for guess in ADDRESS_COLUMN_GUESSES:
        if guess in lowered:
            return lowered[guess]
    raise BatchInputError(
        f"which column holds the addresses? pass --address-column; the columns are: {', '.join(header)}"
    )


def result_columns(header: list[str]) -> list[str]:
    """The added columns, prefixed with 'geocode_' if the input already uses any of their names."""
    if set(RESULT_COLUMNS) & set(header):
        return [f"geocode_{c}" for c in RESULT_COLUMNS]
    return list(RESULT_COLUMNS)


def _result_cells(result: GeocodeResult) -> list[str]:
    c = result.candidate
    return [
        f"{c.lon:.7f}" if c else "",
        f"{c.lat:.7f}" if c else "",
        c.datum_source if c else "",
        result.provider,
        c.match if c else "",
        c.label if c else "",
        result.status,
        result.reason,
        "|".join(result.flags),
        "yes" if result.from_cache else "no",
    ]


def geocode_table(
    table: InputTable,
    address_column: str,
    geocoder: Geocoder,
    datum_column: str | None = None,
    default_datum: str = "wgs84",
    progress: Callable[[Iterable], Iterable] = lambda rows: rows,
) -> tuple[list[list[str]], BatchSummary]:
    """Geocode every row; a row that cannot be read is kept with status error and the reason."""
    address_index = table.header.index(address_column)
    datum_index = table.header.index(datum_column) if datum_column else None
    summary = BatchSummary()
    started = time.perf_counter()
    requests_before = geocoder.requests
    out_rows = []
    for index, (row, line) in progress(list(enumerate(zip(table.rows, table.lines, strict=True)))):
        problem = table.problems.get(index)
        if problem:
            # A row the reader had to repair may hold another row's cells: it is reported, not geocoded on a guess.
            result = GeocodeResult("", geocoder.provider.name, STATUS_ERROR, reason=f"line {line}: {problem}")
            cells = row
        else:
            cells = row
            datum = (row[datum_index].strip() if datum_index is not None else "") or default_datum
            result = geocoder.geocode(row[address_index], datum=datum)
            if result.status in (STATUS_ERROR, STATUS_NOT_FOUND):
                result = replace(result, reason=f"line {line}: {result.reason}")
            if index in table.notes:
                result = replace(
                    result, reason="; ".join(r for r in (result.reason, f"line {line}: {table.notes[index]}") if r)
                )
        summary.ok += result.status == STATUS_OK
        summary.not_found += result.status == STATUS_NOT_FOUND
        summary.failed += result.status == STATUS_ERROR
        summary.from_cache += result.from_cache
        summary.outside_beijing += bool(result.flags)
        out_rows.append(list(cells) + _result_cells(result))
    summary.requests = geocoder.requests - requests_before
    summary.seconds = time.perf_counter() - started
    return out_rows, summary


def write_output(path: Path, header: list[str], rows: list[list[str]], keep_formulas: bool = False) -> None:
    """Write UTF-8 with a BOM (Excel on Chinese Windows reads it right), atomically: all or nothing.

    Cells a spreadsheet would run as formulas get a leading "'" unless ``keep_formulas``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    clean = (lambda cells: cells) if keep_formulas else (lambda cells: [neutralise(c) for c in cells])
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(clean(header))
            writer.writerows(clean(row) for row in rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
