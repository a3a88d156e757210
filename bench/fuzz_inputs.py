"""A long campaign of the property-based input tests: generated company lists and geocode batches, careless ones.

Run on demand:  .venv/bin/python -m bench.fuzz_inputs [--examples 2000]
The test suite runs the same properties with 60 examples each; this runs many more and prints, per property, how
many files were generated and how long it took, then whether any broke the oracle (every row back once with its
own cells, or reported by row; clean coordinates placed where they say; only the readers' own errors raised).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="generated files per property")
    args = parser.parse_args()
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_input_properties.py",
            "--hypothesis-show-statistics",
        ],
        cwd=ROOT,
        env={**os.environ, "ATLAS_HYPOTHESIS_EXAMPLES": str(args.examples)},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    current = None
    for line in done.stdout.splitlines():
        if line.startswith("tests/test_input_properties.py::"):
            current = line.split("::")[1].rstrip(":")
        found = re.search(r"- (\d+) passing, (\d+) failing", line)
        if found and current:
            print(f"{current:75} {int(found.group(1)):6,} files passed, {int(found.group(2))} failed")
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    print(f"{summary} ({seconds:.0f} s, {args.examples:,} examples per property)")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
