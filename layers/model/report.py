"""The data report: how complete and how well placed and sourced the atlas is (``python -m layers.validate --report``).

Numbers only, from the loaded atlas; the lists' expected sizes come from ``lists.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .load import Atlas

#: Precision classes, in metres: how far a point may be from the park it stands for.
PRECISION_CLASSES = (
    (1000, "within 1 km"),
    (3000, "within 3 km"),
    (10000, "within 10 km"),
    (float("inf"), "over 10 km"),
)
#: Age classes of a fact's year.
AGE_CLASSES = ((2015, "2015 or before"), (2019, "2016-2019"), (2022, "2020-2022"), (9999, "2023 or later"))


@dataclass(frozen=True)
class ListCoverage:
    """One published list: how many of its items are rows, and how many of those stand at a place of their own."""

    list_id: str
    name: str
    expected: int
    rows: int
    own_point: int


def list_coverage(atlas: Atlas, lists: pd.DataFrame) -> list[ListCoverage]:
    """Coverage of each list in ``lists`` (id, name_en, expected) by the parks that name it in ``lists``."""
    coverage = []
    for item in lists.itertuples():
        members = atlas.parks[atlas.parks["lists"].map(lambda ids, wanted=item.id: wanted in (ids or ()))]
        own = int(members["placement"].isin(["anchor", "fallback"]).sum())
        coverage.append(ListCoverage(item.id, item.name_en, int(item.expected), len(members), own))
    return coverage


def _classed(values: pd.Series, classes: tuple[tuple[float, str], ...]) -> dict[str, int]:
    counts = {label: 0 for _, label in classes}
    for value in values.dropna():
        counts[next(label for limit, label in classes if value <= limit)] += 1
    return counts


def report_lines(atlas: Atlas, lists: pd.DataFrame) -> list[str]:
    """The report as lines of text."""
    parks = atlas.parks
    lines = ["Coverage by list (rows / items; drawn at a place of their own):"]
    total_expected = total_rows = 0
    for c in list_coverage(atlas, lists):
        lines.append(f"  {c.name}: {c.rows} / {c.expected}; {c.own_point} at their own point")
        total_expected += c.expected
        total_rows += min(c.rows, c.expected)
    lines.append(
        f"  all lists: {total_rows} / {total_expected} list items are rows (an item on two lists counts in both)"
    )
    lines.append(f"Points by placement ({len(parks)} rows, every one drawn):")
    for placement, count in parks["placement"].value_counts().sort_index().items():
        lines.append(f"  {placement}: {count}")
    lines.append("Points by precision:")
    for label, count in _classed(parks["precision_m"].astype(float), PRECISION_CLASSES).items():
        lines.append(f"  {label}: {count}")
    lines.append(
        f"Facts by the year they describe ({len(atlas.facts)} facts), "
        f"and areas ({int(parks['area_km2'].notna().sum())} of {len(parks)} rows):"
    )
    facts = _classed(atlas.facts["year"].astype(float), AGE_CLASSES)
    areas = _classed(parks["area_year"].astype(float), AGE_CLASSES)
    for label in facts:
        lines.append(f"  {label}: {facts[label]} facts, {areas[label]} areas")
    sources = atlas.sources
    mirror_only = sorted(sources.loc[sources["url"].isna() | (sources["url"] == ""), "id"])
    lines.append(f"Sources read only through a mirror or copy (no original URL): {len(mirror_only)} of {len(sources)}")
    lines += [f"  {source_id}" for source_id in mirror_only]
    return lines
