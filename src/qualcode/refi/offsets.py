"""Text from another tool -> qualcode's canonical body, with every offset mapped across.

qualcode's offsets point into the canonical body (LF line ends, NFC, no BOM; see
:func:`qualcode.ingest.decoding.canonical_text`); a REFI-QDA selection's offsets point into the
text as the other tool stored it. :func:`canonical_with_map` returns the canonical text and, for
every offset of the original, the offset of the same place in the canonical text. An offset
inside a sequence that normalisation composed maps to a boundary next to the composed character.
"""

from __future__ import annotations

import itertools
import unicodedata


def canonical_with_map(text: str) -> tuple[str, list[int]]:
    """``(canonical, mapping)``; ``mapping`` has ``len(text) + 1`` entries."""
    first, first_map = _line_ends(text.replace("\x00", "\ufffd"))
    if unicodedata.is_normalized("NFC", first):
        return first, first_map
    second, second_map = _nfc(first)
    return second, [second_map[i] for i in first_map]


def _line_ends(text: str) -> tuple[str, list[int]]:
    """BOM dropped, CRLF and lone CR -> LF (the LF of a CRLF maps onto the CR's LF)."""
    skip = 1 if text.startswith("\ufeff") else 0
    mapping = [0] * skip
    if "\r" not in text:
        mapping.extend(range(len(text) - skip + 1))
        return text[skip:], mapping
    out: list[str] = []
    position, index = 0, skip
    while True:
        cr = text.find("\r", index)
        piece = text[index : len(text) if cr < 0 else cr]
        out.append(piece)
        mapping.extend(range(position, position + len(piece)))
        position += len(piece)
        if cr < 0:
            break
        out.append("\n")
        mapping.append(position)
        position += 1
        index = cr + 1
        if text.startswith("\n", index):
            mapping.append(position - 1)
            index += 1
    mapping.append(position)
    return "".join(out), mapping


def _nfc(text: str) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    whole = unicodedata.normalize("NFC", text)
    for boundaries in (_starters(text), _line_starts(text)):
        pieces = [text[a:b] for a, b in itertools.pairwise(boundaries)]
        normal = [unicodedata.normalize("NFC", piece) for piece in pieces]
        if "".join(normal) == whole:
            return whole, _piece_map(pieces, normal, boundaries)
    return whole, _proportional(len(text), len(whole))


def _starters(text: str) -> list[int]:
    """Offsets where a new normalisation chunk starts (a starter that is not a Hangul jamo)."""
    cuts = [
        i
        for i, char in enumerate(text)
        if i == 0 or (unicodedata.combining(char) == 0 and not 0x1160 <= ord(char) <= 0x11FF)
    ]
    return [*cuts, len(text)] if cuts else [0, len(text)]


def _line_starts(text: str) -> list[int]:
    return sorted({0, len(text), *(i + 1 for i, char in enumerate(text) if char == "\n")})


def _piece_map(pieces: list[str], normal: list[str], boundaries: list[int]) -> list[int]:
    mapping: list[int] = []
    position = 0
    for piece, done in zip(pieces, normal, strict=True):
        if piece == done:
            mapping.extend(range(position, position + len(piece)))
        else:
            mapping.extend(
                min(position + len(unicodedata.normalize("NFC", piece[:i])), position + len(done))
                if len(piece) <= 64
                else position
                for i in range(len(piece))
            )
        position += len(done)
    mapping.append(position)
    assert len(mapping) == boundaries[-1] + 1
    return mapping


def _proportional(old: int, new: int) -> list[int]:
    return [round(i * new / old) if old else 0 for i in range(old + 1)]
