"""The one error boundary every command shares: our errors become 'error: ...' on stderr and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Callable

from geo.coordinates import CoordinateError

from .errors import AtlasError

#: Exit status of a command that could not run as asked (bad input, unknown name); 0 ok; 1 the data is not clean.
EXIT_USAGE = 2


def run(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run a command's ``main``; a user's mistake is one readable line, never a traceback."""
    try:
        return main(argv)
    except (AtlasError, CoordinateError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
