"""Selecting parks and clusters: one pure function of (sectors, districts, kinds, text), shared by app and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import geopandas as gpd
import pandas as pd

from geo.gazetteer import normalise_name, toneless_pinyin

from .sectors import SectorVocabulary

#: Query-parameter names, so that a copied link reopens the same view.
PARAM_SECTORS = "sector"
PARAM_DISTRICTS = "district"
PARAM_KINDS = "kind"
PARAM_TEXT = "q"


@dataclass(frozen=True)
class Selection:
    """What the user asked to see. Empty sets mean 'all'. Hashable, so it can key a cache."""

    sectors: frozenset[str] = field(default_factory=frozenset)
    districts: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    text: str = ""

    @classmethod
    def of(cls, sectors: Iterable[str] = (), districts: Iterable[str] = (), kinds: Iterable[str] = (), text: str = "") -> "Selection":
        return cls(frozenset(sectors), frozenset(districts), frozenset(kinds), text.strip())

    def to_query_params(self) -> dict[str, list[str] | str]:
        """The selection as URL query parameters (sorted, so one view has one link)."""
        params: dict[str, list[str] | str] = {}
        for name, values in ((PARAM_SECTORS, self.sectors), (PARAM_DISTRICTS, self.districts), (PARAM_KINDS, self.kinds)):
            if values:
                params[name] = sorted(values)
        if self.text:
            params[PARAM_TEXT] = self.text
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, Iterable[str] | str]) -> "Selection":
        """Read a selection back from query parameters (each a value or a list of values)."""

        def values(name: str) -> list[str]:
            raw = params.get(name, [])
            return [raw] if isinstance(raw, str) else list(raw)

        text = values(PARAM_TEXT)
        return cls.of(values(PARAM_SECTORS), values(PARAM_DISTRICTS), values(PARAM_KINDS), text[0] if text else "")


def expand_sectors(selected: Iterable[str], vocabulary: SectorVocabulary) -> frozenset[str]:
    """The selected sectors with all their sub-sectors: choosing 'future information' finds 'general AI' too."""
    chosen = set(selected)
    return frozenset(s.code for s in vocabulary if any(c in chosen for c in _ancestry(s.code, vocabulary)))


def _ancestry(code: str, vocabulary: SectorVocabulary) -> list[str]:
    chain = [code]
    while vocabulary[chain[-1]].parent and vocabulary[chain[-1]].parent not in chain:
        chain.append(vocabulary[chain[-1]].parent)
    return chain


def _search_keys(names: Iterable[str]) -> str:
    keys = []
    for name in names:
        keys.append(normalise_name(name))
        keys.append(toneless_pinyin(name))
    return "\n".join(k for k in keys if k)


def _matches_text(frame: pd.DataFrame, text: str) -> pd.Series:
    needle = normalise_name(text)
    pinyin = toneless_pinyin(text)
    if not needle:
        return pd.Series(True, index=frame.index)
    haystacks = frame.apply(
        lambda row: _search_keys([row["name_en"], row.get("name_zh") or "", *(row.get("aliases") or ())]), axis=1
    )
    return haystacks.map(lambda h: needle in h or bool(pinyin and pinyin in h))


def _has_any(values: pd.Series, wanted: frozenset[str]) -> pd.Series:
    return values.map(lambda items: bool(wanted.intersection(items or ())))


def select_parks(parks: gpd.GeoDataFrame, selection: Selection, vocabulary: SectorVocabulary) -> gpd.GeoDataFrame:
    """The parks matching every part of the selection: a sector (or sub-sector), a district, a kind, the text."""
    keep = pd.Series(True, index=parks.index)
    if selection.sectors:
        keep &= _has_any(parks["sectors"], expand_sectors(selection.sectors, vocabulary))
    if selection.districts:
        districts = parks.apply(lambda r: (r["district_adcode"], *(r.get("other_adcodes") or ())), axis=1)
        keep &= _has_any(districts, selection.districts)
    if selection.kinds:
        keep &= parks["kind"].isin(selection.kinds)
    if selection.text:
        keep &= _matches_text(parks, selection.text)
    return parks[keep]


def select_clusters(clusters: pd.DataFrame, parks: gpd.GeoDataFrame, selection: Selection, vocabulary: SectorVocabulary) -> pd.DataFrame:
    """The clusters matching the selection; a cluster is in a district if it or one of its host parks is."""
    keep = pd.Series(True, index=clusters.index)
    if selection.sectors:
        keep &= _has_any(clusters["sectors"], expand_sectors(selection.sectors, vocabulary))
    if selection.districts:
        park_district = dict(zip(parks["id"], parks["district_adcode"]))
        places = clusters.apply(
            lambda r: (*(r.get("host_districts") or ()), *(park_district.get(p) for p in r.get("host_parks") or ())), axis=1
        )
        keep &= _has_any(places, selection.districts)
    if selection.text:
        keep &= _matches_text(clusters.assign(aliases=[()] * len(clusters)), selection.text)
    return clusters[keep]


def display_sector(park_sectors: Iterable[str], selection: Selection, vocabulary: SectorVocabulary) -> str | None:
    """The sector a park is coloured by: its first sector that the selection asked for, else its primary one."""
    sectors = list(park_sectors or ())
    if not sectors:
        return None
    if selection.sectors:
        wanted = expand_sectors(selection.sectors, vocabulary)
        for code in sectors:
            if code in wanted:
                return code
    return sectors[0]
