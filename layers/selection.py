"""What the user asked to see, and what it leaves on the atlas: computed once, read by the map, tables and exports.

``Selection`` is the request (sectors, districts, kinds, text, levels, subway reach), hashable and round-tripping
through a link.
``select(atlas, selection)`` gives ``Shown``: the parks, the placed parks, the clusters, the expanded sectors
and each park's colouring sector. Every consumer reads that one value, so "what is shown" means one thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.gazetteer import normalise_name, toneless_pinyin

from .analysis.transit import hub_access
from .errors import UnknownKey
from .model.load import Atlas
from .model.sectors import SectorVocabulary

#: Query-parameter names, so that a copied link reopens the same view.
PARAM_SECTORS = "sector"
PARAM_DISTRICTS = "district"
PARAM_KINDS = "kind"
PARAM_TEXT = "q"
PARAM_LEVELS = "level"
PARAM_REACH = "reach"
PARAM_REACH_MIN = "reach_min"


@dataclass(frozen=True)
class Selection:
    """What the user asked to see. Empty sets mean 'all'. Hashable, so it can key a cache."""

    sectors: frozenset[str] = field(default_factory=frozenset)
    districts: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    text: str = ""
    #: designations (national, provincial, sub-park ...; see schema.LEVELS)
    levels: frozenset[str] = field(default_factory=frozenset)
    #: only parks estimated within ``reach_min`` subway minutes of the hub ``reach_hub`` (``analysis.transit``)
    reach_hub: str = ""
    reach_min: float | None = None

    @property
    def reach(self) -> tuple[str, float] | None:
        """(hub id, minutes) when the reach filter is on."""
        return (self.reach_hub, float(self.reach_min)) if self.reach_hub and self.reach_min else None

    @classmethod
    def of(
        cls,
        sectors: Iterable[str] = (),
        districts: Iterable[str] = (),
        kinds: Iterable[str] = (),
        text: str = "",
        levels: Iterable[str] = (),
        reach: tuple[str, float] | None = None,
    ) -> Selection:
        """A selection from any iterables; the text is trimmed."""
        hub, minutes = reach if reach else ("", None)
        return cls(
            frozenset(sectors), frozenset(districts), frozenset(kinds), text.strip(), frozenset(levels), hub, minutes
        )

    def to_query_params(self) -> dict[str, list[str] | str]:
        """The selection as URL query parameters (sorted, so one view has one link)."""
        params: dict[str, list[str] | str] = {}
        for name, values in (
            (PARAM_SECTORS, self.sectors),
            (PARAM_DISTRICTS, self.districts),
            (PARAM_KINDS, self.kinds),
            (PARAM_LEVELS, self.levels),
        ):
            if values:
                params[name] = sorted(values)
        if self.text:
            params[PARAM_TEXT] = self.text
        if self.reach:
            params[PARAM_REACH] = self.reach[0]
            params[PARAM_REACH_MIN] = f"{self.reach[1]:g}"
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, Iterable[str] | str]) -> Selection:
        """Read a selection back from query parameters (each a value or a list of values)."""

        def values(name: str) -> list[str]:
            raw = params.get(name, [])
            return [raw] if isinstance(raw, str) else list(raw)

        text = values(PARAM_TEXT)
        hub, minutes = values(PARAM_REACH), values(PARAM_REACH_MIN)
        try:
            reach = (hub[0], float(minutes[0])) if hub and minutes and float(minutes[0]) > 0 else None
        except ValueError:
            reach = None  # a hand-edited link's bad number: no reach filter, the rest of the link still applies
        return cls.of(
            values(PARAM_SECTORS),
            values(PARAM_DISTRICTS),
            values(PARAM_KINDS),
            text[0] if text else "",
            values(PARAM_LEVELS),
            reach,
        )


@dataclass(frozen=True, eq=False)
class Shown:
    """What a selection leaves on the atlas: computed once, read by the map, the tables and every export."""

    selection: Selection
    #: the asked-for sectors with their sub-sectors; None when no sector is asked for
    sectors: frozenset[str] | None
    #: the asked-for districts; None when no district is asked for
    districts: frozenset[str] | None
    #: every matching park (table, area, sources, data exports)
    parks: gpd.GeoDataFrame
    #: those with a point, sourced or stand-in (the map, its counts, the HTML title)
    placed: gpd.GeoDataFrame
    clusters: pd.DataFrame
    #: park id -> the sector it is coloured by: its first asked-for sector, else its primary one (None: no sector)
    colour_sector: Mapping[str, str | None]
    #: the placed parks and the clusters that every filter but the sectors leaves (a page re-filters them by sector)
    placed_any_sector: tuple[str, ...] = ()
    clusters_any_sector: tuple[str, ...] = ()

    @property
    def park_ids(self) -> tuple[str, ...]:
        return tuple(self.parks["id"])

    @property
    def placed_ids(self) -> tuple[str, ...]:
        return tuple(self.placed["id"])


def select(atlas: Atlas, selection: Selection, access: pd.DataFrame | None = None) -> Shown:
    """Everything a selection shows: parks (by sector or sub-sector, district, kind, text and subway reach), clusters,
    colours. ``access`` is ``analysis.hub_access``'s table (computed here when the reach filter needs it and none is
    given); a park with no estimate is not shown to be within reach, and a cluster follows its host parks."""
    sectors = atlas.sectors.expand(selection.sectors) if selection.sectors else None
    districts = frozenset(selection.districts) if selection.districts else None
    parks, any_sector = _select_parks(atlas, selection, sectors)
    clusters, clusters_any_sector = _select_clusters(atlas, selection, sectors)
    if selection.reach:
        hub, minutes = selection.reach
        table = hub_access(atlas) if access is None else access
        column = f"min_{hub}"
        if hub not in set(atlas.hubs["id"]):
            raise UnknownKey("hub", [hub], sorted(atlas.hubs["id"]))
        if column not in table:
            raise ValueError("the reach filter needs analysis.hub_access's table (it has the subway estimates)")
        within = set(table.index[table[column] <= minutes])
        parks, any_sector = parks[parks["id"].isin(within)], any_sector[any_sector["id"].isin(within)]
        clusters, clusters_any_sector = (
            frame[frame["host_parks"].map(lambda hosts: bool(within.intersection(hosts or ())))]
            for frame in (clusters, clusters_any_sector)
        )
    placed = parks[parks.geometry.notna()]
    return Shown(
        selection=selection,
        sectors=sectors,
        districts=districts,
        parks=parks,
        placed=placed,
        clusters=clusters,
        colour_sector={
            pid: _colour_sector(codes, sectors) for pid, codes in zip(placed["id"], placed["sectors"], strict=True)
        },
        placed_any_sector=tuple(any_sector.loc[any_sector.geometry.notna(), "id"]),
        clusters_any_sector=tuple(clusters_any_sector["id"]),
    )


def _colour_sector(park_sectors: Iterable[str] | None, wanted: frozenset[str] | None) -> str | None:
    """The sector a park is coloured by: its first sector that the selection asked for, else its primary one."""
    codes = list(park_sectors or ())
    if not codes:
        return None
    if wanted is not None:
        for code in codes:
            if code in wanted:
                return code
    return codes[0]


def _search_keys(names: Iterable[str]) -> str:
    keys = []
    for name in names:
        keys.append(normalise_name(name))
        keys.append(toneless_pinyin(name))
    return "\n".join(k for k in keys if k)


def _sector_names(codes: Iterable[str] | None, vocabulary: SectorVocabulary) -> list[str]:
    """A row's sector labels in both languages, with their parents': '集成电路' finds the IC parks."""
    names: list[str] = []
    for code in codes or ():
        for ancestor in vocabulary.ancestry(code) if code in vocabulary else ():
            names += [vocabulary[ancestor].label_en, vocabulary[ancestor].label_zh]
    return names


def _matches_text(frame: pd.DataFrame, text: str, vocabulary: SectorVocabulary) -> pd.Series:
    needle = normalise_name(text)
    pinyin = toneless_pinyin(text)
    if not needle:
        return pd.Series(True, index=frame.index)
    haystacks = frame.apply(
        lambda row: _search_keys(
            [
                row["name_en"],
                row.get("name_zh") or "",
                *(row.get("aliases") or ()),
                *_sector_names(row.get("sectors"), vocabulary),
            ]
        ),
        axis=1,
    )
    return haystacks.map(lambda h: needle in h or bool(pinyin and pinyin in h))


def _has_any(values: pd.Series, wanted: frozenset[str]) -> pd.Series:
    return values.map(lambda items: bool(wanted.intersection(items or ())))


def _select_parks(
    atlas: Atlas, selection: Selection, sectors: frozenset[str] | None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The parks the selection leaves, and those every filter but the sectors leaves."""
    parks = atlas.parks
    keep = pd.Series(True, index=parks.index)
    if selection.districts:
        districts = parks.apply(lambda r: (r["district_adcode"], *(r.get("other_adcodes") or ())), axis=1)
        keep &= _has_any(districts, selection.districts)
    if selection.kinds:
        keep &= parks["kind"].isin(selection.kinds)
    if selection.levels:
        keep &= parks["level"].isin(selection.levels)
    if selection.text:
        keep &= _matches_text(parks, selection.text, atlas.sectors)
    by_sector = _has_any(parks["sectors"], sectors) if sectors is not None else True
    return parks[keep & by_sector], parks[keep]


def _select_clusters(
    atlas: Atlas, selection: Selection, sectors: frozenset[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The clusters the selection leaves, and those every filter but the sectors leaves. A cluster is in a district
    if it or one of its host parks is."""
    clusters = atlas.clusters
    keep = pd.Series(True, index=clusters.index)
    if selection.districts:
        park_district = dict(zip(atlas.parks["id"], atlas.parks["district_adcode"], strict=True))
        places = clusters.apply(
            lambda r: (*(r.get("host_districts") or ()), *(park_district.get(p) for p in r.get("host_parks") or ())),
            axis=1,
        )
        keep &= _has_any(places, selection.districts)
    if selection.text:
        keep &= _matches_text(clusters.assign(aliases=[()] * len(clusters)), selection.text, atlas.sectors)
    by_sector = _has_any(clusters["sectors"], sectors) if sectors is not None else True
    return clusters[keep & by_sector], clusters[keep]
