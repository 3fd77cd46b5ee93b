"""Facets: the codebook's free ``facets:`` key/values turned into tables of coded segments.

A code's facets are its own plus those it inherits from its ancestors (a child's value wins), so
``facets: {faktor: internal}`` on ``kendala.internal`` places all its children in the
"internal" cell. A facet whose values all name SWOT quadrants (``strength``/``kekuatan``,
``weakness``/``kelemahan``, ``opportunity``/``peluang``, ``threat``/``ancaman``) is a SWOT facet
and gets a 2x2 grid in the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualcode.codebook.schema import Codebook

if TYPE_CHECKING:
    import pandas as pd

#: The SWOT quadrants, in grid order (top-left, top-right, bottom-left, bottom-right).
SWOT_QUADRANTS = ("strength", "weakness", "opportunity", "threat")
_SWOT_WORDS = {
    "strength": ("strength", "strengths", "kekuatan", "s"),
    "weakness": ("weakness", "weaknesses", "kelemahan", "w"),
    "opportunity": ("opportunity", "opportunities", "peluang", "kesempatan", "o"),
    "threat": ("threat", "threats", "ancaman", "tantangan", "t"),
}
_SWOT_LOOKUP = {word: quadrant for quadrant, words in _SWOT_WORDS.items() for word in words}


@dataclass(frozen=True, slots=True)
class FacetQuote:
    """A segment of a facet cell, with the counted hits of the cell's codes on it."""

    document: str
    segment: int
    hits: int
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FacetCell:
    """One value of a facet: its codes and the segments they were applied to."""

    value: str
    quadrant: str | None  # a SWOT_QUADRANTS entry for a SWOT facet, else None
    codes: tuple[str, ...]  # codes with this value that can carry codings, codebook order
    segments: int
    documents: int
    quotes: tuple[FacetQuote, ...]  # the strongest segments, most hits first


@dataclass(frozen=True, slots=True)
class FacetTable:
    key: str
    cells: tuple[FacetCell, ...]  # values in codebook order; SWOT facets in quadrant order

    @property
    def is_swot(self) -> bool:
        return bool(self.cells) and all(cell.quadrant is not None for cell in self.cells)


def effective_facets(codebook: Codebook) -> dict[str, dict[str, str]]:
    """Each code's facets, inherited from its ancestors (own values win)."""
    result: dict[str, dict[str, str]] = {}
    parents = codebook.parent_ids()
    for code in codebook.walk():
        parent = parents[code.id]
        inherited = result[parent] if parent is not None else {}
        result[code.id] = {**inherited, **code.facets}
    return result


def swot_quadrant(value: str) -> str | None:
    """The SWOT quadrant a facet value names (English or Indonesian), else None."""
    return _SWOT_LOOKUP.get(value.strip().lower())


def facet_tables(
    codebook: Codebook,
    codings: pd.DataFrame,
    *,
    document_order: Sequence[str] = (),
    quotes: int = 3,
) -> list[FacetTable]:
    """One table per facet key the codebook uses, in the order keys first appear.

    ``quotes`` strongest segments are kept per cell: most counted hits of the cell's codes
    first, ties in document order (``document_order``, then name) and segment order.
    """
    facets = effective_facets(codebook)
    keys = list(dict.fromkeys(key for code in codebook.walk() for key in code.facets))
    rank = {name: i for i, name in enumerate(document_order)}
    tables = []
    for key in keys:
        values = list(dict.fromkeys(f[key] for f in facets.values() if key in f))
        quadrants = {value: swot_quadrant(value) for value in values}
        swot = all(q is not None for q in quadrants.values()) and len(set(quadrants.values())) > 1
        if swot:
            values.sort(key=lambda v: SWOT_QUADRANTS.index(quadrants[v] or ""))
        cells = [
            _cell(codebook, codings, value, quadrants[value] if swot else None,
                  [c for c, f in facets.items() if f.get(key) == value], rank, quotes)
            for value in values
        ]  # fmt: skip
        tables.append(FacetTable(key, tuple(cells)))
    return tables


def _cell(
    codebook: Codebook,
    codings: pd.DataFrame,
    value: str,
    quadrant: str | None,
    codes: Sequence[str],
    rank: Mapping[str, int],
    limit: int,
) -> FacetCell:
    applied = set(codings["code"])
    shown = tuple(c for c in codes if not codebook.code(c).children or c in applied)
    rows = codings[codings["code"].isin(list(codes))]
    per_segment = (
        rows.groupby(["document", "segment"], sort=False)
        .agg(hits=("hits", "sum"), codes=("code", lambda s: tuple(dict.fromkeys(s))))
        .reset_index()
    )
    ranked = sorted(
        per_segment.itertuples(index=False),
        key=lambda r: (-int(r.hits), rank.get(str(r.document), len(rank)), str(r.document),
                       int(r.segment)),
    )  # fmt: skip
    top = tuple(
        FacetQuote(str(r.document), int(r.segment), int(r.hits), tuple(r.codes))
        for r in ranked[:limit]
    )
    return FacetCell(
        value=value,
        quadrant=quadrant,
        codes=shown,
        segments=len(per_segment),
        documents=int(per_segment["document"].nunique()) if len(per_segment) else 0,
        quotes=top,
    )
