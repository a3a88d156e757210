"""Plain-text formatting shared by tables, cards, exports and the app: names, years, quantities, sources.

No HTML here (``popups`` escapes what it takes from this module). An empty value is '' for the caller to
decide how to show it; a table shows ``EMPTY`` rather than ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .labels import UNIT_FACTORS, lang_of, term, text
from .model.load import PLACEMENT_ANCHOR, PLACEMENT_CITY, PLACEMENT_DISTRICT, PLACEMENT_FALLBACK, Atlas
from .model.schema import CITYWIDE_ADCODE

EMPTY = "—"


def is_missing(value: Any) -> bool:
    """None, NaN, pandas' NA and empty text or lists are all 'no value'."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, (str, tuple, list)):
        return len(value) == 0
    try:
        return bool(value != value)  # pandas.NA and numpy NaN
    except (TypeError, ValueError):
        return False


def year(value: Any) -> str:
    """A year as text: 2023, never 2023.0 (pandas keeps a year column with gaps as floats)."""
    return "" if is_missing(value) else str(int(value))


def localized(row: Any, field: str, lang: str) -> str:
    """``row[field + '_zh']`` in Chinese when the data has it, else ``row[field]``; '' when neither has a value."""
    if lang_of(lang) == "zh":
        value = _get(row, f"{field}_zh")
        if not is_missing(value):
            return str(value)
    value = _get(row, field)
    return "" if is_missing(value) else str(value)


def name(row: Any, lang: str) -> str:
    """A row's name in the reader's language (every table has name_en; parks and hubs always have name_zh)."""
    if lang_of(lang) == "zh" and not is_missing(_get(row, "name_zh")):
        return str(row["name_zh"])
    return str(row["name_en"])


def other_name(row: Any, lang: str) -> str:
    """The name in the other language, for display beside the first."""
    return name(row, "en" if lang_of(lang) == "zh" else "zh")


def district_name(atlas: Atlas, adcode: str, lang: str) -> str:
    """A district's name, 'Citywide' for the municipality's own code, the code itself if unknown."""
    if adcode == CITYWIDE_ADCODE:
        return text(lang)["citywide"]
    match = atlas.districts.loc[atlas.districts["adcode"] == adcode]
    return adcode if match.empty else str(match.iloc[0]["name_zh" if lang_of(lang) == "zh" else "name_en"])


def district_names(atlas: Atlas, lang: str) -> dict[str, str]:
    """Adcode -> district name, in the data's order."""
    column = "name_zh" if lang_of(lang) == "zh" else "name_en"
    return dict(zip(atlas.districts["adcode"], atlas.districts[column], strict=True))


def park_names(atlas: Atlas, lang: str) -> dict[str, str]:
    """Park id -> park name in the reader's language."""
    return {pid: name(row, lang) for pid, row in atlas.parks.set_index("id").iterrows()}


def line_names(atlas: Atlas, line_ids: Iterable[str] | None, lang: str) -> str:
    """Rail lines by name, in the reader's language ('Line 4 / Daxing Line, Line 10')."""
    names = {row.id: name(row._asdict(), lang) for row in atlas.transit.lines.itertuples()}
    return text(lang)["list_separator"].join(names.get(line, line) for line in line_ids or ())


def sector_label(atlas: Atlas, code: str, lang: str) -> str:
    """A sector's label; '' for no sector."""
    return atlas.sectors[code].label(lang_of(lang)) if code else ""


def sector_labels(atlas: Atlas, codes: Iterable[str] | None, lang: str) -> str:
    """Sectors as a comma-separated list in the reader's language."""
    separator = "、" if lang_of(lang) == "zh" else ", "
    return separator.join(sector_label(atlas, c, lang) for c in codes or ())


def metric_label(metric: str, lang: str) -> str:
    """A fact's metric in words ('High-tech enterprises', '高新技术企业')."""
    return term("metrics", metric, lang)


def number(value: float) -> str:
    """A figure with thousands separators and no needless decimals: 1,382; 537.12; 0.0927."""
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def quantity(value: float, unit: str, lang: str, qualifier: str | None = None) -> str:
    """A fact's value with its qualifier and unit in the reader's language: '≈40 bn CNY', '≈400 亿元'."""
    factor = UNIT_FACTORS[lang_of(lang)].get(unit, 1.0)
    shown_unit = term("units", unit, lang)
    mark = "" if qualifier in (None, "", "=") else qualifier
    joiner = "" if lang_of(lang) == "zh" and shown_unit not in ("%",) else " "
    figure = number(value * factor)
    return f"{mark}{figure}{joiner}{shown_unit}" if shown_unit != "%" else f"{mark}{figure}%"


