"""Each document's hits, per code, kept between runs: a codebook edit re-matches only the codes
it changed.

A code's hits in a document depend only on the document's informant segments and on that code's
compiled rules (with the negators, the normaliser's settings and the spaCy and qualcode versions).
Both are hashed: the document into the entry's file name, each code into a *signature*. A re-run
takes every code whose signature is in the entry from the cache and matches only the others; a
changed transcript misses its entry, and so does a document that holds a word a new keyword root
can change (the roots that can are part of the entry's name); changed overrides or protected
words change every signature. Entries live in ``<cache>/hits/``; deleting them is always safe.
Which roots can change a document's words is found by searching its text for each root's probe,
once: ``<cache>/probes/`` keeps what was found, so an edit searches only for its new roots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qualcode.fileio import msgpack_bytes, read_msgpack, write_bytes_atomic
from qualcode.models import Document, Hit

CACHE_FORMAT = "hits-1"

#: A hit without its document and code: (segment, start, end, rule, key, status).
Row = tuple[int, int, int, str, str, str]


def informant_key(document: Document) -> str:
    """A hash of what matching sees of a document: its informant segments and their offsets."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for segment in document.segments:
        if not segment.is_interviewer:
            digest.update(f"\x00{segment.number}\x00{segment.start}\x00".encode())
            digest.update(segment.text.encode("utf-8"))
    return digest.hexdigest()[:32]


def document_key(informant: str, roots: Sequence[str] = ()) -> str:
    """The entry name of a document's hits: its :func:`informant_key` and the codebook's extra
    ``roots`` that can change the keys of its words."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\x00{informant}\x00".encode())
    digest.update("\x00".join(roots).encode("utf-8"))
    return digest.hexdigest()[:32]


def to_rows(hits: Sequence[Hit]) -> list[Row]:
    return [(h.segment, h.start, h.end, h.rule, h.key, h.status) for h in hits]


def from_rows(document: Document, code: str, rows: Sequence[Sequence[Any]]) -> list[Hit]:
    body, name = document.body, document.name
    return [
        Hit(name, segment, code, start, end, body[start:end], rule, key, status)
        for segment, start, end, rule, key, status in rows
    ]


class HitCache:
    """Per-document files of ``{code signature: [row, ...]}`` under ``cache_dir/hits``, and of
    ``{probe: found}`` under ``cache_dir/probes`` (which keyword roots' probes a document's
    informant segments hold, by :func:`informant_key`: see ``Normaliser.roots_in``)."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / "hits"
        self.probes_folder = cache_dir / "probes"

    def load_probes(self, informant: str) -> dict[str, bool]:
        """The probes searched for in the document so far, and whether each was found."""
        data = read_msgpack(self.probes_folder / f"{informant}.msgpack")
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, bool)}

    def save_probes(self, informant: str, probes: Mapping[str, bool]) -> None:
        data = {probe: probes[probe] for probe in sorted(probes)}
        path = self.probes_folder / f"{informant}.msgpack"
        write_bytes_atomic(path, msgpack_bytes(data), durable=False)

    def load(self, key: str) -> dict[str, list[Any]]:
        """The entry's rows per signature; empty when there is none or it is unreadable."""
        data = read_msgpack(self.folder / f"{key}.msgpack")
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, list)}

    def save(self, key: str, entry: Mapping[str, Sequence[Row]]) -> None:
        data = {signature: list(entry[signature]) for signature in sorted(entry)}
        write_bytes_atomic(self.folder / f"{key}.msgpack", msgpack_bytes(data), durable=False)
