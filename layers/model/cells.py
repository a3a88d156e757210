"""One cell of a curated table: how its text is parsed, and what a column and a table are.

A parser takes the cell's text and returns the typed value or raises ``CellError`` saying what is wrong with it;
``schema`` composes them into the tables, so every bad cell is reported with its table, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geo.datums import Datum

LIST_SEPARATOR = "|"
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
HEX_COLOUR = re.compile(r"^#[0-9A-F]{6}$")
ADCODE = re.compile(r"^11\d{4}$")
PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EARLIEST_YEAR = 1949
#: What a district exception says when a point lies outside Beijing altogether.
OUTSIDE_BEIJING = "outside-beijing"


class CellError(ValueError):
    """A cell that cannot be parsed; the message says what is wrong with the value."""


def text(value: str) -> str:
    return value


def slug(value: str) -> str:
    if not SLUG.match(value):
        raise CellError(f"{value!r} is not a valid id (lowercase letters, digits, '-' or '_')")
    return value


def number(value: str) -> float:
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise CellError(f"{value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"{value!r} is not a finite number")
    return number


def positive(value: str) -> float:
    parsed = number(value)
    if parsed <= 0:
        raise CellError(f"{value!r} must be greater than zero")
    return parsed


def year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value):
        raise CellError(f"{value!r} is not a four-digit year")
    year = int(value)
    if not EARLIEST_YEAR <= year <= date.today().year:
        raise CellError(f"{year} is outside {EARLIEST_YEAR}-{date.today().year}")
    return year


def published(value: str) -> str:
    if not PUBLISHED.match(value):
        raise CellError(f"{value!r} is not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def adcode(value: str) -> str:
    if not ADCODE.match(value):
        raise CellError(f"{value!r} is not a 6-digit Beijing adcode (11xxxx)")
    return value


def adcode_or_outside(value: str) -> str:
    return value if value == OUTSIDE_BEIJING else adcode(value)


def datum(value: str) -> str:
    allowed = [d.value for d in Datum]
    if value not in allowed:
        raise CellError(f"{value!r} is not a datum: expected one of {', '.join(allowed)}")
    return value


def pattern(pattern: re.Pattern, what: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not pattern.match(value):
            raise CellError(f"{value!r} is not {what}")
        return value

    return parse


def colour(value: str) -> str:
    if not HEX_COLOUR.match(value):
        raise CellError(f"{value!r} is not a colour as #RRGGBB (upper case)")
    return value


def choice(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise CellError(f"{value!r} is not one of: {', '.join(choices)}")
        return value

    return parse


def list_of(item: Callable[[str], Any]) -> Callable[[str], tuple]:
    def parse(value: str) -> tuple:
        items = [part.strip() for part in value.split(LIST_SEPARATOR)]
        if any(not part for part in items):
            raise CellError(f"{value!r} has an empty item between '{LIST_SEPARATOR}' separators")
        if len(set(items)) != len(items):
            raise CellError(f"{value!r} lists an item twice")
        return tuple(item(part) for part in items)

    return parse


@dataclass(frozen=True)
class Column:
    """A column: its name, whether a value is required, and how a value is parsed."""

    name: str
    parse: Callable[[str], Any] = text
    required: bool = False


@dataclass(frozen=True)
class TableSchema:
    """A table: its file, the column that identifies a row, and its columns in order."""

    name: str
    filename: str
    id_column: str | None
    columns: tuple[Column, ...]
    extra_checks: tuple[Callable[[dict, str], list[tuple[str, str]]], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)
