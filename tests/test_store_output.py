"""The coding outputs written straight from the records are the files the pandas path writes.

``store.write_table`` (what ``qualcode code`` uses) must give byte for byte what
``write_csv(segments_frame(...))`` & co. give: formula-like text neutralised, quotes doubled,
commas and line breaks quoted, None empty, integers as they are, attribute columns as before.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode import store
from qualcode.models import INFORMANT, INTERVIEWER, Coding, Document, Hit, Segment

BOM = "\ufeff".encode()
PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TRICKY = ("'", "'=", '"', '""', ",", "\n", "\r\n", "\r", " ", ";", "é", "😀", "\u2028", "\x85", "\x00")  # fmt: skip
PIECES = st.sampled_from((*PREFIXES, *TRICKY, "kerja", "sama", "=SUM(A1)"))
TEXT = st.one_of(
    st.text(max_size=12),
    st.builds(lambda first, rest: first + rest, PIECES, st.text(max_size=12)),
    st.lists(PIECES, max_size=6).map("".join),
)
LABEL = st.one_of(st.sampled_from(["wawancara_01.txt", "strategi.kerjasama", "counted", ""]), TEXT)
INTEGER = st.one_of(st.integers(-5, 10**6), st.integers(-(2**70), 2**70))
ATTRIBUTE_NAMES = st.sampled_from(
    ["desa", "umur", "text", "document", "speaker", "codes", "hits", "matched", "=x", "a,b", 'n"m', "é"]
)  # fmt: skip

HITS = st.lists(
    st.builds(Hit, document=LABEL, segment=INTEGER, code=LABEL, start=INTEGER, end=INTEGER,
              matched=TEXT, rule=LABEL, key=LABEL, status=LABEL),
    max_size=8,
)  # fmt: skip
CODINGS = st.lists(
    st.builds(Coding, document=LABEL, segment=INTEGER, speaker=TEXT, start=INTEGER, end=INTEGER,
              code=LABEL, origin=LABEL, hits=INTEGER, matched=st.lists(TEXT, max_size=3).map(tuple),
              text=TEXT, memo=TEXT),
    max_size=8,
)  # fmt: skip


@st.composite
def documents_and_codings(draw: st.DrawFn) -> tuple[list[Document], list[Coding]]:
    """Documents with segments and differing attributes, and codings on some of the segments."""
    documents = []
    for i in range(draw(st.integers(0, 4))):
        name = draw(LABEL) + f"#{i}"
        segments = draw(
            st.lists(
                st.builds(Segment, document=st.just(name), number=INTEGER, speaker=TEXT,
                          timestamp=st.one_of(st.none(), TEXT), start=INTEGER, end=INTEGER,
                          text=TEXT, speaker_type=st.sampled_from([INFORMANT, INTERVIEWER, "=x"])),
                max_size=4,
            )
        )  # fmt: skip
        attributes = draw(st.dictionaries(ATTRIBUTE_NAMES, TEXT, max_size=4))
        documents.append(Document(name, "", tuple(segments), attributes))
    places = [(d.name, s.number) for d in documents for s in d.segments]
    codings = []
    if places:
        for (document, segment), code in draw(st.lists(st.tuples(st.sampled_from(places), LABEL))):
            codings.append(Coding(document, segment, "", 0, 0, code, "auto", 1, (), "", ""))
    return documents, codings


def pandas_file(table: store.Table) -> bytes:
    """What write_csv writes for the table's frame: the reference the fast path must match."""
    with TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        store.write_csv(table.frame(), path)
        return path.read_bytes()


def fast_file(table: store.Table) -> bytes:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        store.write_table(table, path)
        return path.read_bytes()


@settings(deadline=None, max_examples=150)
@given(hits=HITS)
def test_hits_written_from_records_match_the_frame_path(hits: list[Hit]) -> None:
    table = store.hits_table(hits)
    assert table.csv_bytes() == BOM + store.csv_text(store.hits_frame(hits)).encode()
    assert fast_file(table) == pandas_file(table)


@settings(deadline=None, max_examples=150)
@given(codings=CODINGS)
def test_codings_written_from_records_match_the_frame_path(codings: list[Coding]) -> None:
    table = store.codings_table(codings)
    assert table.csv_bytes() == BOM + store.csv_text(store.codings_frame(codings)).encode()
    assert fast_file(table) == pandas_file(table)


@settings(deadline=None, max_examples=150)
@given(data=documents_and_codings())
def test_segments_written_from_records_match_the_frame_path(
    data: tuple[list[Document], list[Coding]],
) -> None:
    documents, codings = data
    table = store.segments_table(documents, codings)
    frame = store.segments_frame(documents, codings)
    assert table.csv_bytes() == BOM + store.csv_text(frame).encode()
    assert fast_file(table) == pandas_file(table)


