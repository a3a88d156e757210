"""Compare parks side by side: ``python -m layers.compare PARK_ID PARK_ID [...] [--format table|csv|json] [--lang en|zh]``."""

from __future__ import annotations

import argparse
import sys

from .analysis import compare_parks
from .load import load_atlas


def comparison_csv(table) -> bytes:
    """The comparison as CSV, UTF-8 with a BOM for Excel on Chinese Windows (the app's download uses this too)."""
    return table.to_csv(index_label="attribute").encode("utf-8-sig")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.compare", description="Compare two to four parks side by side.")
    parser.add_argument("parks", nargs="+", help="park ids, e.g. zpark beijing-etown")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    args = parser.parse_args(argv)
    try:
        table = compare_parks(load_atlas(), args.parks, args.lang)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "csv":
        sys.stdout.buffer.write(comparison_csv(table))
    elif args.format == "json":
        print(table.to_json(orient="columns", force_ascii=False, indent=1))
    else:
        print(table.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
