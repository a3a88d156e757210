"""The curated tables: their columns, what each cell must hold, and how a cell is parsed.

Each table is a UTF-8 CSV in ``data/``. Lists inside a cell are separated by ``|``. Cells are parsed
here one by one so that every bad value is reported with its table, row and column.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from geo.crs import BEIJING_LAT_RANGE, BEIJING_LON_RANGE, in_beijing_box
from geo.datums import Datum

from .problems import Problem

LIST_SEPARATOR = "|"
#: Beijing's district polygons, beside the tables (built by scripts/build_districts.py).
DISTRICTS_FILE = "districts.geojson"
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
HEX_COLOUR = re.compile(r"^#[0-9A-F]{6}$")
ADCODE = re.compile(r"^11\d{4}$")
PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EARLIEST_YEAR = 1949

PARK_KINDS = ("park", "sub-park", "functional zone")
#: The adcode of the municipality itself, for a zone that spans the whole city.
CITYWIDE_ADCODE = "110000"
#: What a district exception says when a point lies outside Beijing altogether.
OUTSIDE_BEIJING = "outside-beijing"
POINT_ROLES = ("anchor", "fallback")
#: What kind of designation a row holds: the 2018 catalogue's levels, then the atlas's own groups.
LEVELS = ("national", "provincial", "sub-park", "science-city", "specialised", "bonded", "ftz", "ftz-area", "functional")
#: The 2018 catalogue's zone types (开发区类型).
CATALOGUE_TYPES = ("etdz", "hitech_zone", "customs_zone", "edz", "industrial_park")
CATALOGUE_CODE = re.compile(r"^[GS]\d{6}$")
YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
HUB_KINDS = ("airport", "rail station", "landmark")


class CellError(ValueError):
    """A cell that cannot be parsed; the message says what is wrong with the value."""


def _text(value: str) -> str:
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise CellError(f"{value!r} is not a valid id (lowercase letters, digits, '-' or '_')")
    return value


def _number(value: str) -> float:
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise CellError(f"{value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"{value!r} is not a finite number")
    return number


def _positive(value: str) -> float:
    number = _number(value)
    if number <= 0:
        raise CellError(f"{value!r} must be greater than zero")
    return number


def _year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value):
        raise CellError(f"{value!r} is not a four-digit year")
    year = int(value)
    if not EARLIEST_YEAR <= year <= date.today().year:
        raise CellError(f"{year} is outside {EARLIEST_YEAR}-{date.today().year}")
    return year


def _published(value: str) -> str:
    if not PUBLISHED.match(value):
        raise CellError(f"{value!r} is not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _adcode(value: str) -> str:
    if not ADCODE.match(value):
        raise CellError(f"{value!r} is not a 6-digit Beijing adcode (11xxxx)")
    return value


def _adcode_or_outside(value: str) -> str:
    return value if value == OUTSIDE_BEIJING else _adcode(value)


def _datum(value: str) -> str:
    allowed = [d.value for d in Datum]
    if value not in allowed:
        raise CellError(f"{value!r} is not a datum: expected one of {', '.join(allowed)}")
    return value


def _pattern(pattern: re.Pattern, what: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not pattern.match(value):
            raise CellError(f"{value!r} is not {what}")
        return value

    return parse


def _colour(value: str) -> str:
    if not HEX_COLOUR.match(value):
        raise CellError(f"{value!r} is not a colour as #RRGGBB (upper case)")
    return value


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise CellError(f"{value!r} is not one of: {', '.join(choices)}")
        return value

    return parse


def _list_of(item: Callable[[str], Any]) -> Callable[[str], tuple]:
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
    parse: Callable[[str], Any] = _text
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


def _point_checks(row: dict, _row_id: str) -> list[tuple[str, str]]:
    """A point is both coordinates and its datum and source, or none of them; inside Beijing's box."""
    found: list[tuple[str, str]] = []
    lon, lat = row.get("lon"), row.get("lat")
    if (lon is None) != (lat is None):
        found.append(("lon" if lon is None else "lat", "a point needs both lon and lat"))
        return found
    if lon is None:
        return found
    lon_ok = BEIJING_LON_RANGE[0] <= lon <= BEIJING_LON_RANGE[1]
    lat_ok = BEIJING_LAT_RANGE[0] <= lat <= BEIJING_LAT_RANGE[1]
    if in_beijing_box(lat, lon):  # the values fit Beijing only the other way round
        found.append(("lon", f"lon={lon} and lat={lat} look swapped (Beijing is near lon 116, lat 40)"))
    elif not (-180 <= lon <= 180):
        found.append(("lon", f"{lon} is not a longitude (-180..180)"))
    elif not (-90 <= lat <= 90):
        found.append(("lat", f"{lat} is not a latitude (-90..90)"))
    elif not lon_ok or not lat_ok:
        found.append(("lon" if not lon_ok else "lat", f"point ({lon}, {lat}) is outside Beijing"))
    for needed in ("datum", "precision_m", "point_source", "point_year"):
        if needed in row and row.get(needed) is None:
            found.append((needed, "a point needs its datum, precision, source and year"))
    return found


