"""Rank parks for an investor: ``python -m layers.rank [--sector S ...] [--only-matching] [--w-sector W] [--w-airport W]
[--w-rail W] [--w-area W] [--w-cbd W] [--max-airport-km KM] [--max-rail-km KM] [--max-cbd-min MIN]
[--format table|csv|json] [--lang en|zh]``.

The same figures as the app's Rank view; sectors by code or by name in English or Chinese.
"""

from __future__ import annotations

import argparse
import sys

from .analysis import RankRequest, hub_access, rank_parks
from .cli import run
from .files import BOM
from .model.load import load_atlas
from .names import resolve, vocabularies
from .views.rank import rank_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.rank", description="Rank parks by weighted criteria.")
    parser.add_argument(
        "--sector", action="append", default=[], help="the investor's sectors, code or name (repeatable)"
    )
    parser.add_argument("--only-matching", action="store_true", help="rank only parks that list one of the sectors")
    for name in ("sector", "airport", "rail", "area"):
        parser.add_argument(f"--w-{name}", type=float, default=1.0, help=f"weight of {name} (0 switches it off)")
    parser.add_argument("--w-cbd", type=float, default=0.0, help="weight of estimated subway minutes to the CBD")
    parser.add_argument(
        "--max-cbd-min", type=float, help="exclude parks more than this many subway minutes from the CBD"
    )
    parser.add_argument("--max-airport-km", type=float, help="exclude parks further from both airports")
    parser.add_argument("--max-rail-km", type=float, help="exclude parks further from every main rail station")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    args = parser.parse_args(argv)
    atlas = load_atlas()
    sectors = resolve(args.sector, "sector", vocabularies(atlas)["sector"])
    try:
        request = RankRequest(
            frozenset(sectors),
            args.w_sector,
            args.w_airport,
            args.w_rail,
            args.w_area,
            args.max_airport_km,
            args.max_rail_km,
            only_matching=args.only_matching,
            w_cbd=args.w_cbd,
            max_cbd_min=args.max_cbd_min,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    ranked = rank_parks(atlas, request, hub_access(atlas))
    limits = {"airport": args.max_airport_km, "rail": args.max_rail_km, "cbd": args.max_cbd_min}
    table = rank_table(atlas, ranked, args.lang, limits)
    if args.format == "json":  # numbers as numbers (km, minutes, scores), for other programs
        print(ranked.to_json(orient="records", force_ascii=False, indent=1))
    elif args.format == "csv":
        sys.stdout.buffer.write(BOM + table.to_csv(index_label="id").encode("utf-8"))
    else:
        print(table.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
