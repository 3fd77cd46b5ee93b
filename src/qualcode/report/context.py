"""The typed context handed to the report template: plain values, already counted and ordered.

Everything a template shows is a field here, so the template holds no logic beyond loops and
the template can be checked against these types. Strings are *text* (jinja2 escapes them);
only the fields typed :class:`~markupsafe.Markup` carry HTML, and those are built from escaped
pieces (:mod:`qualcode.report.highlight`) or are the package's own CSS/JS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class CodeRef:
    """A code as the report names it. ``anchor`` is the HTML id of its quotes section."""

    id: str
    name: str
    depth: int
    color: str
    anchor: str


@dataclass(frozen=True, slots=True)
class DocumentRow:
    index: int  # position in the run, also the document's filter value
    anchor: str
    name: str
    title: str
    key_attributes: tuple[str, ...]  # values of KEY_ATTRIBUTES columns, "" where missing
    other_attributes: tuple[tuple[str, str], ...]
    turns: int
    informant_turns: int
    coded_turns: int
    coverage: str  # "85%" or "–"


@dataclass(frozen=True, slots=True)
class Overview:
    key_columns: tuple[str, ...]  # header labels of the key attribute columns
    documents: tuple[DocumentRow, ...]
    turns: int
    informant_turns: int
    coded_turns: int
    coverage: str
    codings: int
    hits: int
    failures: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ReviewBlock:
    """What ``qualcode review`` decisions did to the codings (``applied`` False: none applied).

    ``unreviewed``, ``accepted`` and ``manual`` count codings.csv's origins; the rest come from
    run.json's summary. ``orphans_file`` names orphaned_decisions.csv when there are orphans."""

    applied: bool
    decisions: str
    unreviewed: int = 0
    accepted: int = 0
    manual: int = 0
    rejected: int = 0
    reanchored: int = 0
    orphaned: int = 0
    orphans_file: str = ""


@dataclass(frozen=True, slots=True)
class Notices:
    """Warnings shown on the page: files changed since the run, codes the codebook lacks."""

    stale_codebook: str = ""  # the codebook's path when it changed since the run
    stale_transcripts: tuple[str, ...] = ()
    unknown_codes: tuple[tuple[str, int], ...] = ()  # (code, codings)


@dataclass(frozen=True, slots=True)
class CodeRow:
    """A row of the frequency table (parents rolled up) with its bar width in pixels."""

    code: CodeRef
    is_leaf: bool
    segments: int
    documents: int
    bar: int


@dataclass(frozen=True, slots=True)
class HeatCell:
    value: int
    style: str  # an inline background colour computed from the value


@dataclass(frozen=True, slots=True)
class HeatLabel:
    """A row or column header of a heat-table: a code or a document/attribute value."""

    text: str  # shortened for the header
    full: str  # the whole text, for the tooltip
    anchor: str  # a link target ("" for none)
    depth: int = 0
    color: str = ""  # a code's colour swatch ("" for none)


@dataclass(frozen=True, slots=True)
class HeatRow:
    label: HeatLabel
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True, slots=True)
class HeatTable:
    id: str
    title: str
    note: str
    corner: str  # what the rows are ("Code", "Document", ...)
    columns: tuple[HeatLabel, ...]
    rows: tuple[HeatRow, ...]
    rotate: bool  # many columns: headers written vertically


@dataclass(frozen=True, slots=True)
class Quote:
    """One coded segment shown under one of its codes."""

    anchor: str
    doc_index: int
    document: str
    doc_anchor: str
    segment: int
    speaker: str
    timestamp: str
    attributes: str
    html: Markup  # the segment text with highlighted hits
    rules: tuple[str, ...]
    hits: int
    question: str  # the interviewer's preceding turn ("" if none)
    question_segment: int
    also: tuple[CodeRef, ...]  # the segment's other codes
    memo: str  # the researcher's memo on this coding ("" if none)
    origin: str  # "auto", "accepted", "manual", or "other" for a value codings.csv should not hold
    origin_label: str


@dataclass(frozen=True, slots=True)
class QuotePage:
    first: int  # 1-based position of the first quote in the code's list
    last: int
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class CodeQuotes:
    code: CodeRef
    has_children: bool
    total: int
    shown: tuple[Quote, ...]  # the first page, open
    pages: tuple[QuotePage, ...]  # the rest, collapsed


@dataclass(frozen=True, slots=True)
class FacetQuoteView:
    link: str  # anchor of the full quote
    document: str
    segment: int
    speaker: str
    hits: int
    html: Markup  # an excerpt with highlighted hits


@dataclass(frozen=True, slots=True)
class FacetCode:
    code: CodeRef
    segments: int


@dataclass(frozen=True, slots=True)
class FacetCellView:
    value: str
    label: str
    quadrant: str
    segments: int
    documents: int
    codes: tuple[FacetCode, ...]
    quotes: tuple[FacetQuoteView, ...]


@dataclass(frozen=True, slots=True)
class FacetView:
    key: str
    is_swot: bool
    cells: tuple[FacetCellView, ...]


@dataclass(frozen=True, slots=True)
class UncodedTurn:
    segment: int
    speaker: str
    timestamp: str
    text: str


@dataclass(frozen=True, slots=True)
class UncodedDocument:
    doc_index: int
    document: str
    doc_anchor: str
    turns: tuple[UncodedTurn, ...]


@dataclass(frozen=True, slots=True)
class AppendixCode:
    code: CodeRef
    description: str
    include: str
    exclude: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]
    not_within: tuple[str, ...]
    negation: str
    min_hits: int
    facets: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Filters:
    codes: tuple[Option, ...]
    documents: tuple[Option, ...]
    attributes: tuple[Option, ...]
    origins: tuple[Option, ...]  # reviewed / unreviewed / ...; empty when no review was applied


@dataclass(frozen=True, slots=True)
class Meta:
    lang: str
    title: str
    codebook_name: str
    codebook_version: str
    codebook_language: str
    codebook_sha: str
    qualcode_version: str
    csp: str


@dataclass(frozen=True)
class Report:
    """Everything ``report.html.j2`` renders. ``t`` holds the labels in the report's language;
    ``data`` goes to the page's script through ``tojson`` only."""

    meta: Meta
    t: dict[str, str]
    overview: Overview
    review: ReviewBlock
    notices: Notices
    codes: tuple[CodeRow, ...]
    matrices: tuple[HeatTable, ...]
    facets: tuple[FacetView, ...]
    quotes: tuple[CodeQuotes, ...]
    total_quotes: int
    uncoded: tuple[UncodedDocument, ...]
    uncoded_total: int
    appendix: tuple[AppendixCode, ...]
    filters: Filters
    data: dict[str, Any]
    style: Markup
    script: Markup