def _sourced(value_column: str, *needed: str, gap_column: str | None = None):
    """A value needs its source and year; a missing value needs the reason it is missing."""

    def check(row: dict, _row_id: str) -> list[tuple[str, str]]:
        has_value = row.get(value_column) not in (None, ())
        found = []
        if has_value:
            found += [(n, f"{value_column} is given without its {n}") for n in needed if row.get(n) in (None, ())]
        elif gap_column and not row.get(gap_column):
            found.append((value_column, f"empty, and {gap_column} does not say why"))
        return found

    return check


def _catalogue_checks(row: dict, _row_id: str) -> list[tuple[str, str]]:
    """A zone of the 2018 catalogue carries all of the catalogue's fields, and its level is the catalogue's."""
    fields = ("catalogue_type", "approved", "approved_area_ha", "leading_industries", "leading_industries_zh", "catalogue_source")
    code = row.get("catalogue_code")
    if code is None:
        return [(f, "a catalogue field needs the zone's catalogue_code") for f in fields if row.get(f) not in (None, "", ())]
    found = [(f, f"catalogue zone {code} needs its {f}") for f in fields if row.get(f) in (None, "", ())]
    level = "national" if code.startswith("G") else "provincial"
    if row.get("level") not in (None, level):
        found.append(("level", f"catalogue code {code} is a {level} zone, not {row.get('level')}"))
    return found


def _translated(*fields: str):
    """A user-facing English text needs its Chinese (``<field>_zh``), so the Chinese app can show the data in Chinese."""

    def check(row: dict, _row_id: str) -> list[tuple[str, str]]:
        return [(f"{f}_zh", f"{f} is given without its Chinese text") for f in fields
                if row.get(f) not in (None, "") and row.get(f"{f}_zh") in (None, "")]

    return check


def _point_columns(required: bool) -> tuple[Column, ...]:
    """A point as recorded: coordinates, datum, how well it stands for the place, what it is, source, year."""
    return (
        Column("lon", _number, required=required),
        Column("lat", _number, required=required),
        Column("datum", _datum, required=required),
        Column("precision_m", _positive, required=required),
        Column("point_basis", required=required),
        Column("point_basis_zh", required=required),
        Column("point_source", _list_of(_slug), required=required),
        Column("point_year", _year, required=required),
    )


SOURCES = TableSchema(
    name="sources",
    filename="sources.csv",
    id_column="id",
    columns=(
        Column("id", _slug, required=True),
        Column("publisher", required=True),
        Column("publisher_zh", required=True),
        Column("title", required=True),
        Column("title_zh", required=True),
        Column("published", _published),
        Column("url"),
        Column("read_at"),
        Column("licence"),
        Column("note"),
    ),
    extra_checks=(
        lambda row, _id: []
        if row.get("url") or row.get("read_at")
        else [("url", "a source needs a url or where it was read (read_at)")],
    ),
)

SECTORS = TableSchema(
    name="sectors",
    filename="sectors.csv",
    id_column="code",
    columns=(
        Column("code", _slug, required=True),
        Column("label_en", required=True),
        Column("label_zh", required=True),
        Column("taxonomy", required=True),
        Column("parent", _slug),
        Column("colour", _colour, required=True),
        Column("palette", required=True),
        Column("also_in", _list_of(_text)),
        Column("source", _list_of(_slug), required=True),
        Column("year", _year, required=True),
        Column("status", _choice("confirmed", "secondary"), required=True),
        Column("note"),
    ),
)

