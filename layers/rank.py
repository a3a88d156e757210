"""Rank parks for an investor: ``python -m layers.rank [--sector CODE ...] [--w-sector W] [--w-airport W] [--w-rail W]
[--w-area W] [--max-airport-km KM] [--max-rail-km KM] [--format table|csv]``. The same figures as the app's Rank view."""

from __future__ import annotations

import argparse
import sys

from .analysis import RankRequest, rank_parks
from .filters import expand_sectors
from .load import load_atlas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.rank", description="Rank parks by weighted criteria.")
    parser.add_argument("--sector", action="append", default=[], help="the investor's sector codes (repeatable)")
    for name, default in (("sector", 1.0), ("airport", 1.0), ("rail", 1.0), ("area", 1.0)):
        parser.add_argument(f"--w-{name}", type=float, default=default, help=f"weight of {name} (0 switches it off)")
    parser.add_argument("--max-airport-km", type=float, help="exclude parks further from both airports")
    parser.add_argument("--max-rail-km", type=float, help="exclude parks further from every main rail station")
    parser.add_argument("--format", choices=("table", "csv"), default="table")
    args = parser.parse_args(argv)
    atlas = load_atlas()
    unknown = [c for c in args.sector if c not in atlas.sectors]
    if unknown:
        print(f"error: unknown sector(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        request = RankRequest(frozenset(args.sector), args.w_sector, args.w_airport, args.w_rail, args.w_area,
                              args.max_airport_km, args.max_rail_km)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    table = rank_parks(atlas, request, expand_sectors(args.sector, atlas.sectors))
    if args.format == "csv":
        sys.stdout.buffer.write(table.to_csv(index=False).encode("utf-8-sig"))
    else:
        print(table.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