def km(value: Any, lang: str, approximate: bool = False) -> str:
    """A distance: '12.3 km' / '12.3 公里', marked approximate for parks drawn at their district's centre."""
    if is_missing(value):
        return ""
    unit = "公里" if lang_of(lang) == "zh" else "km"
    mark = f" ({text(lang)['approx']})" if approximate else ""
    return f"{float(value):.1f} {unit}{mark}"


def area_km2(value: Any, lang: str) -> str:
    """An area: '8.63 km²' / '8.63 平方公里'."""
    return "" if is_missing(value) else quantity(float(value), "km²", lang)


def publisher(atlas: Atlas, source_id: str, lang: str) -> str:
    """A source's publisher in the reader's language."""
    return localized(atlas.sources.loc[source_id], "publisher", lang)


def publishers(atlas: Atlas, ids: Iterable[str] | None, lang: str) -> str:
    """The publishers of some sources, '; '-separated, each once."""
    return "; ".join(dict.fromkeys(publisher(atlas, s, lang) for s in ids or () if s in atlas.sources.index))


def citation(atlas: Atlas, ids: Iterable[str] | None, lang: str) -> str:
    """Sources as people cite them: 'Publisher, 2023-02-07; Other publisher' (a date only where the source has one)."""
    parts = []
    for source_id in ids or ():
        if source_id not in atlas.sources.index:
            continue
        published = atlas.sources.loc[source_id, "published"]
        who = publisher(atlas, source_id, lang)
        parts.append(who if is_missing(published) else f"{who}, {published}")
    return "; ".join(dict.fromkeys(parts))


def precision(metres: Any, lang: str) -> str:
    """How far a point may be from the place: '±1.5 km', '±300 m' (or 公里 / 米)."""
    if is_missing(metres):
        return ""
    zh = lang_of(lang) == "zh"
    if float(metres) >= 1000:
        return f"±{float(metres) / 1000:g} {'公里' if zh else 'km'}"
    return f"±{float(metres):g} {'米' if zh else 'm'}"


def location_text(row: Any, atlas: Atlas, lang: str) -> str:
    """Where the point is and how far it may be off, with its source (plain text)."""
    placement = row["placement"]
    if placement in (PLACEMENT_ANCHOR, PLACEMENT_FALLBACK):
        label = term("placements", placement, lang)
        basis = localized(row, "point_basis", lang)
        return (
            f"{label}: {basis} ({precision(row['precision_m'], lang)}) — {citation(atlas, row['point_source'], lang)}"
        )
    if placement in (PLACEMENT_DISTRICT, PLACEMENT_CITY):
        gap = localized(row, "point_gap", lang)
        return f"{term('placements', placement, lang)} ({precision(row['precision_m'], lang)})" + (
            f": {gap}" if gap else ""
        )
    return term("placements", placement, lang)


def designation_text(row: Any, lang: str) -> str:
    """'national development zone · 2018 catalogue G111001 (ETDZ), approved 1994-08, approved area 3,980 ha · leading
    industries (catalogue): ...': what the zone is, with the catalogue's record where it has one."""
    t = text(lang)
    parts = [term("levels", row["level"], lang)]
    if not is_missing(_get(row, "catalogue_code")):
        parts.append(
            t["designation_catalogue"].format(
                code=row["catalogue_code"],
                type=term("catalogue_types", row["catalogue_type"], lang),
                approved=row["approved"],
                area=number(float(row["approved_area_ha"])),
            )
        )
        parts.append(t["designation_industries"].format(industries=localized(row, "leading_industries", lang)))
    return " · ".join(parts)


def area_text(row: Any, atlas: Atlas, lang: str) -> str:
    """'8.63 km² (2012, scope) — publisher', or why there is no area ('' if neither)."""
    if is_missing(row["area_km2"]):
        return localized(row, "area_gap", lang)
    scope = localized(row, "area_scope", lang)
    return (
        f"{area_km2(row['area_km2'], lang)} ({year(row['area_year'])}, {scope}) — "
        f"{citation(atlas, row['area_source'], lang)}"
    )


def fact_text(fact: Any, atlas: Atlas, lang: str) -> str:
    """'Enterprises: 256 enterprises (2023; companies settled in the park) — The Beijing News, 2023-03-07'."""
    value = quantity(fact["value"], fact["unit"], lang, fact["qualifier"])
    scope = localized(fact, "scope", lang)
    cited = citation(atlas, fact["source"], lang)
    return f"{metric_label(fact['metric'], lang)}: {value} ({year(fact['year'])}; {scope}) — {cited}"


def _get(row: Any, field: str) -> Any:
    try:
        return row[field]
    except (KeyError, IndexError):
        return None
