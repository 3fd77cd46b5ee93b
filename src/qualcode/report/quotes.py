"""The report's text parts: quotes per code, facet cells, uncoded turns, the codebook appendix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from qualcode.analysis.facets import facet_tables
from qualcode.codebook import Keyword
from qualcode.models import INTERVIEWER
from qualcode.outputs import OutputFolder, rows
from qualcode.report.context import (
    AppendixCode,
    CodeQuotes,
    CodeRef,
    FacetCellView,
    FacetCode,
    FacetQuoteView,
    FacetView,
    Quote,
    QuotePage,
    UncodedDocument,
    UncodedTurn,
)
from qualcode.report.highlight import Span, excerpt_window, highlight
from qualcode.report.provenance import normalised, origin_label
from qualcode.report.tables import doc_anchor, key_attributes
from qualcode.review.apply import AUTO, MANUAL

#: Quotes shown open under each code; the rest are in collapsed pages of PAGE_SIZE.
FIRST_PAGE = 25
PAGE_SIZE = 100
FACET_QUOTES = 3
EXCERPT = 280
Unit = tuple[str, int]


@dataclass(frozen=True, slots=True)
class _Segment:
    speaker: str
    speaker_type: str
    timestamp: str
    start: int
    text: str


class QuoteBuilder:
    """Indexes an output folder's segments and hits once, then builds quotes from them."""

    def __init__(self, folder: OutputFolder, refs: Mapping[str, CodeRef], t: Mapping[str, str]):
        self.folder, self.refs, self.t = folder, refs, t
        self.doc_index = {doc.name: i for i, doc in enumerate(folder.documents)}
        self.segments: dict[Unit, _Segment] = {}
        self.questions: dict[Unit, Unit] = {}
        last_question: dict[str, Unit] = {}
        columns = ("document", "segment", "speaker", "speaker_type", "timestamp", "start", "text")
        for document, number, speaker, kind, timestamp, start, text in rows(
            folder.segments, *columns
        ):
            unit = (str(document), int(number))
            self.segments[unit] = _Segment(
                str(speaker), str(kind), str(timestamp), int(start), str(text)
            )
            if kind == INTERVIEWER:
                last_question[unit[0]] = unit
            elif unit[0] in last_question:
                self.questions[unit] = last_question[unit[0]]
        self.spans: dict[tuple[str, int, str], list[Span]] = defaultdict(list)
        hit_columns = ("document", "segment", "code", "start", "end", "matched", "rule")
        for document, number, code, start, end, matched, rule, key, status in rows(
            folder.hits, *hit_columns, "key", "status"
        ):
            self.spans[(str(document), int(number), str(code))].append(
                Span(int(start), int(end), str(matched), str(rule), str(key), str(status))
            )
        self.codes_of: dict[Unit, list[str]] = defaultdict(list)
        self.memos: dict[tuple[str, int, str], str] = {}
        self.origins: dict[tuple[str, int, str], str] = {}
        for coding in folder.coding_records():
            key = (coding.document, coding.segment, coding.code)
            self.codes_of[key[:2]].append(coding.code)
            self.origins[key] = coding.origin
            if coding.memo:
                self.memos[key] = coding.memo
        keys = key_attributes(folder)
        self.attribute_text = {
            doc.name: " · ".join(doc.attributes[k] for k in keys if doc.attributes.get(k))
            for doc in folder.documents
        }

    def title(self, span: Span) -> str:
        status = self.t.get(f"status_{span.status}", span.status)
        return f"{span.rule} → {span.key} ({status})"

    def order(self, unit: Unit) -> tuple[int, str, int]:
        return (self.doc_index.get(unit[0], len(self.doc_index)), unit[0], unit[1])

    def anchor(self, code: str, unit: Unit) -> str:
        return f"q-{code}-{self.doc_index.get(unit[0], 0) + 1}-{unit[1]}"

    def quote(self, code: str, unit: Unit, hits: int) -> Quote:
        segment = self.segments.get(unit) or _Segment("", "", "", 0, "")
        origin = self.origins.get((*unit, code), AUTO)
        # a code added by hand matched no words: nothing to highlight (not even uncounted hits)
        spans = [] if origin == MANUAL else self.spans.get((*unit, code), [])
        question = self.questions.get(unit)
        index = self.doc_index.get(unit[0], 0)
        return Quote(
            anchor=self.anchor(code, unit),
            doc_index=index,
            document=unit[0],
            doc_anchor=doc_anchor(index),
            segment=unit[1],
            speaker=segment.speaker,
            timestamp=segment.timestamp,
            attributes=self.attribute_text.get(unit[0], ""),
            html=highlight(segment.text, segment.start, spans, self.title),
            rules=tuple(dict.fromkeys(s.rule for s in spans if s.status == "counted")),
            hits=hits,
            question=self.segments[question].text if question else "",
            question_segment=question[1] if question else 0,
            also=tuple(self.refs[c] for c in self.codes_of.get(unit, []) if c != code
                       and c in self.refs),
            memo=self.memos.get((*unit, code), ""),
            origin=normalised(origin),
            origin_label=origin_label(origin, self.t),
        )  # fmt: skip

    def code_quotes(self) -> tuple[CodeQuotes, ...]:
        """Every code of the codebook (parents too, possibly empty), its quotes in text order."""
        by_code: dict[str, list[tuple[Unit, int]]] = defaultdict(list)
        for document, number, code_id, hits in rows(
            self.folder.codings, "document", "segment", "code", "hits"
        ):
            by_code[str(code_id)].append(((str(document), int(number)), int(hits)))
        result = []
        for code in self.folder.codebook.walk():
            units = sorted(by_code.get(code.id, []), key=lambda item: self.order(item[0]))
            quotes = [self.quote(code.id, unit, hits) for unit, hits in units]
            pages = tuple(
                QuotePage(first + 1, min(first + PAGE_SIZE, len(quotes)),
                          tuple(quotes[first : first + PAGE_SIZE]))
                for first in range(FIRST_PAGE, len(quotes), PAGE_SIZE)
            )  # fmt: skip
            result.append(
                CodeQuotes(
                    self.refs[code.id],
                    bool(code.children),
                    len(quotes),
                    tuple(quotes[:FIRST_PAGE]),
                    pages,
                )
            )
        return tuple(result)

    def facets(self) -> tuple[FacetView, ...]:
        names = [doc.name for doc in self.folder.documents]
        counts = _own_and_rolled_counts(self.folder)
        views = []
        for table in facet_tables(self.folder.codebook, self.folder.codings,
                                  document_order=names, quotes=FACET_QUOTES):  # fmt: skip
            cells = []
            for cell in table.cells:
                quotes = []
                for q in cell.quotes:
                    unit = (q.document, q.segment)
                    segment = self.segments.get(unit) or _Segment("", "", "", 0, "")
                    spans = [s for c in q.codes for s in self.spans.get((*unit, c), [])]
                    spans = [s for s in spans if s.status == "counted"]
                    window = excerpt_window(segment.text, segment.start, spans, EXCERPT)
                    quotes.append(FacetQuoteView(
                        self.anchor(q.codes[0], unit), q.document, q.segment, segment.speaker,
                        q.hits,
                        highlight(segment.text, segment.start, spans, self.title, window=window),
                    ))  # fmt: skip
                label = self.t[cell.quadrant] if cell.quadrant else cell.value
                cells.append(FacetCellView(
                    cell.value, label, cell.quadrant or "", cell.segments, cell.documents,
                    tuple(FacetCode(self.refs[c], counts.get(c, 0)) for c in cell.codes),
                    tuple(quotes),
                ))  # fmt: skip
            views.append(FacetView(table.key, table.is_swot, tuple(cells)))
        return tuple(views)

    def uncoded(self) -> tuple[UncodedDocument, ...]:
        turns: dict[str, list[UncodedTurn]] = defaultdict(list)
        frame = self.folder.segments
        todo = frame[(frame["speaker_type"] != INTERVIEWER) & (frame["coded"] != "yes")]
        columns = ("document", "segment", "speaker", "timestamp", "text")
        for document, number, speaker, timestamp, text in rows(todo, *columns):
            turns[str(document)].append(
                UncodedTurn(int(number), str(speaker), str(timestamp), str(text))
            )
        ordered = sorted(turns, key=lambda name: self.order((name, 0)))
        return tuple(
            UncodedDocument(self.doc_index.get(name, 0), name,
                            doc_anchor(self.doc_index.get(name, 0)), tuple(turns[name]))
            for name in ordered
        )  # fmt: skip


def _own_and_rolled_counts(folder: OutputFolder) -> dict[str, int]:
    from qualcode.analysis import code_frequencies

    return {c.code: c.segments for c in code_frequencies(folder.codebook, folder.coding_records())}


def appendix(
    folder: OutputFolder, refs: Mapping[str, CodeRef], t: Mapping[str, str]
) -> tuple[AppendixCode, ...]:
    result = []
    for code in folder.codebook.walk():
        result.append(
            AppendixCode(
                code=refs[code.id],
                description=code.description,
                include=code.include,
                exclude=code.exclude,
                examples=code.examples,
                keywords=tuple(_keyword_label(k) for k in code.keywords),
                patterns=tuple(p.label() for p in code.patterns),
                not_within=code.not_within,
                negation=t.get(f"negation_{code.negation}", code.negation),
                min_hits=code.min_hits,
                facets=tuple(code.facets.items()),
            )
        )
    return tuple(result)


def _keyword_label(keyword: Keyword) -> str:
    flags = [name for name in ("exact", "case_sensitive") if getattr(keyword, name)]
    return keyword.label() + (f" ({', '.join(flags)})" if flags else "")
