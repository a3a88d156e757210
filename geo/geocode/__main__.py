"""python -m geo.geocode INPUT.csv --out OUTPUT.csv [--provider NAME] [--endpoint URL] [--address-column COL]"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..csvfile import ENCODINGS, encoding_label
from ..datums import Datum
from ..gazetteer import DEFAULT_DATA_DIR
from . import Geocoder
from .batch import BatchInputError, choose_address_column, geocode_table, read_input, result_columns, write_output
from .cache import DEFAULT_CACHE_PATH, GeocodeCache
from .providers import DEFAULT_TIMEOUT_S, DEFAULT_USER_AGENT, PROVIDER_NAMES, ConfigurationError, make_provider
from .resilience import RetryPolicy


def beijing_boundary(data_dir: Path) -> Any:
    """Beijing's outline from the atlas's district file, or None (then a bounding box is used)."""
    path = data_dir / "districts.geojson"
    if not path.exists():
        return None
    import geopandas as gpd
    import shapely

    outline = gpd.read_file(path, engine="pyogrio").union_all()
    shapely.prepare(outline)  # thousands of point checks against one polygon
    return outline


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo.geocode", description="Geocode a CSV of addresses to WGS-84.")
    parser.add_argument(
        "input", type=Path, help="CSV file: UTF-8, GBK/GB18030, Windows-1252 or UTF-16 (judged, and said)"
    )
    parser.add_argument("--encoding", choices=ENCODINGS, help="read the input in this encoding instead of judging it")
    parser.add_argument(
        "--keep-formulas",
        action="store_true",
        help="write cells beginning with = + - @ as given (by default a leading ' keeps a spreadsheet "
        "from running them)",
    )
    parser.add_argument("--out", type=Path, required=True, help="where to write every input row with the results")
    parser.add_argument("--provider", choices=PROVIDER_NAMES, default="gazetteer", help="default: gazetteer (offline)")
    parser.add_argument("--endpoint", help="base URL of the provider (a mirror, or a test server)")
    parser.add_argument("--address-column", help="column with the addresses (default: address/地址/name/名称)")
    parser.add_argument("--datum", choices=[d.value for d in Datum], default="wgs84", help="datum of typed coordinates")
    parser.add_argument("--datum-column", help="column giving each row's datum for typed coordinates")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE_PATH, help=f"answer cache (default {DEFAULT_CACHE_PATH})"
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per request")
    parser.add_argument("--tries", type=int, default=4, help="tries per address for timeouts, 429 and 5xx")
    parser.add_argument("--backoff", type=float, default=1.0, help="seconds before the first retry, doubling after")
    parser.add_argument(
        "--min-interval", type=float, help="seconds between requests (Nominatim: 1, never less on the public server)"
    )
    parser.add_argument("--user-agent", default=DEFAULT_USER_AGENT, help="identifies the batch to Nominatim")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA_DIR, help="atlas data for the gazetteer and Beijing's outline"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        table = read_input(args.input, args.encoding)
        address_column = choose_address_column(table.header, args.address_column)
        if args.datum_column and args.datum_column not in table.header:
            raise BatchInputError(f"no column {args.datum_column!r}; the columns are: {', '.join(table.header)}")
        provider = make_provider(
            args.provider, args.endpoint, args.timeout, args.min_interval, args.user_agent, args.data
        )
        retry = RetryPolicy(max_tries=args.tries, first_delay_s=args.backoff)
    except (BatchInputError, ConfigurationError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    cache = None if args.no_cache else GeocodeCache(args.cache)
    geocoder = Geocoder(provider, cache=cache, retry=retry, boundary=beijing_boundary(args.data))
    added = result_columns(table.header)
    if added[0] != "lon":
        print("note: the input already has some result column names; results go to geocode_* columns", file=sys.stderr)

    def progress(rows: Iterable) -> Iterable:
        return tqdm(rows, desc=f"geocoding ({provider.name})", unit="row", file=sys.stderr, disable=args.quiet)

    try:
        rows, summary = geocode_table(table, address_column, geocoder, args.datum_column, args.datum, progress)
    finally:
        if cache is not None:
            cache.close()
    if geocoder.cache_failure:
        print(f"note: {geocoder.cache_failure}", file=sys.stderr)
    try:
        write_output(args.out, table.header + added, rows, args.keep_formulas)
    except OSError as error:  # a full or read-only disk: said plainly; exit 1 would claim the file was written
        print(f"error: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"read {args.input} as {encoding_label(table.encoding)}; wrote {args.out}")
    print(summary)
    return 0 if summary.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