PARKS = TableSchema(
    name="parks",
    filename="parks.csv",
    id_column="id",
    columns=(
        Column("id", _slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("aliases", _list_of(_text)),
        Column("kind", _choice(*PARK_KINDS), required=True),
        Column("parent", _slug),
        Column("district_adcode", _adcode, required=True),
        Column("other_adcodes", _list_of(_adcode)),
        *_point_columns(required=False),
        Column("point_role", _choice(*POINT_ROLES)),
        Column("point_gap"),
        Column("point_gap_zh"),
        Column("area_km2", _positive),
        Column("area_year", _year),
        Column("area_scope"),
        Column("area_scope_zh"),
        Column("area_source", _list_of(_slug)),
        Column("area_gap"),
        Column("area_gap_zh"),
        Column("sectors", _list_of(_slug)),
        Column("sectors_source", _list_of(_slug)),
        Column("sectors_year", _year),
        Column("sectors_gap"),
        Column("sectors_gap_zh"),
        Column("note"),
        Column("note_zh"),
        Column("level", _choice(*LEVELS), required=True),
        Column("lists", _list_of(_slug)),
        Column("within", _list_of(_slug)),
        Column("catalogue_code", _pattern(CATALOGUE_CODE, "a catalogue code (G or S and six digits)")),
        Column("catalogue_type", _choice(*CATALOGUE_TYPES)),
        Column("approved", _pattern(YEAR_MONTH, "a month as YYYY-MM")),
        Column("approved_area_ha", _positive),
        Column("leading_industries"),
        Column("leading_industries_zh"),
        Column("catalogue_source", _list_of(_slug)),
    ),
    extra_checks=(
        _point_checks,
        _catalogue_checks,
        _translated("point_basis", "point_gap", "area_scope", "area_gap", "sectors_gap", "note", "leading_industries"),
        _sourced("lon", "point_role", "point_basis", gap_column="point_gap"),
        _sourced("area_km2", "area_year", "area_scope", "area_source", gap_column="area_gap"),
        _sourced("sectors", "sectors_source", "sectors_year", gap_column="sectors_gap"),
    ),
)

CLUSTERS = TableSchema(
    name="clusters",
    filename="clusters.csv",
    id_column="id",
    columns=(
        Column("id", _slug, required=True),
        Column("name_en", required=True),
        Column("name_zh"),
        Column("sectors", _list_of(_slug), required=True),
        Column("host_parks", _list_of(_slug)),
        Column("host_districts", _list_of(_adcode)),
        Column("source", _list_of(_slug), required=True),
        Column("year", _year, required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(
        _translated("note"),
        lambda row, _id: []
        if row.get("host_parks") or row.get("host_districts")
        else [("host_parks", "a cluster needs host parks or host districts")],
    ),
)

HUBS = TableSchema(
    name="hubs",
    filename="hubs.csv",
    id_column="id",
    columns=(
        Column("id", _slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("aliases", _list_of(_text)),
        Column("kind", _choice(*HUB_KINDS), required=True),
        Column("code"),
        Column("district_adcode", _adcode, required=True),
        *_point_columns(required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(_point_checks, _translated("note")),
)

FACTS = TableSchema(
    name="facts",
    filename="facts.csv",
    id_column=None,
    columns=(
        Column("park", _slug, required=True),
        Column("metric", required=True),
        Column("qualifier", _choice("=", "≈", ">", "<", ">=")),
        Column("value", _number, required=True),
        Column("unit", required=True),
        Column("year", _year, required=True),
        Column("scope", required=True),
        Column("scope_zh", required=True),
        Column("source", _list_of(_slug), required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(_translated("note"),),
)

DISTRICT_EXCEPTIONS = TableSchema(
    name="district_exceptions",
    filename="district_exceptions.csv",
    id_column=None,
    columns=(
        Column("table", _choice("parks", "hubs"), required=True),
        Column("row_id", _slug, required=True),
        Column("point_in", _adcode_or_outside, required=True),
        Column("reason", required=True),
        Column("source", _list_of(_slug), required=True),
    ),
)

LISTS = TableSchema(
    name="lists",
    filename="lists.csv",
    id_column="id",
    columns=(
        Column("id", _slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("expected", _positive, required=True),
        Column("source", _list_of(_slug), required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(_translated("note"),),
)

TABLES = (SOURCES, SECTORS, PARKS, CLUSTERS, HUBS, FACTS, DISTRICT_EXCEPTIONS, LISTS)

#: Metrics a fact may report, with the units each may be given in.
METRIC_UNITS: dict[str, tuple[str, ...]] = {
    "revenue": ("bn CNY",),
    "tax": ("bn CNY",),
    "gdp": ("bn CNY",),
    "industrial_output": ("bn CNY",),
    "output_value": ("bn CNY",),
    "investment": ("bn CNY",),
    "registered_capital": ("bn CNY",),
    "enterprises": ("enterprises",),
    "high_tech_enterprises": ("enterprises",),
    "listed_companies": ("companies",),
    "employees": ("people",),
    "researchers": ("people",),
    "science_facilities": ("facilities",),
    "visitors": ("visits",),
    "floor_area": ("m²",),
    "land_area": ("km²",),
    "occupancy": ("%",),
    "share_of_district_output": ("%",),
}


def row_label(schema: TableSchema, row: dict[str, str], line: int) -> str:
    """How a row is named in messages: its id where it has one, and always its line in the file."""
    if schema.id_column and row.get(schema.id_column, "").strip():
        return f"line {line} [{row[schema.id_column].strip()}]"
    return f"line {line}"


def read_table(path: Path, schema: TableSchema) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse one CSV table into typed rows, reporting every bad cell rather than stopping at the first.

    Each returned row carries ``_label`` (its line and id, for messages). Rows with problems are still
    returned, with the bad cells set to None, so that later checks can report their other faults.
    """
    problems: list[Problem] = []
    table = schema.filename
    if not path.exists():
        return [], [Problem(table, "-", "-", f"file not found: {path}")]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(table, "-", "-", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]

    reader = csv.reader(text.splitlines(), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(table, "-", "-", "the file is empty: expected a header row")]
    except csv.Error as exc:
        return [], [Problem(table, "line 1", "-", f"malformed CSV: {exc}")]
    header = [h.strip() for h in header]
    missing = [c for c in schema.column_names if c not in header]
    unknown = [h for h in header if h not in schema.column_names]
    for name in missing:
        problems.append(Problem(table, "header", name, "column is missing"))
    for name in unknown:
        problems.append(Problem(table, "header", name, "column is not part of this table (a typo?)"))
    if missing:
        return [], problems

    rows: list[dict[str, Any]] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(table, f"line {reader.line_num}", "-", f"malformed CSV: {exc}"))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raw = dict(zip(header, cells))
            problems.append(
                Problem(table, row_label(schema, raw, line), "-", f"has {len(cells)} fields, the header has {len(header)}")
            )
            continue
        raw = {h: c.strip() for h, c in zip(header, cells)}
        label = row_label(schema, raw, line)
        parsed: dict[str, Any] = {"_label": label, "_line": line}
        # One line per field: a cell that fails to parse is not also reported by the row checks.
        reported: dict[str, str] = {}
        for column in schema.columns:
            value = raw[column.name]
            if value == "":
                parsed[column.name] = None
                if column.required:
                    reported[column.name] = "required, but empty"
                continue
            try:
                parsed[column.name] = column.parse(value)
            except CellError as exc:
                parsed[column.name] = None
                reported[column.name] = str(exc)
        for check in schema.extra_checks:
            for field_name, message in check(parsed, label):
                reported.setdefault(field_name, message)
        problems += [Problem(table, label, name, message) for name, message in reported.items()]
        rows.append(parsed)

    if schema.id_column:
        seen: dict[str, str] = {}
        for row in rows:
            row_id = row.get(schema.id_column)
            if row_id is None:
                continue
            if row_id in seen:
                problems.append(Problem(table, row["_label"], schema.id_column, f"duplicate id, first used on {seen[row_id]}"))
            else:
                seen[row_id] = row["_label"]
    return rows, problems
