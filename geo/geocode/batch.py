"""Batches of addresses from CSV: read UTF-8 or GBK/GB18030, geocode every row, write every row back."""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import Geocoder
from .model import STATUS_ERROR, STATUS_NOT_FOUND, STATUS_OK, GeocodeResult

#: Encodings tried in order: UTF-8 (with or without BOM), then GB18030, which covers GBK and GB2312, as
#: Excel on Chinese Windows writes them.
INPUT_ENCODINGS = ("utf-8-sig", "gb18030")
RESULT_COLUMNS = ("lon", "lat", "datum_source", "provider", "match", "label", "status", "reason", "flags", "from_cache")
ADDRESS_COLUMN_GUESSES = ("address", "地址", "addr", "name", "名称", "query")


class BatchInputError(ValueError):
    """The input file cannot be used as a batch; the message says what to change."""


@dataclass
class InputTable:
    header: list[str]
    rows: list[list[str]]
    encoding: str
    #: line numbers in the file, one per row, for messages
    lines: list[int] = field(default_factory=list)


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


def read_input(path: Path) -> InputTable:
    """Read a CSV batch, detecting its encoding; every data row is kept, blank ones included."""
    raw = Path(path).read_bytes()
    for encoding in INPUT_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BatchInputError(f"{path}: neither UTF-8 nor GBK/GB18030 text")
    return parse_input(text, str(path), encoding)


def parse_input(text: str, label: str, encoding: str) -> InputTable:
    """CSV text -> header and rows with their line numbers; ``label`` names the file in messages."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise BatchInputError(f"{label}: the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise BatchInputError(f"{label}: line 1: malformed CSV: {exc}") from None
    rows, lines = [], []
    try:
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise BatchInputError(f"{label}: line {reader.line_num}: malformed CSV: {exc}") from None
    return InputTable([h.strip() for h in header], rows, encoding, lines)


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
    raise BatchInputError(f"which column holds the addresses? pass --address-column; the columns are: {', '.join(header)}")


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
    width = len(table.header)
    address_index = table.header.index(address_column)
    datum_index = table.header.index(datum_column) if datum_column else None
    summary = BatchSummary()
    started = time.perf_counter()
    requests_before = geocoder.requests
    out_rows = []
    for row, line in progress(list(zip(table.rows, table.lines))):
        if len(row) != width:
            reason = f"line {line}: has {len(row)} fields, the header has {width}"
            if len(row) > width:
                # Extra cells would not fit the output's columns: keep them in the reason instead of dropping them.
                reason += f"; extra cells: {row[width:]}"
            result = GeocodeResult("", geocoder.provider.name, STATUS_ERROR, reason=reason)
            cells = (row + [""] * width)[:width]
        else:
            cells = row
            datum = (row[datum_index].strip() if datum_index is not None else "") or default_datum
            result = geocoder.geocode(row[address_index], datum=datum)
            if result.status in (STATUS_ERROR, STATUS_NOT_FOUND):
                result = replace(result, reason=f"line {line}: {result.reason}")
        summary.ok += result.status == STATUS_OK
        summary.not_found += result.status == STATUS_NOT_FOUND
        summary.failed += result.status == STATUS_ERROR
        summary.from_cache += result.from_cache
        summary.outside_beijing += bool(result.flags)
        out_rows.append(list(cells) + _result_cells(result))
    summary.requests = geocoder.requests - requests_before
    summary.seconds = time.perf_counter() - started
    return out_rows, summary


def write_output(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write UTF-8 with a BOM (Excel on Chinese Windows reads it right), atomically: all or nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
