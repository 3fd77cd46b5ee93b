"""Read transcripts kept between runs: a re-run reads an unchanged file's document back whole.

Reading a transcript means decoding it (or, for a ``.docx``, importing python-docx and parsing
its XML), normalising its text, parsing its front matter and splitting it into segments: about
a millisecond a file, a fifth of a re-run on a large project. What comes out depends only on the
file's bytes, its kind, the read options (unit, interviewer labels, a forced encoding) and the
reading code (qualcode's version; python-docx's for a ``.docx``). All of them are hashed into
the entry's name under ``<cache>/documents/``, so an edited file or another option misses its
entry, and deleting the folder is always safe.

An entry holds the body, the attributes, the encoding, the warnings and each segment's number,
speaker, timestamp, offsets and speaker type; a segment's text is ``body[start:end]``. A file
that cannot be read is never cached (its error comes again every run), and a redacted read is
never cached (its text depends on every other transcript's names).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TypeGuard

from qualcode.fileio import msgpack_bytes, read_msgpack, write_bytes_atomic
from qualcode.models import INFORMANT, INTERVIEWER, Document, Segment

CACHE_FORMAT = "documents-1"


class DocumentCache:
    """Read documents, one file each under ``cache_dir/documents``."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = Path(cache_dir) / "documents"

    def key(
        self,
        sha256: str,
        *,
        suffix: str,
        unit: str,
        interviewers: Sequence[str],
        encoding: str | None,
    ) -> str:
        """The entry name for a file with these bytes (``sha256``), read with these options."""
        from qualcode import __version__
        from qualcode.versions import package_version

        reader = package_version("python-docx", missing="-") if suffix == ".docx" else ""
        options = [CACHE_FORMAT, __version__, reader, suffix, unit, list(interviewers), encoding]
        digest = hashlib.sha256(json.dumps(options, ensure_ascii=False).encode("utf-8"))
        digest.update(sha256.encode("ascii"))
        return digest.hexdigest()[:32]

    def load(self, key: str, *, name: str, sha256: str) -> Document | None:
        """The document stored under ``key``, named ``name``; None when missing or damaged."""
        return _from_entry(read_msgpack(self.folder / f"{key}.msgpack"), name, sha256)

    def save(self, key: str, document: Document) -> None:
        entry = {
            "body": document.body,
            "body_sha256": document.body_sha256,
            "attributes": [[k, v] for k, v in document.attributes.items()],
            "encoding": document.encoding,
            "warnings": list(document.warnings),
            "segments": [
                [s.number, s.speaker, s.timestamp, s.start, s.end, s.is_interviewer]
                for s in document.segments
            ],
        }
        write_bytes_atomic(self.folder / f"{key}.msgpack", msgpack_bytes(entry), durable=False)


def _strings(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _from_entry(entry: object, name: str, sha256: str) -> Document | None:
    """A stored entry as a Document; None unless every part has the shape :meth:`save` wrote."""
    if not isinstance(entry, dict):
        return None
    body, attributes, rows = entry.get("body"), entry.get("attributes"), entry.get("segments")
    encoding, warnings = entry.get("encoding"), entry.get("warnings")
    body_sha256 = entry.get("body_sha256")
    if not isinstance(body, str) or not isinstance(encoding, str):
        return None
    if not isinstance(body_sha256, str) or not _strings(warnings):
        return None
    if not isinstance(attributes, list) or not all(
        _strings(pair) and len(pair) == 2 for pair in attributes
    ):
        return None
    if not isinstance(rows, list):
        return None
    segments = []
    previous_number, previous_end = 0, 0
    for row in rows:
        if not isinstance(row, list) or len(row) != 6:
            return None
        number, speaker, timestamp, start, end, is_interviewer = row
        if not (
            type(number) is int
            and type(start) is int
            and type(end) is int
            and isinstance(speaker, str)
            and isinstance(timestamp, str)
            and isinstance(is_interviewer, bool)
            and number > previous_number
            and previous_end <= start <= end <= len(body)
        ):
            return None
        previous_number, previous_end = number, end
        speaker_type = INTERVIEWER if is_interviewer else INFORMANT
        text = body[start:end]
        segments.append(Segment(name, number, speaker, timestamp, start, end, text, speaker_type))
    return Document(
        name=name,
        body=body,
        segments=tuple(segments),
        attributes=dict(attributes),
        encoding=encoding,
        sha256=sha256,
        body_sha256=body_sha256,
        warnings=tuple(warnings),
    )
