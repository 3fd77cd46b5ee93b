"""Keyword in context: every place a term (or a code's rules) matched, with the words around it.

A term is searched exactly as a keyword would be: :func:`term_codebook` builds a one-keyword
codebook with the user's codebook settings (overrides, protected words, and its keywords as
extra roots), so ``bina`` finds membina, dibina, pembinaannya and ``kerja sama`` finds kerjasama.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.codebook.schema import Codebook
from qualcode.errors import QualcodeError
from qualcode.models import INFORMANT, Document, Hit

#: The code id the searched term gets in its one-keyword codebook.
TERM_CODE = "kwic-term"
_ROOTS_CODE = "kwic-roots"
SORTS = ("doc", "left", "right")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Line:
    """One concordance line. ``left``/``right`` are at most ``width`` characters."""

    document: str
    segment: int
    speaker: str
    timestamp: str
    start: int
    end: int
    left: str
    match: str
    right: str
    key: str
    rule: str
    code: str


def term_codebook(
    term: str, *, base: Codebook | None = None, language: str = "id", exact: bool = False
) -> Codebook:
    """A codebook whose only counted code is ``term`` as one keyword (``*`` suffix: prefix)."""
    from qualcode.codebook.loader import validate_data

    text = term.strip()
    if not text:
        raise QualcodeError("kwic: the search term is empty")
    keyword: dict[str, Any] = {"text": text}
    if exact:
        keyword["exact"] = True
    codes: list[dict[str, Any]] = [{"id": TERM_CODE, "name": text, "keywords": [keyword]}]
    data: dict[str, Any] = {"name": f"kwic {text}", "language": language, "codes": codes}
    if base is not None:
        data["language"] = base.language
        data["overrides"] = dict(base.overrides)
        data["protect"] = list(base.protect)
        if base.negators is not None:
            data["negators"] = list(base.negators)
        roots = [k.model_dump() for c in base.walk() for k in c.keywords]
        roots = [
            {key: value for key, value in k.items() if key != "prefix"}
            for k in roots
            if not k["prefix"]
        ]
        if roots:
            codes.append({"id": _ROOTS_CODE, "name": "roots", "keywords": roots})
    codebook, problems = validate_data(data)
    if codebook is None:
        details = [f"{' -> '.join(map(str, loc))}: {message}" for loc, message in problems]
        raise QualcodeError(f"kwic: cannot search for {text!r}", details=details)
    return codebook


def all_speakers(document: Document) -> Document:
    """The document with every segment treated as an informant's (so it is searched too)."""
    segments = tuple(dataclasses.replace(s, speaker_type=INFORMANT) for s in document.segments)
    return dataclasses.replace(document, segments=segments)


def concordance(
    documents: Sequence[Document],
    hits: Sequence[Hit],
    *,
    width: int = 40,
    sort: str = "doc",
) -> list[Line]:
    """A line per hit, its context taken from the hit's segment (never across turns)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    order = {doc.name: index for index, doc in enumerate(documents)}
    segments = {(doc.name, s.number): s for doc in documents for s in doc.segments}
    lines = []
    for hit in sorted(hits, key=lambda h: (order.get(h.document, 0), h.start, h.end, h.code)):
        segment = segments[(hit.document, hit.segment)]
        left = segment.text[: hit.start - segment.start]
        right = segment.text[hit.end - segment.start :]
        lines.append(
            Line(
                hit.document,
                hit.segment,
                segment.speaker,
                segment.timestamp,
                hit.start,
                hit.end,
                _clip_left(left, width),
                _SPACES.sub(" ", hit.matched),
                _clip_right(right, width),
                hit.key,
                hit.rule,
                hit.code,
            )
        )
    if sort == "left":
        lines.sort(key=lambda ln: (_left_words(ln.left), ln.document, ln.start))
    elif sort == "right":
        lines.sort(key=lambda ln: (ln.right.lower().lstrip(" …"), ln.document, ln.start))
    return lines


def _clip_left(text: str, width: int) -> str:
    text = _SPACES.sub(" ", text)
    if len(text) <= width:
        return text
    return "…" + text[len(text) - width + 1 :]


def _clip_right(text: str, width: int) -> str:
    text = _SPACES.sub(" ", text)
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


def _left_words(text: str) -> list[str]:
    """Sort key for left context: the nearest word first."""
    return [w.lower() for w in reversed(text.strip(" …").split())]


def lines_frame(lines: Sequence[Line]) -> Any:
    """The concordance as a DataFrame (for CSV)."""
    import pandas as pd

    columns = [f.name for f in dataclasses.fields(Line)]
    return pd.DataFrame([dataclasses.astuple(line) for line in lines], columns=columns)
