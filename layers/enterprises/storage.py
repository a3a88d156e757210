"""Where a company list is read from and written to: a local path or an fsspec URL (``s3://`` through s3fs, for any
S3-compatible store). Workers open these themselves, so no step needs a disk shared with the client.

Outputs are written under temporary names beside their targets and moved into place together at the end: a run
that fails leaves the previous outputs as they were. On a local disk each move is a rename; in an object store it
is a copy, so a reader may briefly see the new list beside the old report.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from ..files import STALE_AFTER_S, remove_stale_temporaries

#: Temporary names carry this, so an abandoned one is recognisable (and the parts' folders too).
TEMPORARY_MARK = ".atlas-tmp-"


@dataclass(frozen=True)
class Location:
    """A file or folder on some filesystem: what a worker needs to open it (both parts pickle)."""

    fs: Any
    path: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, url: str, options: Mapping[str, Any] | None = None) -> Location:
        """``url`` as fsspec understands it: a path, ``file://``, ``s3://bucket/key``, ..."""
        fs, path = fsspec.core.url_to_fs(str(url), **dict(options or {}))
        return cls(fs, path, dict(options or {}))

    @property
    def url(self) -> str:
        """The location again as a URL dask's readers and writers take (with ``options``)."""
        return self.fs.unstrip_protocol(self.path)

    @property
    def name(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem)

    def child(self, name: str) -> Location:
        return Location(self.fs, f"{self.path.rstrip('/')}/{name}", self.options)

    def sibling(self, name: str) -> Location:
        parent = self.path.rstrip("/").rsplit("/", 1)[0] if "/" in self.path.rstrip("/") else ""
        return Location(self.fs, f"{parent}/{name}" if parent else name, self.options)

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def open(self, mode: str = "rb"):
        """The file, opened (a folder on the way to it is made when writing to a local disk)."""
        if "w" in mode and self.is_local:
            self.fs.makedirs(self.fs._parent(self.path), exist_ok=True)
        return self.fs.open(self.path, mode)

    def remove(self) -> None:
        """Gone, file or folder, if it was there."""
        if self.fs.exists(self.path):
            self.fs.rm(self.path, recursive=True)

    def replace(self, target: Location) -> None:
        """Move this file or folder to ``target``, replacing what was there."""
        if self.fs.isdir(self.path):
            old = target.sibling(f"{TEMPORARY_MARK}old-{secrets.token_hex(4)}-{target.name}")
            if target.exists():
                target.fs.mv(target.path, old.path, recursive=True)
            self.fs.mv(self.path, target.path, recursive=True)
            old.remove()
        else:
            self.fs.mv(self.path, target.path)


def remove_abandoned(target: Location) -> None:
    """Temporaries a killed run left beside a local ``target`` (kill -9 runs no cleanup), once old enough that no
    running job can own them: the target's own '.<stem>.*' files (``files.remove_stale_temporaries``) and this
    module's marked files and folders. In object storage a bucket's lifecycle rule on the mark does this."""
    if not target.is_local:
        return
    remove_stale_temporaries(target.path)
    folder = Path(target.path).parent
    for leftover in folder.glob(f"*{TEMPORARY_MARK}*"):  # also the writers' own temporaries of a marked file
        try:
            if time.time() - leftover.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        except OSError:
            continue


def temporary_beside(target: Location) -> Location:
    """A fresh temporary name in ``target``'s folder (the same filesystem, so the final move is cheap)."""
    return target.sibling(f"{TEMPORARY_MARK}{secrets.token_hex(6)}-{target.name}")


@contextmanager
def staged_locations(*targets: Location) -> Iterator[list[Location]]:
    """Temporary locations beside each target: when the block ends normally all are moved into place, else none is
    and the temporaries are removed."""
    for target in targets:
        remove_abandoned(target)
    temps = [temporary_beside(target) for target in targets]
    try:
        yield temps
        for tmp, target in zip(temps, targets, strict=True):
            tmp.replace(target)
    finally:
        for tmp in temps:
            tmp.remove()
