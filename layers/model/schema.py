"""The curated tables: their columns, what each cell must hold, and how a cell is parsed.

Each table is a UTF-8 CSV in ``data/``. Lists inside a cell are separated by ``|``. Cells are parsed
here one by one so that every bad value is reported with its table, row and column.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from .cells import (  # noqa: F401  (the patterns and separators are part of the schema's face)
    ADCODE,
    HEX_COLOUR,
    LIST_SEPARATOR,
    OUTSIDE_BEIJING,
    CellError,
    Column,
    TableSchema,
    adcode,
    adcode_or_outside,
    choice,
    colour,
    datum,
    list_of,
    number,
    pattern,
    positive,
    published,
    slug,
    text,
    year,
)
from .problems import Problem
from .row_rules import catalogue_checks, point_checks, sourced, translated
from .vocab import CatalogueType, HubKind, Level, ParkKind, PointRole, values

#: Beijing's district polygons, beside the tables (built by scripts/build_districts.py).
DISTRICTS_FILE = "districts.geojson"

PARK_KINDS = values(ParkKind)
#: The adcode of the municipality itself, for a zone that spans the whole city.
CITYWIDE_ADCODE = "110000"
POINT_ROLES = values(PointRole)
#: What kind of designation a row holds: the 2018 catalogue's levels, then the atlas's own groups.
LEVELS = values(Level)
#: The 2018 catalogue's zone types (开发区类型).
CATALOGUE_TYPES = values(CatalogueType)
CATALOGUE_CODE = re.compile(r"^[GS]\d{6}$")
YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
HUB_KINDS = values(HubKind)


def _point_columns(required: bool) -> tuple[Column, ...]:
    """A point as recorded: coordinates, datum, how well it stands for the place, what it is, source, year."""
    return (
        Column("lon", number, required=required),
        Column("lat", number, required=required),
        Column("datum", datum, required=required),
        Column("precision_m", positive, required=required),
        Column("point_basis", required=required),
        Column("point_basis_zh", required=required),
        Column("point_source", list_of(slug), required=required),
        Column("point_year", year, required=required),
    )


SOURCES = TableSchema(
    name="sources",
    filename="sources.csv",
    id_column="id",
    columns=(
        Column("id", slug, required=True),
        Column("publisher", required=True),
        Column("publisher_zh", required=True),
        Column("title", required=True),
        Column("title_zh", required=True),
        Column("published", published),
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
        Column("code", slug, required=True),
        Column("label_en", required=True),
        Column("label_zh", required=True),
        Column("taxonomy", required=True),
        Column("parent", slug),
        Column("colour", colour, required=True),
        Column("palette", required=True),
        Column("also_in", list_of(text)),
        Column("source", list_of(slug), required=True),
        Column("year", year, required=True),
        Column("status", choice("confirmed", "secondary"), required=True),
        Column("note"),
    ),
)

PARKS = TableSchema(
    name="parks",
    filename="parks.csv",
    id_column="id",
    columns=(
        Column("id", slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("aliases", list_of(text)),
        Column("kind", choice(*PARK_KINDS), required=True),
        Column("parent", slug),
        Column("district_adcode", adcode, required=True),
        Column("other_adcodes", list_of(adcode)),
        *_point_columns(required=False),
        Column("point_role", choice(*POINT_ROLES)),
        Column("point_gap"),
        Column("point_gap_zh"),
        Column("area_km2", positive),
        Column("area_year", year),
        Column("area_scope"),
        Column("area_scope_zh"),
        Column("area_source", list_of(slug)),
        Column("area_gap"),
        Column("area_gap_zh"),
        Column("sectors", list_of(slug)),
        Column("sectors_source", list_of(slug)),
        Column("sectors_year", year),
        Column("sectors_gap"),
        Column("sectors_gap_zh"),
        Column("note"),
        Column("note_zh"),
        Column("level", choice(*LEVELS), required=True),
        Column("lists", list_of(slug)),
        Column("within", list_of(slug)),
        Column("catalogue_code", pattern(CATALOGUE_CODE, "a catalogue code (G or S and six digits)")),
        Column("catalogue_type", choice(*CATALOGUE_TYPES)),
        Column("approved", pattern(YEAR_MONTH, "a month as YYYY-MM")),
        Column("approved_area_ha", positive),
        Column("leading_industries"),
        Column("leading_industries_zh"),
        Column("catalogue_source", list_of(slug)),
    ),
    extra_checks=(
        point_checks,
        catalogue_checks,
        translated("point_basis", "point_gap", "area_scope", "area_gap", "sectors_gap", "note", "leading_industries"),
        sourced("lon", "point_role", "point_basis", gap_column="point_gap"),
        sourced("area_km2", "area_year", "area_scope", "area_source", gap_column="area_gap"),
        sourced("sectors", "sectors_source", "sectors_year", gap_column="sectors_gap"),
    ),
)

CLUSTERS = TableSchema(
    name="clusters",
    filename="clusters.csv",
    id_column="id",
    columns=(
        Column("id", slug, required=True),
        Column("name_en", required=True),
        Column("name_zh"),
        Column("sectors", list_of(slug), required=True),
        Column("host_parks", list_of(slug)),
        Column("host_districts", list_of(adcode)),
        Column("source", list_of(slug), required=True),
        Column("year", year, required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(
        translated("note"),
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
        Column("id", slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("aliases", list_of(text)),
        Column("kind", choice(*HUB_KINDS), required=True),
        Column("code"),
        Column("district_adcode", adcode, required=True),
        *_point_columns(required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(point_checks, translated("note")),
)

FACTS = TableSchema(
    name="facts",
    filename="facts.csv",
    id_column=None,
    columns=(
        Column("park", slug, required=True),
        Column("metric", required=True),
        Column("qualifier", choice("=", "≈", ">", "<", ">=")),
        Column("value", number, required=True),
        Column("unit", required=True),
        Column("year", year, required=True),
        Column("scope", required=True),
        Column("scope_zh", required=True),
        Column("source", list_of(slug), required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(translated("note"),),
)

DISTRICT_EXCEPTIONS = TableSchema(
    name="district_exceptions",
    filename="district_exceptions.csv",
    id_column=None,
    columns=(
        Column("table", choice("parks", "hubs", "transit_stations"), required=True),
        Column("row_id", slug, required=True),
        Column("point_in", adcode_or_outside, required=True),
        Column("reason", required=True),
        Column("source", list_of(slug), required=True),
    ),
)

LISTS = TableSchema(
    name="lists",
    filename="lists.csv",
    id_column="id",
    columns=(
        Column("id", slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("expected", positive, required=True),
        Column("source", list_of(slug), required=True),
        Column("note"),
        Column("note_zh"),
    ),
    extra_checks=(translated("note"),),
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
            raw = dict(zip(header, cells, strict=False))
            problems.append(
                Problem(
                    table, row_label(schema, raw, line), "-", f"has {len(cells)} fields, the header has {len(header)}"
                )
            )
            continue
        raw = {h: c.strip() for h, c in zip(header, cells, strict=False)}
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
                problems.append(
                    Problem(table, row["_label"], schema.id_column, f"duplicate id, first used on {seen[row_id]}")
                )
            else:
                seen[row_id] = row["_label"]
    return rows, problems
