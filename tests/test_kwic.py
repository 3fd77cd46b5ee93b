"""`qualcode kwic`: concordance lines matched exactly as keywords are."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import REPO, write

Invoke = Callable[..., Result]

KWIC_INTERVIEW = """\
---
interviewer: Peneliti
---
Peneliti: Bagaimana Bapak membina koperasi? Pembinaan itu penting.
[00:01:00] Pak Hendra: Kami membina pengurus, ada yang dibina tiap bulan.
Pembinaannya jalan walau pelan.
Pak Hendra: Kerjasama dengan bank juga ada, kerja sama yang baik.
Pak Hendra: Binaan kami banyak, tapi pinjolnya juga banyak. Pembina kurang.
"""


@pytest.fixture
def project(tmp_path: Path, small_codebook: Path) -> Path:
    write(tmp_path / "transcripts" / "hendra.txt", KWIC_INTERVIEW)
    return tmp_path


def rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_term_matches_by_key(project: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("kwic", "bina", "transcripts", "--csv", "bina.csv")
    lines = rows(project / "bina.csv")
    assert [r["match"] for r in lines] == ["membina", "dibina", "Pembinaannya", "Binaan", "Pembina"]
    first = lines[0]
    assert first["document"] == "hendra.txt" and first["segment"] == "2"
    assert first["speaker"] == "Pak Hendra" and first["timestamp"] == "00:01:00"
    assert first["left"] == "Kami " and first["right"].startswith(" pengurus, ada yang")
    # the interviewer's question is not searched (it is never coded)
    assert "Bagaimana" not in result.stdout
    assert "5 hit(s) of 'bina' in 1 of 1 document(s)" in result.stdout
    # offsets point into the document body
    body = (project / "transcripts" / "hendra.txt").read_text("utf-8").split("---\n", 2)[2]
    assert all(body[int(r["start"]) : int(r["end"])] == r["match"] for r in lines)


def test_derived_term_finds_its_root_forms(project: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("kwic", "pembinaan", "transcripts")
    assert "(key: bina)" in result.stdout
    assert "5 hit(s)" in result.stdout


def test_phrase_term_matches_joined_spelling(project: Path, cli_invoke: Invoke) -> None:
    cli_invoke("kwic", "kerja sama", "transcripts", "--csv", "ks.csv")
    assert [r["match"] for r in rows(project / "ks.csv")] == ["Kerjasama", "kerja sama"]


def test_exact_and_prefix_terms(project: Path, cli_invoke: Invoke) -> None:
    cli_invoke("kwic", "Pembinaannya", "transcripts", "--exact", "--csv", "exact.csv")
    assert [r["match"] for r in rows(project / "exact.csv")] == ["Pembinaannya"]
    cli_invoke("kwic", "pinjol*", "transcripts", "--csv", "prefix.csv")
    assert [r["match"] for r in rows(project / "prefix.csv")] == ["pinjolnya"]


def test_all_speakers_searches_the_interviewer(project: Path, cli_invoke: Invoke) -> None:
    cli_invoke("kwic", "bina", "transcripts", "--all-speakers", "--csv", "all.csv")
    lines = rows(project / "all.csv")
    assert [r["match"] for r in lines][:2] == ["membina", "Pembinaan"]
    assert lines[0]["speaker"] == "Peneliti"


def test_context_is_aligned_and_clipped(project: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("kwic", "bina", "transcripts", "--width", "12", "--csv", "w.csv")
    lines = rows(project / "w.csv")
    assert all(len(r["left"]) <= 12 and len(r["right"]) <= 12 for r in lines)
    assert lines[1]["left"] == "…, ada yang "  # clipped on the far side, with an ellipsis
    # in the table, every match starts in the same column (left context right-aligned)
    table = [line for line in result.stdout.splitlines() if "hendra.txt" in line]
    ends, starts = set(), set()
    for line, r in zip(table, lines, strict=True):
        left = r["left"].rstrip()
        if left:  # "Binaan" opens its turn: nothing on its left
            ends.add(line.index(left) + len(left))
        starts.add(line.index(r["match"], line.index(left) + len(left) if left else 0))
    assert len(ends) == 1 and len(starts) == 1


def test_sort_by_right_context(project: Path, cli_invoke: Invoke) -> None:
    cli_invoke("kwic", "bina", "transcripts", "--sort", "right", "--csv", "r.csv")
    rights = [r["right"].lstrip(" …").lower() for r in rows(project / "r.csv")]
    assert rights == sorted(rights)


def test_codebook_settings_apply(project: Path, cli_invoke: Invoke) -> None:
    """The codebook's overrides decide keys: `lintah: rentenir` makes "rentenir" find "lintah"."""
    book = write(
        project / "cb.yaml",
        "name: x\nlanguage: id\noverrides: {lintah: rentenir}\n"
        "codes: [{id: a, name: A, keywords: [rentenir]}]\n",
    )
    write(project / "transcripts" / "b.txt", "Bu Sri: Ada lintah di pasar, juga rentenir.\n")
    cli_invoke("kwic", "rentenir", "transcripts", "--csv", "plain.csv")
    assert [r["match"] for r in rows(project / "plain.csv")] == ["rentenir"]
    cli_invoke("kwic", "rentenir", "transcripts", "-c", str(book), "--csv", "cb.csv")
    assert [r["match"] for r in rows(project / "cb.csv")] == ["lintah", "rentenir"]


def test_code_lists_counted_hits(project: Path, small_codebook: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke(
        "kwic", "--code", "strategi", "transcripts", "-c", str(small_codebook), "--csv", "c.csv"
    )
    lines = rows(project / "c.csv")
    assert {r["code"] for r in lines} == {"strategi.kerjasama", "strategi.pembinaan"}
    assert "Pembinaannya" in [r["match"] for r in lines]
    assert "keyword: kerja sama (joined: kerjasama)" in [r["rule"] for r in lines]
    assert "code strategi" in result.stdout


def test_code_needs_a_codebook(project: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("kwic", "--code", "strategi", "transcripts", expect_exit=2)
    assert "--code needs --codebook" in result.output


def test_unknown_code_is_an_error(project: Path, small_codebook: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke(
        "kwic", "--code", "nope", "transcripts", "-c", str(small_codebook), expect_exit=1
    )
    assert "no code 'nope'" in result.stderr


def test_term_without_transcripts_is_a_usage_error(cli_invoke: Invoke) -> None:
    result = cli_invoke("kwic", "bina", expect_exit=2)
    assert "at least one transcript" in result.output


def test_kwic_on_the_bundled_study(tmp_path: Path, cli_invoke: Invoke) -> None:
    codebook = REPO / "codebooks" / "koperasi.yaml"
    cli_invoke("kwic", "bina", str(REPO / "transcripts"), "-c", str(codebook), "--csv", "bina.csv")
    lines = rows(tmp_path / "bina.csv")
    forms = {r["match"].lower() for r in lines}
    assert {"pembinaan", "dibina"} <= forms
    assert len({r["document"] for r in lines}) >= 3


def test_transcripts_in_another_language_are_skipped(project: Path, cli_invoke: Invoke) -> None:
    write(project / "transcripts" / "en.txt", "---\nlanguage: en\n---\nA: We bina nothing.\n")
    result = cli_invoke("kwic", "bina", "transcripts")
    assert "en.txt skipped: written in 'en', not 'id'" in result.stderr
    assert "in 1 of 1 document(s)" in result.stdout
    english = cli_invoke("kwic", "nothing", "transcripts", "--language", "en")
    assert "1 hit(s) of 'nothing' in 1 of 2 document(s)" in english.stdout  # undeclared: kept
