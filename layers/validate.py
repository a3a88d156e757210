"""Check the atlas data: ``python -m layers.validate [--data DIR] [--report]``.

Prints one line per problem (table, row, field, what is wrong) and exits 1 if there is any; prints a
one-line summary and exits 0 when the data is clean; ``--report`` adds coverage by list, points by precision,
facts by age and the sources read only through mirrors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .model.load import DEFAULT_DATA_DIR, read_atlas
from .model.report import report_lines
from .model.schema import LISTS, read_table


def main(argv: list[str] | None = None) -> int:
    """Run the checks and report; the exit status is what CI and scripts rely on."""
    parser = argparse.ArgumentParser(prog="python -m layers.validate", description="Check the atlas data.")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help=f"data directory (default {DEFAULT_DATA_DIR})"
    )
    parser.add_argument(
        "--report", action="store_true", help="also print the data report (coverage, precision, age, mirrors)"
    )
    args = parser.parse_args(argv)
    atlas, problems = read_atlas(args.data)
    if problems:
        for problem in sorted(problems):
            print(problem)
        print(f"{len(problems)} problem(s) found in {args.data}", file=sys.stderr)
        return 1
    assert atlas is not None
    located = int((atlas.parks["placement"] != "none").sum())
    print(
        f"ok: {len(atlas.parks)} parks ({located} placed), {len(atlas.clusters)} clusters, "
        f"{len(atlas.sectors)} sectors, {len(atlas.districts)} districts, {len(atlas.hubs)} hubs, "
        f"{len(atlas.facts)} facts, {len(atlas.sources)} sources; transit: {len(atlas.transit.lines)} lines, "
        f"{len(atlas.transit.stations)} stations"
    )
    if args.report:
        rows, _ = read_table(args.data / LISTS.filename, LISTS)
        print("\n".join(report_lines(atlas, pd.DataFrame(rows))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
