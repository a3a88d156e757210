"""The app's kept map: a base drawn once per language, datum, basemap and layers, and a small state per selection.

Redrawing the whole map on every filter change (send the page, remount it, load Leaflet, draw every shape) took
about 0.9 s in the browser. Here the base holds every park, extent, ring and district outline, and the page keeps
it; a filter change sends only what the selection leaves (park ids with their colours, cluster ids, chosen
districts, the legend, the bounds to fit), and the page shows, hides and recolours the shapes it already has, as an
exported file's own legend filter does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

import folium

from ..model.load import Atlas
from ..selection import Selection, Shown, select
from .assets import use_served_assets
from .build import FIT_PADDING, MapBasis, MapContent, build_map
from .elements import LiveHooks
from .overlay import MapRequest
from .styles import NO_SECTOR_COLOUR


@dataclass(frozen=True)
class LiveBase:
    """A map's script, run once in the page: what it draws into, and the assets it needs loaded first."""

    #: names this base: the page draws it again only when the key changes
    key: str
    #: the id of the element the script draws into (folium's map name)
    name: str
    script: str
    datum: str
    scripts: tuple[str, ...]
    styles: tuple[str, ...]

    def as_data(self) -> dict[str, Any]:
        """What the page's base carrier receives (JSON)."""
        return {
            "key": self.key,
            "name": self.name,
            "script": self.script,
            "datum": self.datum,
            "scripts": list(self.scripts),
            "styles": list(self.styles),
        }


def base_of(m: folium.Map, asset_url: str, datum: str = "wgs84") -> LiveBase:
    """Any folium map as a base the page runs: its script only (the page gives it Leaflet and a place to draw)."""
    if not any(isinstance(child, LiveHooks) for child in m._children.values()):
        LiveHooks({}).add_to(m)  # a map with nothing to filter still hands the page its map, to clean up
    use_served_assets(m, asset_url)
    root = m.get_root()
    root.render()
    script = root.script.render()
    return LiveBase(
        key=hashlib.sha1(script.encode("utf-8")).hexdigest()[:16],
        name=m.get_name(),
        script=script,
        datum=datum,
        scripts=tuple(url for _, url in m.default_js),
        styles=tuple(url for _, url in m.default_css),
    )


def live_base(
    atlas: Atlas,
    request: MapRequest,
    basis: MapBasis | None,
    asset_url: str,
    districts_url: str | None = None,
    firms: Any = None,
) -> LiveBase:
    """The base for ``request``'s language, basemap, layers and search circle: every feature, nothing filtered."""
    everything = select(atlas, Selection())
    unfiltered = replace(request, selection=Selection(), view=None)
    content = build_map(atlas, everything, unfiltered, basis, districts_url, firms=firms, live=True)
    return base_of(content.map, asset_url, basis.datum.value if basis else "wgs84")


def live_state(content: MapContent, shown: Shown) -> dict[str, Any]:
    """What one selection leaves on a live map, for the page to apply (JSON; built from the selection's map)."""
    (south, west), (north, east) = content.bounds
    return {
        "parks": dict(content.colours),
        "clusters": list(content.cluster_ids),
        "districts": sorted(shown.districts) if shown.districts is not None else None,
        "legend": content.legend_html,
        "bounds": [[south, west], [north, east]],
        "padding": [list(corner) for corner in FIT_PADDING],
        "firms": {
            "sectors": sorted(shown.sectors) if shown.sectors is not None else None,
            "districts": sorted(shown.districts) if shown.districts is not None else None,
        },
    }


def sector_filter(atlas: Atlas, shown: Shown) -> dict[str, Any]:
    """What lets the page apply a change of sectors at once, before the server answers (JSON).

    The parks and clusters that every filter of ``shown`` but the sectors leaves, each with its sectors in order.
    Given the sectors the person now chooses, the page keeps those with one of them or a sub-sector (``expand``)
    and colours each park as ``select`` does: by its first chosen sector, else its primary one. ``chosen`` is what
    this run was asked for; the server's own answer, a moment later, replaces the page's guess (legend and bounds
    included).
    """
    park_sectors = dict(zip(atlas.parks["id"], atlas.parks["sectors"], strict=True))
    cluster_sectors = dict(zip(atlas.clusters["id"], atlas.clusters["sectors"], strict=True))
    codes = atlas.sectors.codes
    return {
        "chosen": sorted(shown.selection.sectors),
        "parks": {pid: list(park_sectors[pid] or ()) for pid in shown.placed_any_sector},
        "clusters": {cid: list(cluster_sectors[cid] or ()) for cid in shown.clusters_any_sector},
        "expand": {code: sorted(atlas.sectors.expand([code])) for code in codes},
        "colours": {code: atlas.sectors.colour(code) for code in codes},
        "none": NO_SECTOR_COLOUR,
    }
