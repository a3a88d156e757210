"""The one file writer: a file appears whole or not at all, and the previous good copy survives a failure."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

#: UTF-8's byte-order mark: Excel on Chinese Windows reads a CSV as UTF-8 only when it starts with one.
BOM = "\ufeff".encode("utf-8")


def write_atomically(path: Path | str, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` and move the result into place only when it succeeded: never a half-written file.

    The temporary file has a name of its own (two writers of one path never share it) beside the target, so the
    final move is an atomic rename on the same file system.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()  # some writers (GeoPackage) refuse to write over an existing empty file
        write(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    """Bytes into ``path``, atomically."""
    write_atomically(path, lambda tmp: tmp.write_bytes(data))
