"""How often each code was applied, with parents rolled up from their children."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.codebook.schema import Codebook
from qualcode.models import Coding


@dataclass(frozen=True, slots=True)
class CodeCount:
    """Segments and documents carrying a code (or, for a parent, any of its descendants)."""

    code: str
    name: str
    depth: int
    segments: int
    documents: int
    is_leaf: bool


def code_frequencies(codebook: Codebook, codings: Sequence[Coding]) -> list[CodeCount]:
    """One row per code, in codebook order; a parent counts each segment once."""
    parents = codebook.parent_ids()
    segments: dict[str, set[tuple[str, int]]] = {code.id: set() for code in codebook.walk()}
    for coding in codings:
        code_id: str | None = coding.code
        while code_id is not None and code_id in segments:
            segments[code_id].add((coding.document, coding.segment))
            code_id = parents[code_id]
    rows = []
    for code in codebook.walk():
        depth, parent = 0, parents[code.id]
        while parent is not None:
            depth, parent = depth + 1, parents[parent]
        hit = segments[code.id]
        rows.append(
            CodeCount(
                code.id, code.name, depth, len(hit), len({d for d, _ in hit}), not code.children
            )
        )
    return rows
