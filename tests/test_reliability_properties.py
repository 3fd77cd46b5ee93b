"""Properties of the parser and matcher together, and of the span chooser both rely on.

* every hit slices the document body to its quoted words and lies inside its segment, and every
  coding quotes its segment exactly (RELIABILITY D1, D2);
* a CRLF, CR or BOM copy of a transcript codes exactly like the LF copy (A6, D5);
* the O(n log n) span chooser keeps exactly what the quadratic loop kept (A8).
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.ingest import read_document
from qualcode.intervals import pick_disjoint
from qualcode.matching import CodebookMatcher

WORDS = st.sampled_from(
    ["kerja", "sama", "kerjasama", "pembinaan", "Pembinaannya", "anggota", "DPRD", "tidak", "gak",
     "rentenir", "pinjol", "pinjolnya", "bank", "keliling", "bank-keliling", "lintah", "darat", "KUR",
     "penguatan", "kelembagaan", "café", "cafe\u0301", "😀", "👩‍👩‍👧", "\u00a0", "Ｋｅｒｊａ"]
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", " ", ", ", ". ", "\n", "  ", "\t", "? "])
LABELS = st.sampled_from(["Peneliti", "Bu Rahmi", "Pak Hendra (Ketua)", "Informan 2", ""])
TURN = st.builds(
    lambda label, words, seps: (
        (f"{label}: " if label else "") + "".join(w + s for w, s in zip(words, seps, strict=False))
    ),
    LABELS,
    st.lists(WORDS, min_size=1, max_size=14),
    st.lists(SEPARATORS, min_size=14, max_size=14),
)
TRANSCRIPTS = st.lists(TURN, min_size=1, max_size=6)


def code(matcher: CodebookMatcher, folder: Path, name: str, data: bytes, unit: str):  # type: ignore[no-untyped-def]
    path = folder / name
    path.write_bytes(data)
    document = read_document(path, name="t.txt", unit=unit)
    hits, codings = matcher.code_document(document)
    return document, hits, codings


@settings(deadline=None, max_examples=60)
@given(turns=TRANSCRIPTS, unit=st.sampled_from(["turn", "sentence"]))
def test_D1_A6_offsets_slice_quotes_and_crlf_cr_bom_copies_code_like_lf(
    small_matcher: CodebookMatcher, turns: list[str], unit: str
) -> None:
    text = "\n".join(turns) + "\n"
    with TemporaryDirectory() as name:
        folder = Path(name)
        document, hits, codings = code(small_matcher, folder, "lf.txt", text.encode(), unit)
        segments = {s.number: s for s in document.segments}
        for hit in hits:
            assert document.body[hit.start : hit.end] == hit.matched
            segment = segments[hit.segment]
            assert segment.start <= hit.start < hit.end <= segment.end
            assert not segment.is_interviewer
        for coding in codings:
            segment = segments[coding.segment]
            assert (coding.start, coding.end, coding.text) == (
                segment.start,
                segment.end,
                segment.text,
            )
            assert document.body[coding.start : coding.end] == coding.text
        for variant, data in {
            "crlf": text.replace("\n", "\r\n").encode(),
            "cr": text.replace("\n", "\r").encode(),
            "bom": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
        }.items():
            other, other_hits, other_codings = code(
                small_matcher, folder, f"{variant}.txt", data, unit
            )
            assert (other.body, other.segments) == (document.body, document.segments)
            assert (other_hits, other_codings) == (hits, codings), variant


def quadratic(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if all(end <= s or start >= e for s, e in kept):
            kept.append((start, end))
    return kept


SPANS = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 8)).map(lambda p: (p[0], p[0] + p[1])), max_size=40
)


@settings(deadline=None, max_examples=300)
@given(spans=SPANS)
def test_A8_pick_disjoint_keeps_what_the_quadratic_loop_kept(spans: list[tuple[int, int]]) -> None:
    assert pick_disjoint(spans, lambda span: span) == quadratic(spans)


def test_A8_regression_one_segment_with_100k_hits_chose_spans_in_quadratic_time() -> None:
    # Bug: a 1.16M-character transcript on one line took 3 minutes to match and 5 to report,
    # comparing each hit with every kept hit; now both use pick_disjoint.
    import time

    spans = [(i, i + 2) for i in range(0, 400_000, 2)] + [(i, i + 1) for i in range(0, 400_000, 2)]
    start = time.perf_counter()
    kept = pick_disjoint(spans, lambda span: span)
    assert time.perf_counter() - start < 5
    assert len(kept) == 200_000
