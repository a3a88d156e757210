"""Compare parks side by side: ``python -m layers.compare PARK PARK [...] [--format table|csv|json] [--lang en|zh]``.

Parks are named by id or by name in English or Chinese (``zpark``, ``Zpark``, ``中关村软件园``).
"""

from __future__ import annotations

import argparse
import json
import sys

from geo.gazetteer import normalise_name

from .analysis import hub_access
from .cli import run
from .errors import UnknownKey
from .model.load import Atlas, load_atlas
from .views.compare import compare_parks, comparison_csv, park_figures


def park_ids(atlas: Atlas, names: list[str]) -> list[str]:
    """Ids for park ids, names or aliases; UnknownKey lists the parks."""
    index: dict[str, str] = {}
    for _, park in atlas.parks.iterrows():
        for name in (park["id"], park["name_en"], park["name_zh"], *(park["aliases"] or ())):
            index.setdefault(normalise_name(name), park["id"])
    unknown = [n for n in names if normalise_name(n) not in index]
    if unknown:
        raise UnknownKey(
            "park", unknown, [f"{p} ({n})" for p, n in zip(atlas.parks["id"], atlas.parks["name_en"], strict=True)]
        )
    return [index[normalise_name(n)] for n in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m layers.compare", description="Compare two to four parks side by side."
    )
    parser.add_argument("parks", nargs="+", help="park ids or names, e.g. zpark beijing-etown")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    args = parser.parse_args(argv)
    atlas = load_atlas()
    ids = park_ids(atlas, args.parks)
    access = hub_access(atlas)
    if args.format == "json":  # numbers as numbers, with the model behind the minutes
        figures = {"parks": park_figures(atlas, ids, access), "transit_model": atlas.transit.model}
        print(json.dumps(figures, ensure_ascii=False, indent=1, allow_nan=False))
        return 0
    table = compare_parks(atlas, ids, args.lang, access)
    if args.format == "csv":
        sys.stdout.buffer.write(comparison_csv(table))
    else:
        print(table.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
