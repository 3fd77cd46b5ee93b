"""What a report must warn about: stale codings and codes the folder's codebook lacks.

*Stale*: the codebook or a transcript changed since ``qualcode code`` wrote the folder. run.json
keeps the SHA-256 of the codebook file and of every transcript with their paths as given on the
command line; a file that still exists at that path (relative paths are taken from the current
folder) and now hashes differently is stale. A file that is gone is not checked.

*Unknown codes*: codings whose code is not in the folder's ``codebook.yaml`` (e.g. a hand-edited
codebook or codings.csv). The report's tables cannot place them; they are listed, never dropped
silently.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.outputs import OutputFolder

#: Changed transcripts named one by one in a warning; the rest are counted.
LISTED = 10


@dataclass(frozen=True, slots=True)
class Staleness:
    """Files changed since the run: the codebook's path ("" if unchanged) and transcripts'."""

    codebook: str = ""
    transcripts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.codebook or self.transcripts)


def staleness(manifest: Mapping[str, Any]) -> Staleness:
    """Compare run.json's hashes with the files at its paths, where those still exist."""
    book = manifest.get("codebook")
    codebook = ""
    if isinstance(book, dict) and _changed(book.get("path"), book.get("sha256")):
        codebook = str(book["path"])
    transcripts = tuple(
        str(entry["path"])
        for entry in manifest.get("inputs") or []
        if isinstance(entry, dict) and _changed(entry.get("path"), entry.get("sha256"))
    )
    return Staleness(codebook, transcripts)


def _changed(path: object, sha256: object) -> bool:
    if not isinstance(path, str) or not path or not isinstance(sha256, str) or not sha256:
        return False
    file = Path(path)
    try:
        if not file.is_file():
            return False
        return hashlib.sha256(file.read_bytes()).hexdigest() != sha256
    except OSError:
        return False


def unknown_codes(folder: OutputFolder) -> tuple[tuple[str, int], ...]:
    """Codes of codings.csv that the folder's codebook lacks, with their codings, by code."""
    known = {code.id for code in folder.codebook.walk()}
    counts = Counter(str(code) for code in folder.codings["code"].tolist())
    return tuple(sorted((code, n) for code, n in counts.items() if code not in known))


def warnings(
    folder: OutputFolder, stale: Staleness, unknown: tuple[tuple[str, int], ...]
) -> list[str]:
    """One line per problem, for the terminal."""
    lines = []
    rerun = "since these codings were made; re-run qualcode code"
    if stale.codebook:
        lines.append(f"{stale.codebook}: the codebook changed {rerun}")
    for path in stale.transcripts[:LISTED]:
        lines.append(f"{path}: the transcript changed {rerun}")
    if len(stale.transcripts) > LISTED:
        lines.append(f"... and {len(stale.transcripts) - LISTED} more changed transcript(s)")
    if unknown:
        listed = ", ".join(f"{code} ({n})" for code, n in unknown)
        total = sum(n for _, n in unknown)
        lines.append(
            f"{folder.path / 'codings.csv'}: {total} coding(s) use codes not in "
            f"{folder.path / 'codebook.yaml'}: {listed}; the report lists them but leaves them "
            "out of its tables and quotes"
        )
    return lines
