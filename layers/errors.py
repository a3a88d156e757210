"""The atlas's errors: one base, so callers (and each command's one error boundary) can catch ours and only ours."""

from __future__ import annotations

from collections.abc import Iterable


class AtlasError(ValueError):
    """Something the user asked for or gave cannot be used; the message says what and what to do instead."""


class UnknownKey(AtlasError):
    """A park, sector, district, basemap, layer or format that does not exist; the message lists the choices."""

    def __init__(self, kind: str, values: Iterable[str], choices: Iterable[str]):
        self.kind = kind
        self.values = tuple(values)
        self.choices = tuple(choices)
        shown = ", ".join(self.choices[:40]) + (" ..." if len(self.choices) > 40 else "")
        super().__init__(f"unknown {kind} {', '.join(repr(v) for v in self.values)}: expected one of {shown}")
