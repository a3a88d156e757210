"""An offline gazetteer: the atlas's own places, found by English or Chinese name, alias or toneless pinyin.

It reads the atlas's data files (parks, clusters, hubs, districts) directly, needing nothing but the files:
it is the geocoder that always works, with no network at all. Validation of those files is the job of
``python -m layers.validate``; rows without a point are simply not places here.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
from pypinyin import lazy_pinyin

from .crs import distance_km
from .datums import convert

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_LIST_SEPARATOR = "|"
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: Which kind of place is preferred when several are named inside one address: the most specific first.
_KIND_RANK = {"park": 0, "cluster": 1, "airport": 2, "rail station": 2, "landmark": 2, "district": 3}
_DROP = re.compile(r"[\s\-_'’`·.,，。()（）\[\]/]+")


def normalise_name(text: str) -> str:
    """Fold width, case, spacing and punctuation so 'Zhongguancun  Software-Park' == 'zhongguancunsoftwarepark'."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def toneless_pinyin(text: str) -> str:
    """'首钢园' -> 'shougangyuan'; text without Chinese characters gives ''."""
    if not _HAN.search(text):
        return ""
    return normalise_name("".join(lazy_pinyin(text)))


@dataclass(frozen=True)
class Place:
    """A named place with a WGS-84 point and how well the point stands for it."""

    key: str
    kind: str
    name_en: str
    name_zh: str
    lon: float
    lat: float
    precision_m: float
    names: tuple[str, ...]


@dataclass(frozen=True)
class GazetteerMatch:
    """A place found for a query: 'exact' when a whole name matches, 'partial' when a name is inside the query."""

    place: Place
    match: str
    matched_name: str


#: How a candidate of a lookup relates to the query, strongest first.
HowMatched = Literal["exact", "inside", "contains", "similar"]
_HOW_ORDER = {"exact": 0, "inside": 1, "contains": 2, "similar": 3}
#: difflib ratio above which a name counts as a likely misspelling of the query.
_SIMILAR_RATIO = 0.72


@dataclass(frozen=True)
class Candidate:
    """One place a person may have meant, and how its name relates to what they typed.

    ``how``: 'exact' (a whole name, alias, code or pinyin equals the query), 'inside' (the place's name is part
    of a longer query, e.g. an address), 'contains' (the query is part of the name: a short form), 'similar'
    (a close spelling).
    """

    place: Place
    how: HowMatched
    matched_name: str


@dataclass(frozen=True)
class Lookup:
    """What a typed place name resolves to: one place when exactly one place has that name, else candidates.

    ``place`` is set only for an unambiguous exact match; otherwise ``candidates`` lists what the person may have
    meant, best first, and nothing is guessed.
    """

    query: str
    place: Place | None
    candidates: tuple[Candidate, ...]

    @property
    def ambiguous(self) -> bool:
        return self.place is None and bool(self.candidates)


