"""Decisions file, re-anchoring after text changes, orphans, applying decisions (RELIABILITY D)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.models import INFORMANT, Coding, Document, Segment
from qualcode.review.anchoring import (
    ABSENT,
    KEPT,
    ORPHANED,
    REANCHORED,
    UNANCHORED,
    anchored_segments,
    place,
)
from qualcode.review.apply import ACCEPTED, AUTO, MANUAL, apply_decisions, write_orphans
from qualcode.review.decisions import (
    Anchor,
    Decision,
    DecisionsError,
    anchor_of,
    default_path,
    read_decisions,
    resolve_path,
    write_decisions,
)

from .conftest import write


def document(name: str, turns: list[str], speaker: str = "Bu Rahmi") -> Document:
    """A document of informant turns ``Speaker: text``, one a line."""
    body, segments = "", []
    for number, text in enumerate(turns, start=1):
        body += f"{speaker}: "
        segments.append(
            Segment(name, number, speaker, "", len(body), len(body) + len(text), text, INFORMANT)
        )
        body += text + "\n"
    return Document(name, body, tuple(segments))


def decision_on(doc: Document, number: int, code: str = "x", verdict: str = "accept") -> Decision:
    segment = doc.segments[number - 1]
    return Decision(doc.name, number, code, verdict, "", anchor_of(segment, doc.body))


def placed(doc: Document, decision: Decision):  # type: ignore[no-untyped-def]
    return place(decision, anchored_segments(doc.segments, doc.body))


TURNS = ["Kami bekerja sama dengan bank.", "Anggota banyak yang pasif sekali.", "Iya."]


def test_unchanged_text_keeps_the_decision() -> None:
    doc = document("a.txt", TURNS)
    result = placed(doc, decision_on(doc, 2))
    assert result.status == KEPT and result.decision.segment == 2


def test_crlf_and_bom_do_not_change_the_anchor(tmp_path: Path) -> None:  # D5
    from qualcode.ingest import read_document

    lf = write(tmp_path / "lf.txt", "Peneliti: Apa?\nBu Rahmi: Kami bekerja sama.\n")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbfPeneliti: Apa?\r\nBu Rahmi: Kami bekerja sama.\r\n")
    a, b = read_document(lf, name="x.txt"), read_document(crlf, name="x.txt")
    assert [anchor_of(s, a.body) for s in a.segments] == [anchor_of(s, b.body) for s in b.segments]


def test_inserted_turn_before_reanchors_by_quote_and_says_so() -> None:  # D3
    doc = document("a.txt", TURNS)
    edited = document("a.txt", ["Tambahan di awal.", *TURNS])
    result = placed(edited, decision_on(doc, 2))
    assert result.status == REANCHORED and result.decision.segment == 3
    assert "segment 2's text changed" in result.reason and "segment 3" in result.reason
    assert result.decision.anchor.quote == TURNS[1]


def test_text_appended_to_the_turn_reanchors_when_the_quote_is_inside() -> None:
    doc = document("a.txt", TURNS)
    edited = document("a.txt", [TURNS[0], TURNS[1] + " Itu masalahnya.", TURNS[2]])
    result = placed(edited, decision_on(doc, 2))
    assert result.status == REANCHORED and result.decision.segment == 2
    assert "now inside segment 2" in result.reason


def test_edited_text_is_orphaned_never_shifted() -> None:
    doc = document("a.txt", TURNS)
    edited = document("a.txt", [TURNS[0], "Anggota banyak yang aktif sekali.", TURNS[2]])
    result = placed(edited, decision_on(doc, 2))
    assert result.status == ORPHANED and result.decision == result.original
    assert "not found" in result.reason


def test_short_quote_is_not_matched_inside_longer_turns() -> None:
    doc = document("a.txt", TURNS)
    edited = document("a.txt", [TURNS[0], TURNS[1], "Iya. Betul."])
    assert placed(edited, decision_on(doc, 3)).status == ORPHANED


def test_duplicate_quote_is_disambiguated_by_context() -> None:  # D4
    doc = document("a.txt", ["Pertama.", "Sama saja.", "Kedua.", "Sama saja.", "Ketiga."])
    edited = document(
        "a.txt", ["Baru.", "Pertama.", "Sama saja.", "Kedua.", "Sama saja.", "Ketiga."]
    )
    second = placed(edited, decision_on(doc, 4))
    assert second.status == REANCHORED and second.decision.segment == 5
    assert "occurs in segments 3, 5" in second.reason
    first = placed(edited, decision_on(doc, 2))
    assert first.status == REANCHORED and first.decision.segment == 3


def test_duplicate_quote_with_the_same_context_is_orphaned_as_ambiguous() -> None:  # D4
    filler = "Ini kalimat pengisi yang cukup panjang sekali, ya."  # longer than the context
    doc = document("a.txt", [filler, "Sama saja.", filler, "Sama saja.", filler])
    edited = document("a.txt", ["Baru.", filler, "Sama saja.", filler, "Sama saja.", filler])
    result = placed(edited, decision_on(doc, 2))
    assert result.status == ORPHANED and "ambiguous" in result.reason


def test_other_documents_and_hand_written_rows() -> None:
    doc = document("a.txt", TURNS)
    assert place(Decision("b.txt", 1, "x", "accept"), None).status == ABSENT
    by_hand = placed(doc, Decision("a.txt", 2, "x", "add"))
    assert by_hand.status == UNANCHORED and by_hand.decision.anchor.quote == TURNS[1]
    assert placed(doc, Decision("a.txt", 9, "x", "add")).status == ORPHANED


turn_text = st.text(alphabet="abcdeäé😀 .", min_size=1, max_size=30).map(str.strip).filter(bool)


@given(
    st.lists(turn_text, min_size=1, max_size=8),
    st.lists(turn_text, max_size=4),
    st.integers(0, 8),
    st.data(),
)
def test_a_decision_never_lands_on_different_text(
    turns: list[str], inserted: list[str], at: int, data: st.DataObject
) -> None:
    """Invariant (D1, D3): placed -> same text (or text containing the quote), else orphaned."""
    doc = document("a.txt", turns)
    number = data.draw(st.integers(1, len(turns)))
    at = min(at, len(turns))
    edited = document("a.txt", turns[:at] + inserted + turns[at:])
    result = placed(edited, decision_on(doc, number))
    if result.status == ORPHANED:
        assert result.decision == result.original
    else:
        new = edited.segments[result.decision.segment - 1]
        assert turns[number - 1] in new.text
        assert result.decision.anchor.quote == new.text
        assert edited.body[new.start : new.end] == result.decision.anchor.quote
        assert (result.status == KEPT) == (
            result.decision.segment == number and new.text == turns[number - 1]
        )


# --- the decisions file ---------------------------------------------------------------------


def test_decisions_file_round_trips_formulas_newlines_and_emoji(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    anchor = Anchor("abc", "=SUM(A1) baris\nkedua 😀", "-awal", "+akhir")
    rows = [
        Decision("b.txt", 10, "y", "reject", '@memo, "kutip"', anchor),
        Decision("a.txt", 2, "x", "accept"),
        Decision("a.txt", 10, "x", "add", "=1+1"),
    ]
    write_decisions(path, rows)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"'=SUM" in raw and b"'=1+1" in raw
    back, warnings = read_decisions(path)
    assert warnings == []
    assert [(d.document, d.segment, d.code) for d in back] == [
        ("a.txt", 2, "x"),
        ("a.txt", 10, "x"),
        ("b.txt", 10, "y"),
    ]
    assert back[2].anchor == anchor and back[2].memo == '@memo, "kutip"'
    assert back[1].memo == "=1+1"
    write_decisions(tmp_path / "again.csv", back)
    assert (tmp_path / "again.csv").read_bytes() == raw  # deterministic, stable for git


def test_hand_edited_decisions_are_validated_with_row_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.csv",
        "document,segment,code,decision\na.txt,2,x,Accepted\n,,,\na.txt,3.0,y,add\n",
    )
    rows, _ = read_decisions(path)
    assert [(d.segment, d.decision, d.row) for d in rows] == [(2, "accept", 2), (3, "add", 4)]
    write(path, "document,segment,code,decision\na.txt,2,x,maybe\n")
    with pytest.raises(
        DecisionsError, match=r"r.csv, row 2: decision must be accept, reject or add, not 'maybe'"
    ):
        read_decisions(path)
    write(path, "document,segment,code,decision\na.txt,two,x,accept\n")
    with pytest.raises(DecisionsError, match="row 2: segment 'two' is not a whole number"):
        read_decisions(path)
    write(path, "document,segment,decision\na.txt,2,accept\n")
    with pytest.raises(DecisionsError, match="lacks column"):
        read_decisions(path)


def test_duplicate_rows_warn_and_the_later_row_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.csv", "document,segment,code,decision\na.txt,2,x,accept\na.txt,2,x,reject\n"
    )
    rows, warnings = read_decisions(path)
    assert [d.decision for d in rows] == ["reject"]
    assert warnings and "rows 2 and 3" in warnings[0]


def test_default_and_given_decisions_paths(tmp_path: Path) -> None:
    assert default_path(tmp_path / "reports") == tmp_path / "reviews.csv"
    assert resolve_path(tmp_path / "reports", None) is None
    write(tmp_path / "reviews.csv", "document,segment,code,decision\n")
    assert resolve_path(tmp_path / "reports", None) == tmp_path / "reviews.csv"
    assert resolve_path(tmp_path / "reports", None, disabled=True) is None
    with pytest.raises(DecisionsError, match="not found"):
        resolve_path(tmp_path / "reports", tmp_path / "missing.csv")


# --- applying decisions ---------------------------------------------------------------------


def coding(doc: Document, number: int, code: str) -> Coding:
    s = doc.segments[number - 1]
    return Coding(doc.name, number, s.speaker, s.start, s.end, code, AUTO, 1, ("w",), s.text)


CODES = ["x", "y", "z"]


def test_apply_accept_reject_add_and_unreviewed() -> None:
    doc = document("a.txt", TURNS)
    proposals = [coding(doc, 1, "x"), coding(doc, 1, "y"), coding(doc, 2, "x"), coding(doc, 3, "z")]
    decisions = [
        decision_on(doc, 1, "x", "accept"),
        decision_on(doc, 1, "y", "reject"),
        decision_on(doc, 2, "z", "add"),
        decision_on(doc, 3, "z", "add"),  # the auto-coder proposes it too: accepted
    ]
    decisions[0] = Decision(*decisions[0].key, "accept", "kutipan bagus", decisions[0].anchor)
    outcome = apply_decisions(
        proposals, decisions, {"a.txt": anchored_segments(doc.segments, doc.body)}, CODES
    )
    assert [(c.segment, c.code, c.origin, c.hits, c.memo) for c in outcome.codings] == [
        (1, "x", ACCEPTED, 1, "kutipan bagus"),
        (2, "x", AUTO, 1, ""),
        (2, "z", MANUAL, 0, ""),
        (3, "z", ACCEPTED, 1, ""),
    ]
    assert (outcome.accepted, outcome.rejected, outcome.added, outcome.unreviewed) == (2, 1, 1, 1)
    assert outcome.orphans == []
    manual = outcome.codings[2]
    assert doc.body[manual.start : manual.end] == manual.text and manual.matched == ()
    assert outcome.summary()["rejected"] == 1


def test_apply_orphans_unknown_codes_and_accepts_of_codes_no_longer_proposed(
    tmp_path: Path,
) -> None:
    doc = document("a.txt", TURNS)
    edited = document("a.txt", [TURNS[0], "Teks yang sudah diubah.", TURNS[2]])
    decisions = [
        decision_on(doc, 1, "gone", "add"),
        decision_on(doc, 1, "y", "accept"),
        decision_on(doc, 2, "x", "accept"),
        Decision("other.txt", 1, "x", "accept"),
    ]
    outcome = apply_decisions(
        [coding(edited, 1, "x")],
        decisions,
        {"a.txt": anchored_segments(edited.segments, edited.body)},
        CODES,
    )
    reasons = sorted(o.reason for o in outcome.orphans)
    assert len(reasons) == 3
    assert any("not in the codebook" in r for r in reasons)
    assert any("no longer proposes" in r for r in reasons)
    assert any("text changed" in r for r in reasons)
    assert outcome.absent == 1
    assert [c.origin for c in outcome.codings] == [AUTO]
    target = write_orphans(tmp_path, outcome)
    assert target is not None
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 and all(r["reason"] for r in rows)
    assert {r["code"] for r in rows} == {"gone", "y", "x"}
    write_orphans(tmp_path, None)
    assert not target.exists()
