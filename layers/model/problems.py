"""A problem found in the data: where it is and what is wrong, in one readable line."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import AtlasError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one field of one row of one table."""

    table: str
    row_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.table}: {self.row_id}: {self.field}: {self.message}"


class DataError(AtlasError):
    """Raised when data cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the atlas data:\n{shown}{more}")
