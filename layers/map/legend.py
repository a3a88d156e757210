"""The legend: exactly what the map shows, each sector in its colour, then what the symbols mean; collapsible.

In an exported file each sector is a checkbox and the legend counts the parks shown. The page's CSS lives here
too, so cards, chips and legend share one look in the app and in exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..labels import text
from ..model.load import Atlas
from .popups import escape_html as e
from .styles import NO_SECTOR_COLOUR

LEGEND_WIDTH = 210  # px

PAGE_CSS = (
    ".atlas-legend{background:rgba(255,255,255,.93);padding:5px 8px;font:12px/1.35 sans-serif;max-width:WIDTHpx;"
    "max-height:42vh;overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:4px}"
    ".atlas-legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;"
    "vertical-align:-1px;border:1px solid #222}"
    ".atlas-legend i.atlas-extent{border-radius:0;border:1.5px dashed #555;background:transparent}"
    ".atlas-legend i.atlas-ring{border:2px dotted #555;background:transparent;width:12px;height:12px}"
    ".atlas-legend i.atlas-standin{border:2px dashed #555;background:#fff}"
    ".atlas-legend summary{cursor:pointer;font-weight:bold}"
    ".atlas-legend label{display:block;cursor:pointer}.atlas-legend input{margin:0 3px 0 0;vertical-align:-2px}"
    ".atlas-legend-count{margin:2px 0 4px}.atlas-legend-symbols{margin-top:4px;color:#333}"
    ".atlas-popup{font:12px/1.45 sans-serif}.atlas-popup small{color:#555}"
    ".atlas-popup.atlas-full{max-height:240px;overflow:auto}.atlas-popup ul{margin:2px 0 0 16px;padding:0}"
    ".atlas-chip{white-space:nowrap;margin-right:6px}.atlas-chip i{display:inline-block;width:9px;height:9px;"
    "border-radius:50%;margin-right:3px}"
    ".atlas-more{display:block;margin-top:3px}"
    ".leaflet-control-attribution{font:11px/1.3 sans-serif}"
    ".atlas-title{background:rgba(255,255,255,.94);padding:6px 10px;font:13px/1.4 sans-serif;max-width:420px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:4px}"
    # Chromium draws a black focus box round an SVG shape after a click; the card shows what was chosen.
    ".leaflet-interactive:focus,.leaflet-container path:focus{outline:none}"
).replace("WIDTH", str(LEGEND_WIDTH))


@dataclass(frozen=True)
class LegendContent:
    """What the legend lists: sectors in order, which symbols appear, and the counts it states."""

    sectors: tuple[str, ...] = ()
    unmapped_firms: bool = False
    unsectored: bool = False
    extents: bool = False
    rings: bool = False
    standins: bool = False
    #: parks shown, stated (and kept up to date) in an exported file whose legend filters
    park_count: int | None = None
    #: the firms line, already containing its escaped count element
    firm_line: str | None = None


def with_number(template: str, number_html: str) -> str:
    """A sentence with '{n}' escaped as text and the number's own markup put in its place."""
    before, _, after = template.partition("{n}")
    return f"{e(before)}{number_html}{e(after)}"


def legend_html(content: LegendContent, atlas: Atlas, lang: str, filterable: bool) -> str:
    """The legend's HTML; with ``filterable`` every sector is a checkbox."""
    t = text(lang)

    def entry(code: str, colour: str, label: str) -> str:
        swatch = f'<i style="background:{colour}"></i>{e(label)}'
        if not filterable:
            return f'<div class="atlas-legend-item" data-sector="{e(code)}">{swatch}</div>'
        return (
            f'<label class="atlas-legend-item"><input type="checkbox" checked data-sector="{e(code)}"> {swatch}</label>'
        )

    items = "".join(
        entry(code, atlas.sectors.colour(code), atlas.sectors[code].label(lang)) for code in content.sectors
    )
    grey = [
        t[key]
        for flag, key in ((content.unsectored, "legend_no_sector"), (content.unmapped_firms, "firms_unmapped"))
        if flag
    ]
    if grey:  # one box: parks without a sector and firms whose sector the atlas lacks wear the same grey
        items += entry("", NO_SECTOR_COLOUR, " · ".join(grey))
    symbols = [
        (flag, css, t[key])
        for flag, css, key in (
            (content.standins, "atlas-standin", "legend_standin"),
            (content.rings, "atlas-ring", "legend_ring"),
            (content.extents, "atlas-extent", "legend_extent"),
        )
        if flag
    ]
    symbol_html = "".join(
        f'<div class="atlas-legend-item"><i class="{css}"></i>{e(label)}</div>' for _, css, label in symbols
    )
    count = ""
    if content.park_count is not None:
        number = f'<b class="atlas-count">{content.park_count}</b>'
        count = f'<div class="atlas-legend-count">{with_number(t["legend_parks_shown"], number)}</div>'
    if content.firm_line is not None:
        count += f'<div class="atlas-legend-count atlas-firm-line">{content.firm_line}</div>'
    # Open, and scrolling past 42% of the map's height, so it never covers much of the map; a click folds it.
    return (
        f"<details open><summary>{e(t['legend'])}</summary>{count}{items}"
        f'<div class="atlas-legend-symbols">{symbol_html}</div></details>'
    )
