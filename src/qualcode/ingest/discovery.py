"""Expand the files and folders a user gives into the transcripts to read, each with its name."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from qualcode.errors import IngestError

#: File suffixes (lower case) qualcode reads.
SUPPORTED_SUFFIXES = (".txt", ".md", ".docx")
#: Prefix of the lock files Word leaves beside an open document.
WORD_LOCK_PREFIX = "~$"


def is_supported(path: Path) -> bool:
    """Whether ``path`` has a suffix qualcode reads (case-insensitive)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def find_transcripts(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """Expand files and folders into ``(path, name)`` pairs, sorted by name.

    A folder is searched recursively for supported files; hidden files and folders (``.name``)
    and Word lock files (``~$name.docx``) are skipped, symlinked folders are not followed. A
    file's name is its path relative to the folder given, with ``/`` separators; a file given
    directly is named by its basename. The same file reached twice under the same name is
    listed once; two different files with one name are an :class:`IngestError`, as are a path
    that does not exist and a file given directly with an unsupported suffix.
    """
    found: dict[str, list[Path]] = {}
    for given in paths:
        for path, name in _expand(Path(given)):
            same_name = found.setdefault(name, [])
            if not any(_same_file(path, other) for other in same_name):
                same_name.append(path)
    clashes = {name: files for name, files in found.items() if len(files) > 1}
    if clashes:
        name, files = sorted(clashes.items())[0]
        listed = ", ".join(str(path) for path in files)
        raise IngestError(
            f"{len(files)} transcripts share the name {name!r}: {listed}; "
            "give their common folder instead so that names stay unique",
            details=[f"{name}: {', '.join(str(p) for p in ps)}" for name, ps in clashes.items()],
        )
    return sorted(((files[0], name) for name, files in found.items()), key=lambda pair: pair[1])


def _expand(path: Path) -> list[tuple[Path, str]]:
    if path.is_dir():
        return list(_walk(path))
    if not path.exists():
        raise IngestError(f"{path}: no such file or folder")
    if not is_supported(path):
        raise IngestError(
            f"{path}: unsupported file type {path.suffix or '(no suffix)'!r}; "
            f"qualcode reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return [(path, path.name)]


def _walk(folder: Path) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for root, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for filename in filenames:
            path = Path(root, filename)
            if _skipped(filename) or not is_supported(path) or not path.is_file():
                continue
            found.append((path, path.relative_to(folder).as_posix()))
    return found


def _skipped(filename: str) -> bool:
    return filename.startswith((".", WORD_LOCK_PREFIX))


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return first == second
