"""The text read from a ``.docx`` (:mod:`.docx_reader`), and a cache of it between runs.

Opening a Word file takes python-docx's import (about 0.1 s) and an XML parse of the document
(tens of milliseconds a file), at every run. What comes out depends only on the file's bytes, the
reading code (qualcode's version) and python-docx's version, so it is kept under
``<cache>/docx/``, one file per ``.docx`` keyed by a hash of all three: a re-run reads the lines
back without importing python-docx, an edited file misses its entry, and deleting the folder is
always safe. A file that cannot be read is not cached: its error comes again at every run.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from qualcode.fileio import msgpack_bytes, read_msgpack, write_bytes_atomic

CACHE_FORMAT = "docx-1"


@dataclass(frozen=True, slots=True)
class DocxText:
    """The lines of a ``.docx`` in document order, and warnings about text that was skipped."""

    lines: tuple[str, ...]
    warnings: tuple[str, ...] = ()


class DocxTextCache:
    """:func:`~qualcode.ingest.docx_reader.read_docx` with its results kept in ``cache_dir``."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = Path(cache_dir) / "docx"

    def __call__(self, data: bytes, *, filename: str) -> DocxText:
        path = self.folder / f"{_key(data)}.msgpack"
        stored = _from_entry(read_msgpack(path))
        if stored is not None:
            return stored
        from qualcode.ingest.docx_reader import read_docx

        text = read_docx(data, filename=filename)
        entry = {"lines": list(text.lines), "warnings": list(text.warnings)}
        write_bytes_atomic(path, msgpack_bytes(entry), durable=False)
        return text


def _key(data: bytes) -> str:
    from qualcode import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT}\x00{__version__}\x00{_docx_version()}\x00".encode())
    digest.update(data)
    return digest.hexdigest()[:32]


@functools.cache
def _docx_version() -> str:
    from importlib import metadata

    return metadata.version("python-docx")


def _from_entry(entry: object) -> DocxText | None:
    """A cache entry as read back; None when missing or damaged (the file is read again)."""
    if not isinstance(entry, dict):
        return None
    lines, warnings = entry.get("lines"), entry.get("warnings")
    if not isinstance(lines, list) or not isinstance(warnings, list):
        return None
    if not all(isinstance(item, str) for item in (*lines, *warnings)):
        return None
    return DocxText(tuple(lines), tuple(warnings))