class Gazetteer:
    """Places indexed by every normalised name, alias and pinyin spelling."""

    def __init__(self, places: Iterable[Place]):
        self.places = tuple(places)
        self._index: dict[str, Place] = {}
        self._claims: dict[str, list[Place]] = {}
        for place in self.places:
            for name in place.names:
                for key in {normalise_name(name), toneless_pinyin(name)} - {""}:
                    # The first place to claim a name keeps it for `find`: parks come before districts, so '海淀'
                    # alone is the district only if no park uses it. `lookup` sees every claimant.
                    self._index.setdefault(key, place)
                    claimants = self._claims.setdefault(key, [])
                    if place not in claimants:
                        claimants.append(place)

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, query: str, limit: int = 6) -> Lookup:
        """What a person typing ``query`` means: the one place of that exact name, or the candidates to choose from.

        A name that several places share ('Haidian': the district and the Science City that bears its name), a
        name inside a longer text, a short form or a misspelling gives candidates, never a silent guess.
        """
        key = normalise_name(query)
        if not key:
            return Lookup(query, None, ())
        found: dict[str, Candidate] = {}

        def offer(place: Place, how: HowMatched, name: str) -> None:
            known = found.get(place.key)
            if known is None or _HOW_ORDER[how] < _HOW_ORDER[known.how]:
                found[place.key] = Candidate(place, how, name)

        pinyin = toneless_pinyin(query)
        for candidate_key in (key, pinyin):
            for place in self._claims.get(candidate_key, []) if candidate_key else []:
                offer(place, "exact", candidate_key)
        exact = [c.place for c in found.values()]
        if len(exact) == 1:
            return Lookup(query, exact[0], tuple(found.values()))
        if exact and _one_spot(exact):  # 'CBD': the CBD zone and the Guomao landmark stand on the same spot
            best = min(
                exact,
                key=lambda p: (
                    p.precision_m if p.precision_m is not None else math.inf,
                    _KIND_RANK.get(p.kind, len(_KIND_RANK)),
                ),
            )
            return Lookup(query, best, tuple(found.values()))
        for name, claimants in self._claims.items():
            if len(name) < 2 or name == key:
                continue
            if name in key or (pinyin and len(name) >= 4 and name in pinyin):
                how: HowMatched | None = "inside"
            elif len(key) >= 2 and (key in name or (pinyin and len(pinyin) >= 4 and pinyin in name)):
                how = "contains"
            elif difflib.SequenceMatcher(None, key, name).ratio() >= _SIMILAR_RATIO:
                how = "similar"
            else:
                how = None
            if how is not None:
                for place in claimants:
                    offer(place, how, name)
        ranked = sorted(
            found.values(),
            key=lambda c: (
                _HOW_ORDER[c.how],
                _KIND_RANK.get(c.place.kind, len(_KIND_RANK)),
                -len(c.matched_name),
                c.place.name_en,
            ),
        )
        return Lookup(query, None, tuple(ranked[:limit]))

    def find(self, query: str) -> GazetteerMatch | None:
        """The place whose name equals the query; else the most specific place named inside it; else None.

        Inside a longer address a park beats a cluster, a hub or a district, and among places of one kind the
        longest name wins: '北京市石景山区首钢园金安路' is Shougang Park, not Shijingshan District.
        """
        key = normalise_name(query)
        if not key:
            return None
        for candidate in (key, toneless_pinyin(query)):
            if candidate and candidate in self._index:
                return GazetteerMatch(self._index[candidate], "exact", candidate)
        inside = [name for name in self._index if len(name) >= 2 and name in key]
        if not inside:
            return None
        best = max(inside, key=lambda name: (-_KIND_RANK.get(self._index[name].kind, len(_KIND_RANK)), len(name)))
        return GazetteerMatch(self._index[best], "partial", best)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(_LIST_SEPARATOR) if part.strip()]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _points_from_rows(rows: list[dict[str, str]], kind_of: Callable[[dict[str, str]], str]) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for row in rows:
        if not row.get("lon") or not row.get("lat"):
            continue
        lon, lat = convert(float(row["lon"]), float(row["lat"]), row["datum"], "wgs84")
        names = (
            row["name_en"],
            row["name_zh"],
            *_split(row.get("aliases") or ""),
            *([row["code"]] if row.get("code") else []),
        )
        places[row["id"]] = Place(
            row["id"], kind_of(row), row["name_en"], row["name_zh"], lon, lat, float(row["precision_m"]), names
        )
    return places


def load_gazetteer(data_dir: Path | str = DEFAULT_DATA_DIR) -> Gazetteer:
    """The atlas's places: parks (and their clusters) first, then transport hubs, then districts."""
    data_dir = Path(data_dir)
    parks = _points_from_rows(_read_csv(data_dir / "parks.csv"), lambda row: "park")
    hubs = _points_from_rows(_read_csv(data_dir / "hubs.csv"), lambda row: row["kind"])
    clusters = []
    for row in _read_csv(data_dir / "clusters.csv"):
        hosts = [parks[p] for p in _split(row["host_parks"]) if p in parks]
        if hosts:
            host = hosts[0]  # the first host park is where the cluster is drawn
            names = (row["name_en"], *([row["name_zh"]] if row.get("name_zh") else []))
            clusters.append(
                Place(
                    row["id"],
                    "cluster",
                    row["name_en"],
                    row.get("name_zh", ""),
                    host.lon,
                    host.lat,
                    host.precision_m,
                    names,
                )
            )
    districts = gpd.read_file(data_dir / "districts.geojson", engine="pyogrio")
    district_places = []
    metric = districts.to_crs(32650)
    points = districts.geometry.representative_point()
    for (_, row), point, area in zip(districts.iterrows(), points, metric.area, strict=True):
        short_zh = row["name_zh"][:-1] if row["name_zh"].endswith("区") else row["name_zh"]
        names = (row["name_zh"], short_zh, row["name_en"], f"{row['name_en']} District")
        # A district's point stands for it only to within about the radius of a circle of its area.
        district_places.append(
            Place(
                row["adcode"],
                "district",
                row["name_en"],
                row["name_zh"],
                point.x,
                point.y,
                round(math.sqrt(area / math.pi)),
                names,
            )
        )
    return Gazetteer([*parks.values(), *clusters, *hubs.values(), *district_places])


#: Places of one name closer than this are one spot to a person (a zone and the landmark it is known by).
SAME_SPOT_KM = 1.0


def _one_spot(places: list[Place]) -> bool:
    """Whether every place lies within SAME_SPOT_KM of every other (all placed)."""
    if any(p.lon is None or p.lat is None for p in places):
        return False
    lons, lats = [p.lon for p in places], [p.lat for p in places]
    return all(
        float(distance_km(a_lon, a_lat, b_lon, b_lat)) <= SAME_SPOT_KM
        for i, (a_lon, a_lat) in enumerate(zip(lons, lats, strict=False))
        for b_lon, b_lat in zip(lons[i + 1 :], lats[i + 1 :], strict=False)
    )
