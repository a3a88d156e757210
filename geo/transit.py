"""Travel time over a rail network: a stated model, and shortest paths over the stations.

The model (its parameters come from the data, each with its basis):

- walking: the straight line times a detour factor, at a walking speed; only stations within a set straight-line
  distance count as reachable on foot;
- riding: each stretch between two stations is its straight line times a track factor, run at a share of the
  line's top speed, plus a fixed time lost at the stop;
- a wait for the first train, and a fixed time for each change of line.

A journey is found by Dijkstra's algorithm over (station, line) pairs, searched backwards from the destination's
stations so one search answers for every station. Nothing here knows about parks, maps or the app.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .crs import distance_km

Node = tuple[str, str]  # (station, line)


@dataclass(frozen=True)
class TravelModel:
    """The parameters of the travel-time estimate (see the module's docstring)."""

    walk_kmh: float
    walk_detour: float
    max_walk_km: float
    default_top_kmh: float
    cruise_share: float
    track_detour: float
    stop_min: float
    wait_min: float
    transfer_min: float

    @classmethod
    def of(cls, values: Mapping[str, float]) -> TravelModel:
        """From the data's key -> value table; a missing key is an error naming it."""
        missing = [name for name in cls.__dataclass_fields__ if name not in values]
        if missing:
            raise ValueError(f"the travel model lacks {', '.join(missing)}")
        return cls(**{name: float(values[name]) for name in cls.__dataclass_fields__})

    def walk_km(self, straight: float) -> float:
        """How far a person walks to cover a straight line of ``straight`` km."""
        return straight * self.walk_detour

    def walk_min(self, straight: float) -> float:
        """Minutes on foot for a straight line of ``straight`` km."""
        return self.walk_km(straight) / self.walk_kmh * 60

    def ride_min(self, straight: float, top_kmh: float | None) -> float:
        """Minutes for one stretch between stations ``straight`` km apart, stop included."""
        speed = (top_kmh or self.default_top_kmh) * self.cruise_share
        return straight * self.track_detour / speed * 60 + self.stop_min


@dataclass(frozen=True)
class Leg:
    """Part of a journey on one line: board at ``start``, alight at ``end``."""

    line: str
    start: str
    end: str


@dataclass(frozen=True)
class Ride:
    """The best way from a station to the destination: minutes (the wait included) and the legs."""

    minutes: float
    legs: tuple[Leg, ...]

    @property
    def transfers(self) -> int:
        """Changes of line on the way."""
        return max(0, len(self.legs) - 1)


@dataclass
class Network:
    """Stations (id -> lon, lat) and the directed stretches between (station, line) pairs, with minutes."""

    places: dict[str, tuple[float, float]]
    model: TravelModel
    edges: dict[Node, list[tuple[Node, float]]] = field(default_factory=dict)
    lines_at: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        places: Mapping[str, tuple[float, float]],
        patterns: Iterable[tuple[str, list[str]]],
        model: TravelModel,
        top_kmh: Mapping[str, float | None] | None = None,
    ) -> Network:
        """A network from each line's stations in order (one pattern per direction; a station listed twice in a row
        is one stop). An unknown station in a pattern is an error naming it."""
        network = cls(dict(places), model)
        speeds = top_kmh or {}
        for line, stations in patterns:
            for station in stations:
                if station not in network.places:
                    raise ValueError(f"line {line}: unknown station {station!r}")
                network.lines_at.setdefault(station, set()).add(line)
            for here, there in zip(stations, stations[1:], strict=False):
                if here == there:
                    continue
                km = float(distance_km(*network.places[here], *network.places[there]))
                network._add((here, line), (there, line), model.ride_min(km, speeds.get(line)))
        for station, lines in network.lines_at.items():
            for a in lines:
                for b in lines:
                    if a != b:
                        network._add((station, a), (station, b), model.transfer_min)
        return network

    def _add(self, start: Node, end: Node, minutes: float) -> None:
        self.edges.setdefault(start, [])
        current = [i for i, (node, _) in enumerate(self.edges[start]) if node == end]
        if current:
            i = current[0]
            self.edges[start][i] = (end, min(minutes, self.edges[start][i][1]))
        else:
            self.edges[start].append((end, minutes))

    def near(self, lon: float, lat: float, limit_km: float | None = None) -> list[tuple[str, float]]:
        """Stations within ``limit_km`` (default: the model's walking limit) in a straight line, nearest first."""
        limit = self.model.max_walk_km if limit_km is None else limit_km
        served = [sid for sid in self.places if sid in self.lines_at]
        if not served:
            return []
        where = np.array([self.places[sid] for sid in served])
        km = np.atleast_1d(distance_km(lon, lat, where[:, 0], where[:, 1]))
        return sorted(((sid, float(d)) for sid, d in zip(served, km, strict=True) if d <= limit), key=lambda i: i[1])

    def rides_to(self, exits: Mapping[str, float]) -> dict[str, Ride]:
        """From every station, the quickest ride to any of ``exits`` (station -> minutes from it to the destination,
        e.g. the walk from the platform), with the first wait included. Stations that cannot reach one are absent.
        """
        reverse: dict[Node, list[tuple[Node, float]]] = {}
        for start, ends in self.edges.items():
            for end, minutes in ends:
                reverse.setdefault(end, []).append((start, minutes))
        best: dict[Node, float] = {}
        towards: dict[Node, Node | None] = {}
        queue: list[tuple[float, Node]] = []
        for station, minutes in exits.items():
            for line in self.lines_at.get(station, ()):
                node = (station, line)
                if minutes < best.get(node, math.inf):
                    best[node], towards[node] = minutes, None
                    heapq.heappush(queue, (minutes, node))
        while queue:
            minutes, node = heapq.heappop(queue)
            if minutes > best.get(node, math.inf):
                continue
            for before, cost in reverse.get(node, ()):
                total = minutes + cost
                if total < best.get(before, math.inf) - 1e-9:
                    best[before], towards[before] = total, node
                    heapq.heappush(queue, (total, before))
        rides: dict[str, Ride] = {station: Ride(minutes, ()) for station, minutes in exits.items()}  # no train
        for (station, line), minutes in best.items():
            legs = self._legs((station, line), towards)
            total = minutes + (self.model.wait_min if legs else 0.0)
            if station not in rides or total < rides[station].minutes:
                rides[station] = Ride(total, legs)
        return rides

    @staticmethod
    def _legs(node: Node, towards: Mapping[Node, Node | None]) -> tuple[Leg, ...]:
        """The path from ``node`` to an exit, as runs on one line (a change of line starts a new leg)."""
        path: list[Node] = []
        current: Node | None = node
        while current is not None:
            path.append(current)
            current = towards.get(current)
        legs = []
        for line, run in itertools.groupby(path, key=lambda n: n[1]):
            stations = [station for station, _ in run]
            if stations[0] != stations[-1]:
                legs.append(Leg(line, stations[0], stations[-1]))
        return tuple(legs)
