"""How the parks relate: the published lists they belong to, the zones they lie within, and whether a child's point
sits inside its parent's (schematic) extent. Checked by the loader, so a bad relation is reported by row and field."""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np

from geo.crs import distance_km

from .problems import Problem

TABLE = "parks.csv"


def check_relations(park_rows: list[dict], list_rows: list[dict]) -> list[Problem]:
    """Every list and every zone a park names exists; ``within`` names neither the park itself nor its parent (that
    relation is already recorded); a catalogue code is held by one row only; no list has more members than items."""
    list_ids = {r["id"] for r in list_rows if r.get("id")}
    park_ids = {r["id"] for r in park_rows if r.get("id")}
    problems = []
    for row in park_rows:
        label = row["_label"]
        for list_id in row.get("lists") or ():
            if list_id not in list_ids:
                problems.append(Problem(TABLE, label, "lists", f"unknown list {list_id!r} (not in lists.csv)"))
        for other in row.get("within") or ():
            if other not in park_ids:
                problems.append(Problem(TABLE, label, "within", f"unknown park {other!r}"))
            elif other == row.get("id"):
                problems.append(Problem(TABLE, label, "within", "a park cannot lie within itself"))
            elif other == row.get("parent"):
                problems.append(Problem(TABLE, label, "within", f"{other!r} is already its parent"))
    codes = Counter(r["catalogue_code"] for r in park_rows if r.get("catalogue_code"))
    for row in park_rows:
        if codes.get(row.get("catalogue_code"), 0) > 1:
            problems.append(
                Problem(
                    TABLE,
                    row["_label"],
                    "catalogue_code",
                    f"{row['catalogue_code']} is held by {codes[row['catalogue_code']]} rows",
                )
            )
    for row in list_rows:
        members = sum(1 for park in park_rows if row.get("id") in (park.get("lists") or ()))
        if row.get("expected") is not None and members > row["expected"]:
            problems.append(
                Problem(
                    "lists.csv",
                    row["_label"],
                    "expected",
                    f"{members} parks are in the list, more than the {row['expected']:g} it holds",
                )
            )
    return problems


def extent_radius_m(area_km2: float | None) -> float:
    """The radius of the equal-area circle that stands for a park's extent (0 without an area)."""
    return 0.0 if area_km2 is None or np.isnan(area_km2) else float(np.sqrt(area_km2 * 1e6 / np.pi))


def check_children_inside_parents(parks: gpd.GeoDataFrame) -> list[Problem]:
    """A sub-park (``parent``) or a zone inside another (``within``) must lie inside the container's extent: its
    point no farther from the container's point than the container's radius plus both points' precisions."""
    by_id = {r.id: r for r in parks.itertuples()}
    problems = []
    for child in parks.itertuples():
        containers = [("parent", child.parent)] if isinstance(child.parent, str) and child.parent else []
        containers += [("within", w) for w in (child.within or ())]
        for column, container_id in containers:
            container = by_id.get(container_id)
            if container is None or container.geometry is None or child.geometry is None:
                continue
            km = float(distance_km(child.geometry.x, child.geometry.y, container.geometry.x, container.geometry.y))
            allowed = (extent_radius_m(container.area_km2) + _precision(container) + _precision(child)) / 1000
            if km > allowed:
                problems.append(
                    Problem(
                        TABLE,
                        f"id {child.id}",
                        column,
                        f"its point is {km:.1f} km from {container_id}'s, outside that zone's extent and both "
                        f"points' precision ({allowed:.1f} km): move a point or widen its precision",
                    )
                )
    return problems


def _precision(row) -> float:
    value = row.precision_m
    return 0.0 if value is None or np.isnan(value) else float(value)
