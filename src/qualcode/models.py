"""The data qualcode passes between layers: frozen, offset-exact records.

Offsets are the truth. ``start``/``end`` are 0-based code-point offsets into a document's *body*:
the decoded text, NFC-normalised, line endings turned into ``\\n``, front matter removed.
For every segment and every hit ``body[start:end] == text`` (or ``matched``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

#: The kinds of speaker a segment can have.
INTERVIEWER = "interviewer"
INFORMANT = "informant"

#: Status values of a hit: whether it counted towards a coding, and if not, why.
COUNTED = "counted"
NEGATED = "negated"
NOT_WITHIN = "not_within"
NOT_NEGATED = "not_negated"  # the code counts only negated hits (`negation: only`)
HIT_STATUSES = (COUNTED, NEGATED, NOT_WITHIN, NOT_NEGATED)


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of a document (a speaker turn, a paragraph or a sentence).

    Invariant: ``document_body[start:end] == text``.
    """

    document: str
    number: int  # 1-based, counting every unit of the document, the interviewer's too
    speaker: str
    timestamp: str
    start: int
    end: int
    text: str
    speaker_type: str = INFORMANT  # INTERVIEWER turns are kept for context, never coded

    @property
    def is_interviewer(self) -> bool:
        return self.speaker_type == INTERVIEWER


@dataclass(frozen=True, slots=True)
class Document:
    """A transcript after ingest.

    ``name`` is the file's path relative to the folder given on the command line (POSIX
    separators). ``attributes`` holds the front matter as strings (lists joined with ``"; "``).
    ``sha256`` is the hash of the file's raw bytes; ``body_sha256`` the hash of the canonical body.
    """

    name: str
    body: str
    segments: tuple[Segment, ...]
    attributes: Mapping[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    sha256: str = ""
    body_sha256: str = ""
    warnings: tuple[str, ...] = ()


class Hit(NamedTuple):
    """One rule firing on one span of a segment: the evidence for a coding.

    ``rule`` says which rule fired (``keyword: kerja sama``, ``pattern: lintah darat``),
    ``key`` the normalised word keys that matched, ``status`` whether it counted.
    Invariant: ``document_body[start:end] == matched``.

    A named tuple rather than a frozen dataclass like the other records: a dense codebook makes
    hundreds of thousands of hits a run, and a tuple is made in a third of the time.
    """

    document: str
    segment: int
    code: str
    start: int
    end: int
    matched: str
    rule: str
    key: str
    status: str = COUNTED


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied to a segment, with its counted hits."""

    document: str
    segment: int
    speaker: str
    start: int
    end: int
    code: str
    origin: str  # "auto" (unreviewed), "accepted" or "manual" (see qualcode.review)
    hits: int
    matched: tuple[str, ...]
    text: str
    memo: str = ""  # the researcher's memo from the decisions file
