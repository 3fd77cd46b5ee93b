"""Matrices, facets and highlighting: the pure pieces under the report."""

from __future__ import annotations

import html5lib
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from qualcode.analysis.facets import effective_facets, facet_tables, swot_quadrant
from qualcode.analysis.matrices import (
    code_by_attribute,
    code_by_document,
    cooccurrence,
    rolled_up,
)
from qualcode.codebook import parse_codebook
from qualcode.report.highlight import Span, choose, excerpt_window, highlight

from .report_helpers import REPORT_CODEBOOK

BOOK = parse_codebook(REPORT_CODEBOOK.encode("utf-8"))


def codings(*rows: tuple[str, int, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["document", "segment", "code", "hits"])


CODINGS = codings(
    ("a.txt", 2, "kendala.internal.anggota", 1),
    ("a.txt", 2, "kendala.internal.pengurus", 3),
    ("a.txt", 4, "kendala.internal.anggota", 2),
    ("b.txt", 2, "kendala.eksternal.pesaing", 1),
    ("b.txt", 2, "strategi.kerjasama", 1),
    ("b.txt", 6, "swot.s", 1),
    ("b.txt", 6, "unknown.code", 1),
)


def test_rolled_up_adds_each_ancestor_once_and_drops_unknown_codes() -> None:
    frame = rolled_up(BOOK, CODINGS)
    a2 = frame[(frame["document"] == "a.txt") & (frame["segment"] == 2)]
    assert sorted(a2["code"]) == sorted([
        "kendala", "kendala.internal", "kendala.internal.anggota", "kendala.internal.pengurus",
    ])  # fmt: skip
    assert "unknown.code" not in set(frame["code"])


def test_code_by_document_counts_segments_with_parents_rolled_up() -> None:
    table = code_by_document(BOOK, CODINGS, ["a.txt", "b.txt", "c.txt"])
    assert list(table.columns) == ["a.txt", "b.txt", "c.txt"]
    assert list(table.index) == [c.id for c in BOOK.walk()]
    assert table.loc["kendala.internal", "a.txt"] == 2  # segments 2 and 4, segment 2 once
    assert table.loc["kendala", "b.txt"] == 1
    assert table.loc["kendala.internal.anggota"].tolist() == [2, 0, 0]
    assert table["c.txt"].sum() == 0


def test_code_by_attribute_groups_documents_by_value() -> None:
    segments = pd.DataFrame({
        "document": ["a.txt", "a.txt", "b.txt", "b.txt"], "segment": [2, 4, 2, 6],
        "role": ["PPKL", "PPKL", "pengurus", "pengurus"],
    })  # fmt: skip
    table = code_by_attribute(BOOK, CODINGS, segments, "role")
    assert list(table.columns) == ["PPKL", "pengurus"]
    assert table.loc["kendala", "PPKL"] == 2
    assert table.loc["kendala", "pengurus"] == 1
    assert table.loc["swot.s", "pengurus"] == 1


def test_cooccurrence_is_symmetric_with_own_counts_on_the_diagonal() -> None:
    table = cooccurrence(BOOK, CODINGS)
    assert list(table.index) == list(table.columns)
    assert "kendala" not in table.index  # applied codes only, no roll-up
    assert table.loc["kendala.internal.anggota", "kendala.internal.anggota"] == 2
    assert table.loc["kendala.internal.anggota", "kendala.internal.pengurus"] == 1
    assert table.loc["kendala.eksternal.pesaing", "strategi.kerjasama"] == 1
    assert (table.values == table.values.T).all()


def test_empty_codings_give_zero_tables() -> None:
    empty = codings()
    assert code_by_document(BOOK, empty, ["a.txt"]).to_numpy().sum() == 0
    assert cooccurrence(BOOK, empty).empty


def test_facets_are_inherited_from_parents() -> None:
    facets = effective_facets(BOOK)
    assert facets["kendala.internal.anggota"] == {"factor": "internal"}
    assert facets["kendala"] == {}
    assert facets["swot.o"] == {"swot": "opportunity"}


def test_swot_quadrants_in_english_and_indonesian() -> None:
    assert swot_quadrant("Kekuatan") == "strength"
    assert swot_quadrant(" threats ") == "threat"
    assert swot_quadrant("peluang") == "opportunity"
    assert swot_quadrant("internal") is None


def test_facet_tables_count_segments_and_rank_strongest_quotes() -> None:
    tables = {t.key: t for t in facet_tables(BOOK, CODINGS, document_order=["b.txt", "a.txt"])}
    factor = tables["factor"]
    assert not factor.is_swot
    internal, external = factor.cells
    assert (internal.value, internal.segments, internal.documents) == ("internal", 2, 1)
    assert internal.codes == ("kendala.internal.anggota", "kendala.internal.pengurus")
    # a.txt 2 has 1 + 3 hits of internal codes, a.txt 4 has 2: strongest first
    assert [(q.document, q.segment, q.hits) for q in internal.quotes] == [
        ("a.txt", 2, 4), ("a.txt", 4, 2),
    ]  # fmt: skip
    assert (external.value, external.segments) == ("external", 1)
    swot = tables["swot"]
    assert swot.is_swot
    assert [c.quadrant for c in swot.cells] == ["strength", "weakness", "opportunity", "threat"]
    assert [c.segments for c in swot.cells] == [1, 0, 0, 0]


def test_facet_quote_ties_follow_document_order() -> None:
    tied = codings(("a.txt", 9, "swot.w", 1), ("b.txt", 3, "swot.w", 1), ("b.txt", 1, "swot.w", 1))
    cell = next(t for t in facet_tables(BOOK, tied, document_order=["b.txt", "a.txt"])
                if t.key == "swot").cells[1]  # fmt: skip
    assert [(q.document, q.segment) for q in cell.quotes] == [
        ("b.txt", 1), ("b.txt", 3), ("a.txt", 9),
    ]  # fmt: skip


def title(span: Span) -> str:
    return f"{span.rule} ({span.status})"


def test_highlight_escapes_each_piece_and_marks_hits() -> None:
    text = 'a <b>"x"</b> & kerja sama <script>'
    start = text.index("kerja")
    html = highlight(text, 100, [Span(100 + start, 100 + start + 10, "kerja sama",
                                      'keyword: "kerja" <sama>', "kerja sama")], title)  # fmt: skip
    assert str(html) == (
        "a &lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; "
        '<mark class="hit" title="keyword: &#34;kerja&#34; &lt;sama&gt; (counted)">kerja sama'
        "</mark> &lt;script&gt;"
    )


def test_overlapping_hits_keep_counted_and_longest() -> None:
    spans = [
        Span(0, 5, "kerja", "keyword: kerja", "kerja", "negated"),
        Span(0, 10, "kerja sama", "keyword: kerja sama", "kerja sama"),
        Span(6, 10, "sama", "keyword: sama", "sama"),
        Span(11, 15, "bank", "keyword: bank", "bank", "not_within"),
    ]
    assert [(s.start, s.end) for s in choose(spans)] == [(0, 10), (11, 15)]
    html = str(highlight("kerja sama bank", 0, spans, title))
    assert '<mark class="hit off"' in html and html.count("<mark") == 2


def test_hits_whose_offsets_do_not_point_at_their_words_are_not_marked() -> None:
    html = highlight("tidak ada bank", 0, [Span(0, 4, "bank", "keyword: bank", "bank")], title)
    assert "<mark" not in str(html)


def test_excerpt_window_centres_on_the_first_counted_hit() -> None:
    text = " ".join(f"w{i}" for i in range(300))
    start = text.index("w150")
    span = Span(start, start + 4, "w150", "keyword: w150", "w150")
    low, high = excerpt_window(text, 0, [span], 120)
    assert low <= start and start + 4 <= high and high - low <= 120
    html = str(highlight(text, 0, [span], title, window=(low, high)))
    assert html.startswith("…") and html.endswith("…") and ">w150</mark>" in html


@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'/=\n")), max_size=60),
    cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=6),
)
def test_highlight_never_lets_input_become_markup(text: str, cuts: list[tuple[int, int]]) -> None:
    spans = [
        Span(s, min(s + n, len(text)), text[s : s + n], "<rule>", "k")
        for s, n in cuts
        if s < len(text)
    ]
    html = str(highlight(text, 0, spans, title))
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    assert {el.tag for el in fragment.iter() if isinstance(el.tag, str)} <= {"DOCUMENT_FRAGMENT",
                                                                              "mark"}  # fmt: skip
    assert "".join(fragment.itertext()) == text.replace("\r", "")