def test_the_tables_hold_the_record_fields_under_their_column_names(tmp_path: Path) -> None:
    """A hand-written expectation, so that the frame and the fast path cannot drift together."""
    segments = (
        Segment("a.txt", 1, "Peneliti", "", 0, 9, "Apa, kata", INTERVIEWER),
        Segment("a.txt", 2, "Bu Rahmi", "00:01:02", 10, 30, '=kerja "sama"\nlagi'),
    )
    documents = [
        Document("a.txt", "", segments, {"desa": "-Sukamaju", "text": "x", "hits": "@3"}),
        Document("b.txt", "", (Segment("b.txt", 1, "", "", 0, 3, "\tya"),), {"umur": "40"}),
    ]
    codings = [
        Coding("a.txt", 2, "Bu Rahmi", 10, 30, "k.sama", "auto", 2, ("kerja", "+sama"), "t,x", ""),
        Coding("a.txt", 2, "Bu Rahmi", 10, 30, "=k", "manual", 0, (), "t", "@memo"),
    ]
    hits = [Hit("a.txt", 2, "k.sama", 11, 16, "kerja", "keyword: kerja", "kerja", "counted")]
    for name, table in {
        "segments.csv": store.segments_table(documents, codings),
        "codings.csv": store.codings_table(codings),
        "hits.csv": store.hits_table(hits),
    }.items():
        store.write_table(table, tmp_path / name)
    assert (tmp_path / "segments.csv").read_text(encoding="utf-8-sig") == (
        "document,segment,speaker,speaker_type,timestamp,start,end,coded,codes,text,desa,attr_text,hits,umur\n"
        "a.txt,1,Peneliti,interviewer,,0,9,no,,\"Apa, kata\",'-Sukamaju,x,'@3,\n"
        'a.txt,2,Bu Rahmi,informant,00:01:02,10,30,yes,k.sama; =k,"\'=kerja ""sama""\nlagi",\'-Sukamaju,x,\'@3,\n'
        "b.txt,1,,informant,,0,3,no,,'\tya,,,,40\n"
    )
    assert (tmp_path / "codings.csv").read_text(encoding="utf-8-sig") == (
        "document,segment,speaker,start,end,code,origin,hits,matched,text,memo\n"
        'a.txt,2,Bu Rahmi,10,30,k.sama,auto,2,kerja; +sama,"t,x",\n'
        "a.txt,2,Bu Rahmi,10,30,'=k,manual,0,,t,'@memo\n"
    )
    assert (tmp_path / "hits.csv").read_text(encoding="utf-8-sig") == (
        "document,segment,code,start,end,matched,rule,key,status\n"
        "a.txt,2,k.sama,11,16,kerja,keyword: kerja,kerja,counted\n"
    )


def test_every_character_is_quoted_as_csv_writer_quotes_it() -> None:
    """The fast path quotes a field for a comma, a quote, LF or CR exactly as csv.writer does."""
    # ("\r\r" is also neutralised, as any text starting with CR is.)
    special = [",", '"', "\n", "\r"]
    others = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and chr(c) not in special]
    # Plain characters in runs (a run that needed quotes would show), the special ones alone.
    texts = ["a" + "".join(others[i : i + 64]) + "b" for i in range(0, len(others), 64)]
    texts += [f"a{c}b" for c in special] + [f"{c}{c}" for c in special] + ['a"\rb', "a\r,b"]
    table = store.Table(("text", "n"), [texts, list(range(len(texts)))], frozenset({1}))
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(zip(map(store.neutralise, texts), range(len(texts)), strict=True))
    assert table.csv_bytes() == BOM + expected.getvalue().encode()


def test_missing_text_is_an_empty_cell_and_empty_tables_have_a_header() -> None:
    segment = Segment("a.txt", 1, "A", None, 0, 1, "x")  # type: ignore[arg-type]
    table = store.segments_table([Document("a.txt", "x", (segment,))], [])
    assert table.csv_bytes() == BOM + store.csv_text(table.frame()).encode()
    assert b",informant,,0,1," in table.csv_bytes()
    for empty in (store.hits_table([]), store.codings_table([]), store.segments_table([], [])):
        assert empty.csv_bytes() == BOM + store.csv_text(empty.frame()).encode()


def test_a_table_has_two_columns_or_more() -> None:
    with pytest.raises(ValueError, match="two columns"):
        store.Table(("text",), [[""]], frozenset())
