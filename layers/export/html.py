"""A self-contained offline HTML map: scripts, styles and icons inlined; only tiles come from outside.

The page says in its title which filter produced it and how recent the data is, carries the full record in each
park's card (there is no panel beside it), and its legend's checkboxes filter by sector in the page.
"""

from __future__ import annotations

from typing import Any

from .. import format as fmt
from ..labels import term, text
from ..map import MapRequest, build_map
from ..map.assets import use_inline_assets
from ..map.popups import escape_html as e
from ..model.load import Atlas
from ..selection import Selection, Shown


def data_as_of(atlas: Atlas) -> str:
    """The newest publication date among the sources: the date the data can be said to be 'as of'."""
    dated = [p for p in atlas.sources["published"].dropna() if p]
    return max(dated) if dated else ""


def describe_selection(atlas: Atlas, selection: Selection, lang: str) -> list[tuple[str, str]]:
    """The filter in words, for the exported page's title: [(label, value), ...]."""
    t = text(lang)
    sectors = (
        fmt.sector_labels(atlas, [c for c in atlas.sectors.codes if c in selection.sectors], lang) or t["export_all"]
    )
    districts = ", ".join(fmt.district_name(atlas, d, lang) for d in sorted(selection.districts)) or t["export_all"]
    parts = [(t["sectors"], sectors), (t["districts"], districts)]
    if selection.kinds:
        parts.append((t["kinds"], ", ".join(term("kinds", k, lang) for k in sorted(selection.kinds))))
    if selection.levels:
        parts.append((t["levels"], ", ".join(term("levels", k, lang) for k in sorted(selection.levels))))
    if selection.text:
        parts.append((t["export_search"], selection.text))
    if selection.reach:
        hub, minutes = selection.reach
        hubs = atlas.hubs.set_index("id")
        place = fmt.name(hubs.loc[hub], lang) if hub in hubs.index else hub
        parts.append((t["export_reach"], t["export_reach_value"].format(place=place, minutes=f"{minutes:g}")))
    return parts


def html_page(atlas: Atlas, shown: Shown, request: MapRequest, firms: Any = None) -> tuple[str, int]:
    """The page's HTML and the number of parks drawn. ``firms`` is a ``FirmSource`` with its payload inline."""
    t = text(request.lang)
    described = describe_selection(atlas, shown.selection, request.lang)
    title_html = (
        f"<b>{e(t['export_atlas'])}</b><br>"
        + "<br>".join(f"{e(label)}: {e(value)}" for label, value in described)
        + f"<br>{e(t['export_parks'].format(n=len(shown.placed_ids)))} · "
        f"<small>{e(t['export_as_of'].format(date=data_as_of(atlas)))}</small>"
    )
    content = build_map(atlas, shown, request, title=title_html, firms=firms)
    use_inline_assets(content.map)
    root = content.map.get_root()
    # branca puts the title into <title> as it is: escape it, or a search text could close the tag and run script.
    root.title = e(f"{t['export_atlas']} — " + "; ".join(f"{label}: {value}" for label, value in described))
    return root.render(), len(content.park_ids)
