"""``python -m layers.export --out FILE.{html,geojson,csv,gpkg} [--sector S ...] [--district D ...] [--kind K ...]
[--text TEXT] [--basemap NAME] [--lang en|zh]``

Sectors, districts and kinds are accepted as codes or as names in English or Chinese ('Integrated circuits',
'集成电路', 'hp_ic'; 'Haidian', '海淀区', '110108'); an unknown one is answered with the valid choices.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import AtlasError, UnknownKey
from ..map import BASEMAPS, MapRequest
from ..model.load import load_atlas
from ..names import resolve, vocabularies
from ..selection import Selection, select
from . import FORMATS, export_data, export_html


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m layers.export", description="Export the atlas's map or data.")
    parser.add_argument("--out", type=Path, required=True, help="file to write: .html, .geojson, .csv or .gpkg")
    parser.add_argument("--format", choices=tuple(FORMATS), help="default: from the file's suffix")
    parser.add_argument(
        "--sector", action="append", default=[], help="sector code or name, English or Chinese (repeatable)"
    )
    parser.add_argument(
        "--district", action="append", default=[], help="district adcode or name, English or Chinese (repeatable)"
    )
    parser.add_argument(
        "--kind", action="append", default=[], help="park kind: park, sub-park, functional zone (repeatable)"
    )
    parser.add_argument("--text", default="", help="text search over names, aliases and sectors")
    parser.add_argument("--basemap", default="osm", choices=[b.key for b in BASEMAPS])
    parser.add_argument("--lang", default="en", choices=["en", "zh"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    try:
        if fmt not in FORMATS:
            raise UnknownKey("format", [fmt], list(FORMATS))
        atlas = load_atlas()
        names = vocabularies(atlas)
        selection = Selection.of(
            resolve(args.sector, "sector", names["sector"]),
            resolve(args.district, "district", names["district"]),
            resolve(args.kind, "kind", names["kind"]),
            args.text,
        )
        shown = select(atlas, selection)
        if fmt == "html":
            count = export_html(atlas, shown, MapRequest(selection, args.basemap, args.lang), args.out)
        else:
            count = export_data(atlas, shown, args.out, fmt, args.lang)
    except AtlasError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({fmt}, {count} parks, {args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
