"""Tooltip and card HTML. Every string from the data is escaped: a name with markup shows as text.

The app's card is small (names, sectors, a pointer to the details beside the map); an exported file has no
panel beside its map, so its card carries the full record, in a box that scrolls rather than covering the map.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .. import format as fmt
from ..labels import term, text
from ..model.load import Atlas


def escape_html(value: Any) -> str:
    """Escape any value for HTML; None and NaN become an empty string.

    Braces become entities too: folium compiles every rendered script, data included, as a Jinja
    template, so a '{{ ... }}' in a park name would otherwise be evaluated. The browser shows '{' all the same.
    """
    if fmt.is_missing(value):
        return ""
    return escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


e = escape_html


def _names(row: Any, lang: str) -> tuple[str, str]:
    return e(fmt.name(row, lang)), e(fmt.other_name(row, lang))


def _chips(atlas: Atlas, codes: Any, lang: str) -> str:
    return " ".join(
        f'<span class="atlas-chip"><i style="background:{atlas.sectors[c].colour}"></i>'
        f"{e(atlas.sectors[c].label(lang))}</span>"
        for c in codes or ()
    )


def park_tooltip(row: Any, lang: str) -> str:
    first, second = _names(row, lang)
    return f"<b>{first}</b><br>{second}"


def park_card(row: Any, atlas: Atlas, lang: str) -> str:
    """The app's small card: names, sectors, and where the full record is."""
    first, second = _names(row, lang)
    sectors = _chips(atlas, row["sectors"], lang)
    code = "" if fmt.is_missing(row.get("catalogue_code")) else f" · {row['catalogue_code']}"
    return (
        f'<div class="atlas-popup" data-park-id="{e(row["id"])}"><b>{first}</b><br><span>{second}</span>'
        + f'<br><small class="atlas-level">{e(term("levels", row["level"], lang) + code)}</small>'
        + (f"<div>{sectors}</div>" if sectors else "")
        + f'<small class="atlas-more">{e(text(lang)["popup_more"])}</small></div>'
    )


def park_full_card(row: Any, atlas: Atlas, lang: str) -> str:
    """The exported file's card: the whole record, every figure with its year and source."""
    t = text(lang)
    first, second = _names(row, lang)
    kind = term("kinds", row["kind"], lang)
    district = fmt.district_name(atlas, row["district_adcode"], lang)
    lines = [
        f'<div class="atlas-popup atlas-full" data-park-id="{e(row["id"])}"><b>{first}</b><br><span>{second}</span>',
        f"<br>{e(t['details_kind_district'].format(kind=kind, district=district))}",
        f"<br><small>{e(fmt.designation_text(row, lang))}</small>",
    ]
    if row["sectors"]:
        lines.append(
            f"<br>{_chips(atlas, row['sectors'], lang)}<br><small>{e(t['source'])}: "
            f"{e(fmt.citation(atlas, row['sectors_source'], lang))} ({e(fmt.year(row['sectors_year']))})</small>"
        )
    area = fmt.area_text(row, atlas, lang)
    if area:
        lines.append(f"<br>{e(t['details_area'])}: {e(area)}")
    lines.append(f"<br><small>{e(fmt.location_text(row, atlas, lang))}</small>")
    facts = atlas.facts[atlas.facts["park"] == row["id"]]
    if len(facts):
        items = "".join(f"<li>{e(fmt.fact_text(fact, atlas, lang))}</li>" for _, fact in facts.iterrows())
        lines.append(f"<br>{e(t['details_facts'])}:<ul>{items}</ul>")
    lines.append("</div>")
    return "".join(lines)


def extent_tooltip(row: Any, lang: str) -> str:
    first, _ = _names(row, lang)
    return f"<b>{first}</b><br>{e(text(lang)['schematic_tooltip'])}"


def cluster_tooltip(row: Any, host_names: list[str], atlas: Atlas, lang: str) -> str:
    sectors = e(fmt.sector_labels(atlas, row["sectors"], lang))
    hosts = ", ".join(e(h) for h in host_names)
    return f"<b>{e(fmt.name(row, lang))}</b><br>{sectors}<br>{e(text(lang)['hosts'])}: {hosts}"


def hub_tooltip(row: Any, lang: str) -> str:
    first, second = _names(row, lang)
    return f"<b>{first}</b><br>{second}"
