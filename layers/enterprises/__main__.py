"""python -m layers.enterprises INPUT --out OUTPUT.csv [--engine memory|dask] [--report R.csv] [--counts C.csv]

With ``--engine dask`` INPUT and the outputs may be fsspec URLs (s3://bucket/key with --storage-option) and the run
may go to a dask.distributed cluster (--scheduler, or DASK_SCHEDULER_ADDRESS)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tqdm import tqdm

from geo.datums import Datum
from geo.geocode import Geocoder
from geo.geocode.__main__ import beijing_boundary
from geo.geocode.cache import DEFAULT_CACHE_PATH, GeocodeCache
from geo.geocode.providers import PROVIDER_NAMES, ConfigurationError, make_provider

from ..model.load import DEFAULT_DATA_DIR, load_atlas
from .dask_engine import DASK_OUTPUTS, DEFAULT_BLOCKSIZE, SCHEDULER_ENV, process_with_dask, scheduler_address
from .engines import ENGINES, process_table
from .joining import label_counts
from .output import OUTPUT_FORMATS, write_counts, write_enriched, write_report
from .reading import COLUMN_GUESSES, ENCODINGS, EnterpriseInputError, describe, read_enterprise_table, resolve_columns
from .storage import Location, staged_locations


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m layers.enterprises",
        description="Place a company list on the atlas: each firm's park, district and sector, "
        "with a report of every row "
        "that could not be placed, and counts per park and district by sector.",
    )
    parser.add_argument(
        "input",
        help="CSV (UTF-8, GBK/GB18030, Windows-1252 or UTF-16) or Excel .xlsx; the dask engine reads CSV or Parquet, "
        "from a path or an fsspec URL (s3://bucket/firms.csv)",
    )
    parser.add_argument(
        "--out",
        required=True,
        help=f"enriched list: {', '.join(OUTPUT_FORMATS)}; dask: .csv, or .parquet (a GeoParquet folder by district)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="memory",
        help="memory (default) for lists that fit in RAM; dask streams big CSVs in blocks",
    )
    parser.add_argument("--report", help="problem report (default: OUTPUT.problems.csv)")
    parser.add_argument("--counts", help="counts per park and district by sector (default: OUTPUT.counts.csv)")
    parser.add_argument(
        "--scheduler",
        help=f"dask: the cluster's scheduler (tcp://HOST:8786; default ${SCHEDULER_ENV}, else this machine's threads)",
    )
    parser.add_argument(
        "--storage-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="dask: an fsspec option for URLs, repeatable (endpoint_url=http://minio:9000, anon=true)",
    )
    for role, guesses in COLUMN_GUESSES.items():
        parser.add_argument(
            f"--{role}-column", help=f"column with the {role} (default: the first of {', '.join(guesses[:4])}, ...)"
        )
    parser.add_argument(
        "--datum",
        choices=[d.value for d in Datum],
        default="wgs84",
        help="datum of coordinates when the row gives none (gcj02 for Gaode/AMap/Tencent, bd09 for Baidu)",
    )
    parser.add_argument(
        "--provider", choices=PROVIDER_NAMES, default="gazetteer", help="geocoder for rows with only an address"
    )
    parser.add_argument("--endpoint", help="base URL of the geocoding provider")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE_PATH, help="geocoding cache")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the geocoding cache")
    parser.add_argument(
        "--blocksize", default=DEFAULT_BLOCKSIZE, help="dask: bytes of the list per partition (default 64MB)"
    )
    parser.add_argument(
        "--encoding", choices=ENCODINGS, help="read the CSV in this encoding (default: judged, and stated)"
    )
    parser.add_argument(
        "--sheet", help="Excel: the sheet to read (default: the first whose header names firms and sectors)"
    )
    parser.add_argument(
        "--keep-formulas",
        action="store_true",
        help="write cells beginning with = + - @ exactly as given (by default they get a leading ' so a "
        "spreadsheet shows them as text instead of running them)",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="atlas data folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _sidecar(out: str, given: str | None, kind: str) -> str:
    """OUTPUT.kind.csv beside OUTPUT (a path or a URL), unless given."""
    if given:
        return given
    folder, _, name = out.rstrip("/").rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{folder}/{stem}.{kind}.csv" if folder else f"{stem}.{kind}.csv"


def storage_options(pairs: list[str]) -> dict[str, object]:
    """KEY=VALUE pairs as fsspec options; a value that reads as JSON (true, 3, {...}) is taken as such."""
    options: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise EnterpriseInputError(f"--storage-option {pair!r}: expected KEY=VALUE")
        try:
            options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            options[key.strip()] = value
    return options


def _is_url(text: str) -> bool:
    return "://" in text and not text.startswith("file://")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    requested = {role: getattr(args, f"{role}_column") for role in COLUMN_GUESSES}
    report, counts_path = _sidecar(args.out, args.report, "problems"), _sidecar(args.out, args.counts, "counts")
    fmt = args.out.rstrip("/").rsplit(".", 1)[-1].lower() if "." in args.out else ""
    started = time.perf_counter()
    try:
        if args.engine == "dask" and fmt not in DASK_OUTPUTS:
            raise EnterpriseInputError("the dask engine writes CSV or GeoParquet (--out OUTPUT.csv or OUTPUT.parquet)")
        if args.engine == "memory":
            if fmt not in OUTPUT_FORMATS:
                raise EnterpriseInputError(f"--out must end in one of .{', .'.join(OUTPUT_FORMATS)}")
            if any(_is_url(t) for t in (args.input, args.out, report, counts_path)):
                raise EnterpriseInputError("the memory engine reads and writes local files; use --engine dask for URLs")
            if not Path(args.input).exists():
                raise EnterpriseInputError(f"{args.input}: no such file")
        options = storage_options(args.storage_option)
        atlas = load_atlas(args.data)
        provider = make_provider(args.provider, args.endpoint, data_dir=args.data)
    except (EnterpriseInputError, ConfigurationError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    cache = None if args.no_cache else GeocodeCache(args.cache)
    geocoder = Geocoder(provider, cache=cache, boundary=beijing_boundary(args.data))

    def progress(items):
        return tqdm(items, desc=f"geocoding ({provider.name})", unit="address", file=sys.stderr, disable=args.quiet)

    keep = args.keep_formulas
    try:
        # The list, its report and its counts are written side by side and moved into place together: one run's
        # three outputs, or (on a failed write) the previous three untouched.
        targets = [Location.of(t, options) for t in (args.out, report, counts_path)]
        with staged_locations(*targets) as (out_tmp, report_tmp, counts_tmp):
            if args.engine == "dask":
                run = process_with_dask(
                    args.input,
                    atlas,
                    out_tmp.url,
                    report_tmp.url,
                    geocoder,
                    Datum(args.datum),
                    progress,
                    args.blocksize,
                    keep_formulas=keep,
                    scheduler=scheduler_address(args.scheduler),
                    storage_options=options,
                    out_format=fmt,
                    **requested,
                )
                counts, statuses, read_as = (
                    run.counts,
                    run.status_counts,
                    f"{run.partitions} partitions on {run.ran_on}",
                )
            else:
                raw = read_enterprise_table(Path(args.input), encoding=args.encoding, sheet=args.sheet)
                result = process_table(
                    raw,
                    atlas,
                    resolve_columns(list(raw.frame.columns), **requested),
                    geocoder,
                    Datum(args.datum),
                    progress,
                )
                write_enriched(result.enriched, Path(out_tmp.path), fmt, keep)
                write_report(result.report, Path(report_tmp.path), keep)
                counts, statuses, read_as = result.counts, result.status_counts, describe(raw)
                if result.replaced_columns:
                    print(
                        f"note: recomputed the input's own {', '.join(result.replaced_columns)} columns",
                        file=sys.stderr,
                    )
                for label, rows in result.unknown_sectors.items():
                    print(
                        f"note: sector {label!r} ({rows} rows) is not in the atlas vocabulary; kept as unmapped",
                        file=sys.stderr,
                    )
            write_counts(label_counts(counts, atlas), counts_tmp)
    except EnterpriseInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a full or read-only disk: said plainly, and nothing half-written is left
        print(f"error: cannot write the output beside {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2
    finally:
        if cache is not None:
            cache.close()
    total = sum(statuses.values())
    seconds = time.perf_counter() - started
    print(
        f"read {args.input} ({read_as}); {total:,} rows in {seconds:.1f} s: "
        + ", ".join(f"{n:,} {status.replace('_', ' ')}" for status, n in statuses.items())
    )
    print(f"wrote {args.out}, the problem report {report} and the counts {counts_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
