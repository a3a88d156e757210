"""CSV files as people make them: every row kept once with its own cells, or reported by row and field.

A spreadsheet's CSV is rarely clean: a stray double quote (``"Alpha,...``) makes a strict reader swallow the rows
that follow into one cell; an unquoted comma (``Acme, Inc``) or trailing commas give a row more cells than the
header; Excel on Chinese Windows writes GBK, on Western Windows cp1252; files arrive with two byte-order marks, NUL
bytes or a last character cut in half. This reader never lets any of that move or drop a row silently:

- a record with an unpaired quote, or spanning several lines that look like rows of their own (continuation lines
  of a row's shape, a cell count off the header's, a broken cell holding the delimiter), holds a stray quote: it is
  split back into one row per line, quotes read as text, and each such row says so;
- any other record spanning lines (a real line break inside a quoted cell) is kept as written, with a note;
- a row with more cells than the header keeps the header's cells and reports the extra ones; empty extra cells where
  most rows have them (a file written with trailing commas) are noted, the row kept as read; a row that alone has
  one more cell, even an empty one, may have its cells in the wrong columns, and says so; a shorter row is padded
  and reported;
- the encoding is UTF-8 (any number of BOMs), UTF-16 with a BOM, GB18030 (GBK, GB2312) or cp1252, judged by which
  reading is plausible text, and always stated; ``encoding=`` overrides the judgement.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data record row 2.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass, field
from typing import Any

#: Encodings as ``decode`` names them; the first three are judged from the bytes, cp1252 only when it reads better.
ENCODINGS = ("utf-8", "utf-16", "gb18030", "cp1252")
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "gb18030": "GBK/GB18030", "cp1252": "Windows-1252 (Latin)"}
#: Header row and first data row numbers, as a spreadsheet shows them.
HEADER_ROW = 1
FIRST_DATA_ROW = 2
_BOM = "\ufeff"
# A cell may be long (a pasted web page), but never unbounded: 64 MB per cell.
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))


class CsvError(ValueError):
    """The bytes cannot be read as a CSV table; the message says why and what to do instead."""


@dataclass
class CsvTable:
    """A CSV table: header, one list of cells per record (exactly the header's width), and what had to be repaired."""

    header: list[str]
    rows: list[list[str]]
    encoding: str
    #: the first physical line of each record in the file
    lines: list[int] = field(default_factory=list)
    #: record index (0-based) -> what was repaired in that record: its cells may not be the ones meant
    problems: dict[int, str] = field(default_factory=dict)
    #: record index -> something worth a look that left the record's cells as written (a line break inside a cell)
    notes: dict[int, str] = field(default_factory=dict)

    def row_number(self, index: int) -> int:
        """A record's row number as a spreadsheet shows it."""
        return FIRST_DATA_ROW + index


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes -> (text without byte-order marks, the encoding used); ``encoding`` forces one of ``ENCODINGS``."""
    if encoding is not None:
        if encoding not in ENCODINGS:
            raise CsvError(f"unknown encoding {encoding!r}: expected one of {', '.join(ENCODINGS)}")
        return _strip_boms(_decode_as(data, encoding)), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strip_boms(_decode_as(data, "utf-16")), "utf-16"
    try:
        return _strip_boms(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as error:
        # Cut short: valid UTF-8 (with characters beyond ASCII) up to an incomplete last character.
        if error.reason == "unexpected end of data" and any(b >= 0x80 for b in data[: error.start]):
            raise CsvError(
                f"the file ends in the middle of a UTF-8 character (byte {error.start:,} of {len(data):,}): "
                "it was cut short; save or copy it again"
            ) from None
        utf8_error = error
    readings = {}
    for candidate in ("gb18030", "cp1252"):
        try:
            readings[candidate] = data.decode(candidate)
        except UnicodeDecodeError:
            continue
    if not readings:
        raise CsvError(
            f"not UTF-8 (byte {utf8_error.start:,} is not valid UTF-8), nor GBK/GB18030, nor Windows-1252 text: "
            "save the file as 'CSV UTF-8' from Excel"
        ) from None
    best = max(readings, key=lambda name: (_plausibility(readings[name], name), name == "gb18030"))
    return _strip_boms(readings[best]), best


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise CsvError(
            f"cannot be read as {ENCODING_LABELS[encoding]}: byte {error.start:,} ({error.reason})"
        ) from None


def _strip_boms(text: str) -> str:
    # Some tools add a BOM to text that already has one: every leading mark goes, or the first header keeps one.
    return text.lstrip(_BOM)


_COMMON_HAN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
_LATIN_LETTER = re.compile(r"[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")


def _plausibility(text: str, encoding: str) -> float:
    """The share of a reading's non-ASCII characters that belong where that encoding's users write.

    Western text read as GB18030 turns 'é' and 'ü' into rare ideographs and stray symbols; Chinese text read as cp1252
    becomes runs of accented capitals. Common CJK characters count for GB18030, Latin letters with accents for cp1252.
    """
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 1.0
    if encoding == "gb18030":
        good = sum(1 for c in non_ascii if _COMMON_HAN.match(c) and _is_gb2312(c))
    else:
        good = sum(1 for c in non_ascii if _LATIN_LETTER.match(c) or c in "€£°±²³µ·«»–—‘’“”…")
        # Runs of accented letters are how Chinese bytes look in cp1252: '¹«' '°ÙÍò'.
        good -= 2 * len(re.findall(r"[\u00c0-\u00ff]{3,}", text))
    return good / len(non_ascii)


def _is_gb2312(char: str) -> bool:
    """In GB2312, the 6,763 everyday characters: Chinese text is mostly made of them, mojibake rarely."""
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _cells(line: str, literal_quotes: bool = False) -> list[str]:
    if literal_quotes:
        return next(csv.reader([line.rstrip("\r\n")], quoting=csv.QUOTE_NONE), [])
    return next(csv.reader([line.rstrip("\r\n")]), [])


def _looks_like_a_row(line: str, width: int) -> bool:
    """Whether one physical line, read on its own, has the shape of a whole row of a ``width``-column table."""
    return width >= 3 and len(_cells(line, literal_quotes=True)) >= width - 1


def parse(text: str, label: str = "file") -> CsvTable:
    """CSV text -> header and rows, every record kept once; ``label`` names the file in messages."""
    physical = text.splitlines(keepends=True)
    if not physical or not text.strip():
        raise CsvError(f"{label}: the file is empty; expected a header row")
    nul_lines = {i + 1 for i, line in enumerate(physical) if "\x00" in line}
    if nul_lines:
        physical = [line.replace("\x00", "") for line in physical]
    header = [h.strip() for h in _cells(physical[0])]
    header = [h or f"column {i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise CsvError(f"{label}: columns {seen[name]} and {position} are both called {name!r}; rename one")
        seen[name] = position
    width = len(header)
    table = CsvTable(header, [], "")
    widths: list[int] = []  # cells per record as read, trailing empty ones included
    reader = csv.reader(iter(physical[1:]), strict=False)
    consumed = 0  # physical lines read after the header
    while True:
        start = consumed
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a quote left open at the end of the file
            cells = None
        consumed = reader.line_num
        span = physical[1 + start : 1 + consumed]
        # Well-formed quoting pairs every quote ("" escapes one inside a cell): an odd count is a stray quote. A pair
        # spread over lines whose continuations have the shape of rows is two stray quotes, not a cell with breaks.
        unpaired = sum(line.count('"') for line in span) % 2 == 1
        # A quote opened at a line's end swallows its line break into the cell: more breaks inside cells than
        # between the record's lines means a quote ran to the end of the file.
        unpaired = unpaired or (cells is not None and sum(c.count("\n") for c in cells) > len(span) - 1)
        # A real line break in a cell leaves a row of the header's width, and its text seldom holds the delimiter; a
        # quote that swallowed rows takes their delimiters in with it. Splitting a real multi-line cell that has a
        # comma in it costs a reported row, which a person can mend; missing a swallowed row would cost the row.
        swallowed = len(span) > 1 and (
            len(cells or ()) != width
            or any(_looks_like_a_row(line, width) for line in span[1:])
            or any("\n" in c and "," in c for c in cells or ())
        )
        if cells is None or unpaired or swallowed:
            # A stray quote swallowed the lines after it: each line is a row of its own, its quotes read as text.
            for offset, line in enumerate(span):
                _add(
                    table,
                    widths,
                    _cells(line, literal_quotes=line.count('"') % 2 == 1),
                    width,
                    2 + start + offset,
                    'a stray double quote (") joined this row and its neighbours into one cell; '
                    "read line by line, the quote "
                    "kept as text: check the row"
                    if line.count('"') % 2
                    else "",
                )
            if cells is None:
                break
            continue
        if len(span) > 1:
            table.notes[len(table.rows)] = f"a quoted cell runs over lines {2 + start}-{1 + consumed}, kept as one cell"
        _add(table, widths, cells, width, 2 + start, "")
    _report_uneven_trailing_cells(table, widths, width)
    for index, line_number in enumerate(table.lines):
        if line_number in nul_lines:
            table.problems[index] = _join(table.problems.get(index, ""), "NUL bytes removed from the row")
    return table


def _add(table: CsvTable, widths: list[int], cells: list[str], width: int, line: int, note: str) -> None:
    index = len(table.rows)
    widths.append(len(cells))
    extra = cells[width:]
    while extra and not extra[-1].strip():
        extra.pop()  # trailing empty cells (trailing commas) hold nothing
    problems = [note] if note else []
    if extra:
        problems.append(f"row has {width + len(extra)} cells, the header has {width}; extra cells: {extra}")
    if 0 < len(cells) < width and any(c.strip() for c in cells):
        problems.append(f"row has {len(cells)} cells, the header has {width}; the missing ones are read as empty")
    table.rows.append((cells + [""] * width)[:width])
    table.lines.append(line)
    if problems:
        table.problems[index] = "; ".join(problems)


def _report_uneven_trailing_cells(table: CsvTable, widths: list[int], width: int) -> None:
    """Empty cells past the header's width are harmless where most rows have them; elsewhere they say a cell moved."""
    trailing = [w - width for w, row in zip(widths, table.rows, strict=True) if w > 0]
    usual = max(set(trailing), key=trailing.count) if trailing else 0
    for index, cells_read in enumerate(widths):
        extra = cells_read - width
        if extra <= 0 or index in table.problems:
            continue
        if extra != max(usual, 0):
            table.problems[index] = (
                f"row has {cells_read} cells, the header has {width}; the extra ones are empty, "
                "but most rows do not have them: check the row's cells are in their columns"
            )
        else:
            table.notes[index] = _join(
                table.notes.get(index, ""),
                f"row has {cells_read} cells, the header has {width}; the extra ones are empty (trailing commas?)",
            )


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def read_csv(data: bytes, label: str = "file", encoding: str | None = None) -> CsvTable:
    """Bytes -> a table, the encoding judged (or ``encoding``) and recorded in the table."""
    try:
        text, used = decode(data, encoding)
    except CsvError as error:
        raise CsvError(f"{label}: {error}") from None
    table = parse(text, label)
    table.encoding = used
    return table


def encoding_label(encoding: str) -> str:
    """The encoding's everyday name: GB18030 files are usually called GBK by those who made them."""
    return ENCODING_LABELS.get(encoding, {"utf-8-sig": "UTF-8", "xlsx": "Excel"}.get(encoding, encoding))


# --- writing cells a spreadsheet will open -------------------------------------------------------------------------

#: What makes Excel or LibreOffice read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Characters that reorder the text around them on screen (a name can be made to read as another): shown by name.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def neutralise(value: str) -> str:
    """A cell made safe to open in a spreadsheet: a leading formula character gets a "'" before it (numbers such as
    -3.5 stay numbers), and bidirectional control characters become visible as '<U+202E>'."""
    if not value:
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    return BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


def neutralise_column(values: Any) -> Any:  # pandas Series of text -> Series (geo does not import pandas)
    """``neutralise`` over a pandas column of text, vectorised (a million cells in well under a second)."""
    text = values.astype("string")
    risky = text.str.match(r"^[=+\-@\t\r]", na=False) & ~text.str.fullmatch(_PLAIN_NUMBER.pattern, na=False)
    text = text.mask(risky, "'" + text)
    if text.str.contains(BIDI_CONTROLS.pattern, regex=True, na=False).any():
        text = text.str.replace(BIDI_CONTROLS.pattern, lambda m: f"<U+{ord(m.group()):04X}>", regex=True)
    return text.astype(object).where(values.notna(), values)
