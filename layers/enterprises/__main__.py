"""python -m layers.enterprises INPUT --out OUTPUT.csv [--engine memory|dask] [--report R.csv] [--counts C.csv]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tqdm import tqdm

from geo.datums import Datum
from geo.geocode import Geocoder
from geo.geocode.__main__ import beijing_boundary
from geo.geocode.cache import DEFAULT_CACHE_PATH, GeocodeCache
from geo.geocode.providers import PROVIDER_NAMES, ConfigurationError, make_provider

from ..files import staged
from ..model.load import DEFAULT_DATA_DIR, load_atlas
from .engines import DEFAULT_BLOCKSIZE, ENGINES, process_csv_dask, process_table
from .joining import label_counts
from .output import OUTPUT_FORMATS, write_counts, write_enriched, write_report
from .reading import COLUMN_GUESSES, ENCODINGS, EnterpriseInputError, describe, read_enterprise_table, resolve_columns


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m layers.enterprises",
        description="Place a company list on the atlas: each firm's park, district and sector, "
        "with a report of every row "
        "that could not be placed, and counts per park and district by sector.",
    )
    parser.add_argument(
        "input",
        type=Path,
        help="CSV (UTF-8, GBK/GB18030, Windows-1252 or UTF-16) or Excel .xlsx; the dask engine reads CSV",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help=f"enriched list: {', '.join(OUTPUT_FORMATS)} (dask: csv)"
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="memory",
        help="memory (default) for lists that fit in RAM; dask streams big CSVs in blocks",
    )
    parser.add_argument("--report", type=Path, help="problem report (default: OUTPUT.problems.csv)")
    parser.add_argument(
        "--counts", type=Path, help="counts per park and district by sector (default: OUTPUT.counts.csv)"
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
        "--blocksize", default=DEFAULT_BLOCKSIZE, help="dask: bytes of CSV per partition (default 64MB)"
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


def _sidecar(out: Path, given: Path | None, kind: str) -> Path:
    return given or out.with_name(f"{out.stem}.{kind}.csv")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    requested = {role: getattr(args, f"{role}_column") for role in COLUMN_GUESSES}
    report, counts_path = _sidecar(args.out, args.report, "problems"), _sidecar(args.out, args.counts, "counts")
    fmt = args.out.suffix.lower().lstrip(".")
    started = time.perf_counter()
    try:
        if fmt not in OUTPUT_FORMATS:
            raise EnterpriseInputError(f"--out must end in one of .{', .'.join(OUTPUT_FORMATS)}")
        if args.engine == "dask" and fmt != "csv":
            raise EnterpriseInputError("the dask engine writes CSV (--out OUTPUT.csv)")
        if not args.input.exists():
            raise EnterpriseInputError(f"{args.input}: no such file")
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
        # three files, or (on a failed write) the previous three untouched.
        with staged(args.out, report, counts_path) as (out_tmp, report_tmp, counts_tmp):
            if args.engine == "dask":
                run = process_csv_dask(
                    args.input,
                    atlas,
                    out_tmp,
                    report_tmp,
                    geocoder,
                    Datum(args.datum),
                    progress,
                    args.blocksize,
                    keep_formulas=keep,
                    **requested,
                )
                counts, statuses, read_as = run.counts, run.status_counts, f"{run.partitions} partitions"
            else:
                raw = read_enterprise_table(args.input, encoding=args.encoding, sheet=args.sheet)
                result = process_table(
                    raw,
                    atlas,
                    resolve_columns(list(raw.frame.columns), **requested),
                    geocoder,
                    Datum(args.datum),
                    progress,
                )
                write_enriched(result.enriched, out_tmp, fmt, keep)
                write_report(result.report, report_tmp, keep)
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
