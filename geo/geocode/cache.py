"""A persistent on-disk cache of geocoding answers, keyed by provider and normalised query.

Each answer is committed as soon as it arrives, so a batch that fails or is killed half-way keeps what it
had, and a re-run resumes. Only definite answers (a point, or "not found") are kept: errors are retried.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import unicodedata
from pathlib import Path

from .model import Candidate

DEFAULT_CACHE_PATH = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "beijing-atlas" / "geocode.sqlite"


def normalise_query(query: str) -> str:
    """Width-, case- and whitespace-folded query: '  北京市 海淀区 ' and '北京市海淀区' share an entry."""
    text = unicodedata.normalize("NFKC", query).casefold().strip()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([,，;；])\s*", r"\1", text)


class GeocodeCache:
    """SQLite-backed cache; safe to open from several processes one after another."""

    def __init__(self, path: Path | str = DEFAULT_CACHE_PATH):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        # WAL with synchronous=NORMAL: every committed answer survives the process being killed; only a power
        # cut can lose the last few. Skipping the fsync per answer keeps a warm or cold batch fast.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (provider TEXT, query TEXT, found INTEGER, candidate TEXT,"
            " PRIMARY KEY (provider, query))"
        )
        self._db.commit()

    def get(self, provider: str, query: str) -> tuple[bool, Candidate | None] | None:
        """(True, candidate) or (False, None) for a cached answer; None when the query was never answered."""
        row = self._db.execute(
            "SELECT found, candidate FROM answers WHERE provider = ? AND query = ?", (provider, normalise_query(query))
        ).fetchone()
        if row is None:
            return None
        found, candidate = row
        return (True, Candidate(**json.loads(candidate))) if found else (False, None)

    def put(self, provider: str, query: str, candidate: Candidate | None) -> None:
        """Store an answer (a candidate, or None for not found) and commit it at once."""
        payload = json.dumps(candidate.__dict__, ensure_ascii=False) if candidate else None
        self._db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
            (provider, normalise_query(query), 1 if candidate else 0, payload),
        )
        self._db.commit()

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        self._db.close()
