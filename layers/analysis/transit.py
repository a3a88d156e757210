"""Each park's rail access: its nearest stations, the lines that serve it, and estimated minutes to every hub.

Numbers only (ids, km, minutes; no labels). Every minute is an estimate of the model in ``data/transit_model.csv``
(``geo.transit``): walk to a station, wait, ride, change, walk from the station to the hub. A park drawn at its
district's or the city's centre gets none (its point says nothing of how far the station is), nor one with no
station within walking distance; ``gap`` says which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from geo.crs import distance_km
from geo.transit import Leg, Network, Ride, TravelModel

from ..model.load import PLACEMENT_CITY, PLACEMENT_DISTRICT, PLACEMENT_NONE, Atlas
from .distances import hub_distances

#: Stations within this straight line count as the park's own ("the lines that serve it").
SERVING_KM = 1.5
#: How many stations a park's details list.
NEAREST_SHOWN = 3
GAP_VAGUE = "vague"  # drawn at its district's or the city's centre
GAP_FAR = "far"  # no station within the model's walking limit


@dataclass(frozen=True)
class ParkTransit:
    """One park's rail access (``minutes``/``legs`` by hub id; a hub missing there cannot be reached)."""

    park: str
    #: (station id, straight-line km, walking minutes), nearest first
    stations: tuple[tuple[str, float, float], ...]
    lines: tuple[str, ...]
    minutes: dict[str, float]
    legs: dict[str, tuple[Leg, ...]]
    gap: str | None
    #: the park's point stands for an area wider than the walking limit: the walk and minutes are rough
    approximate: bool = False


def transit_network(atlas: Atlas) -> Network:
    """The atlas's network with its model (built in well under a second; cache it by the data, not per selection)."""
    transit = atlas.transit
    places = {row.id: (row.geometry.x, row.geometry.y) for row in transit.stations.itertuples()}
    patterns = [(line, list(stations)) for line, _, stations in transit.patterns()]
    top = {
        row.id: (None if row.top_kmh is None or pd.isna(row.top_kmh) else float(row.top_kmh))
        for row in transit.lines.itertuples()
    }
    return Network.build(places, patterns, TravelModel.of(transit.model), top)


def hub_rides(atlas: Atlas, network: Network) -> dict[str, dict[str, Ride]]:
    """For each hub: from every station, the quickest ride there (the walk from the hub's stations included)."""
    rides = {}
    for hub in atlas.hubs.itertuples():
        exits = {sid: network.model.walk_min(km) for sid, km in network.near(hub.geometry.x, hub.geometry.y)}
        rides[hub.id] = network.rides_to(exits) if exits else {}
    return rides


def park_transit(atlas: Atlas, network: Network | None = None) -> dict[str, ParkTransit]:
    """Every park's rail access, by park id."""
    network = network or transit_network(atlas)
    rides = hub_rides(atlas, network)
    found = {}
    for park in atlas.parks.itertuples():
        found[park.id] = _one_park(park, atlas, network, rides)
    return found


def _one_park(park, atlas: Atlas, network: Network, rides: dict[str, dict[str, Ride]]) -> ParkTransit:
    if park.geometry is None or park.placement in (PLACEMENT_DISTRICT, PLACEMENT_CITY, PLACEMENT_NONE):
        return ParkTransit(park.id, (), (), {}, {}, GAP_VAGUE)
    lon, lat = park.geometry.x, park.geometry.y
    access = network.near(lon, lat)
    if not access:
        return ParkTransit(park.id, (), (), {}, {}, GAP_FAR)
    model = network.model
    stations = tuple((sid, round(km, 3), round(model.walk_min(km), 1)) for sid, km in access[:NEAREST_SHOWN])
    serving = sorted({line for sid, km in access if km <= SERVING_KM for line in network.lines_at[sid]})
    minutes, legs = {}, {}
    for hub in atlas.hubs.itertuples():
        best, best_legs = math.inf, ()
        for sid, km in access:
            ride = rides[hub.id].get(sid)
            if ride is not None and model.walk_min(km) + ride.minutes < best:
                best, best_legs = model.walk_min(km) + ride.minutes, ride.legs
        on_foot = float(distance_km(lon, lat, hub.geometry.x, hub.geometry.y))
        if on_foot <= model.max_walk_km and model.walk_min(on_foot) < best:
            best, best_legs = model.walk_min(on_foot), ()  # close enough to walk all the way
        if best < math.inf:
            minutes[hub.id], legs[hub.id] = round(best, 1), best_legs
    rough = not pd.isna(park.precision_m) and park.precision_m > model.max_walk_km * 1000
    return ParkTransit(park.id, stations, tuple(serving), minutes, legs, None, bool(rough))


def transit_figures(atlas: Atlas, access: dict[str, ParkTransit]) -> pd.DataFrame:
    """Per park (index: id): nearest station and its walk (km, minutes), lines serving it, minutes to each hub
    (``min_<hub>``), ``transit_gap`` where there is no estimate and ``transit_approximate`` where the park's point is
    too coarse for the walk to mean much. Numbers stay numbers (NaN when missing)."""
    rows = []
    for park_id in atlas.parks["id"]:
        item = access[park_id]
        first = item.stations[0] if item.stations else None
        rows.append(
            {
                "id": park_id,
                "station": first[0] if first else None,
                "station_km": first[1] if first else math.nan,
                "walk_min": first[2] if first else math.nan,
                "lines": item.lines,
                **{f"min_{hub}": item.minutes.get(hub, math.nan) for hub in atlas.hubs["id"]},
                "transit_gap": item.gap,
                "transit_approximate": item.approximate,
            }
        )
    return pd.DataFrame(rows).set_index("id")


def hub_access(atlas: Atlas) -> pd.DataFrame:
    """Per park (index: id): the straight-line distances (``hub_distances``) and the rail figures
    (``transit_figures``) side by side; depends on the data alone, so compute it once."""
    return hub_distances(atlas).join(transit_figures(atlas, park_transit(atlas)))
