"""`qualcode review` driven by scripted key presses, and `qualcode code` applying the decisions."""

from __future__ import annotations

import csv
import io
import json
import re
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from .conftest import REPO, write

INTERVIEW = """\
Peneliti: Apa strategi dinas?
Bu Rahmi: Kami bekerja sama dengan perbankan. Juga ada pembinaan rutin.
Peneliti: Kendalanya?
Bu Rahmi: Banyak rentenir dan pinjol. Anggota banyak yang pasif.
Peneliti: Terima kasih.
Bu Rahmi: Sama-sama.
"""


def invoke(*args: str, keys: str = "", expect_exit: int = 0) -> Result:
    from qualcode.cli import main

    result = CliRunner().invoke(main, list(args), input=keys, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        traceback.print_exception(*result.exc_info)
    assert result.exit_code == expect_exit, result.output
    return result


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def decisions(path: Path) -> list[tuple[str, str, str, str]]:
    return [(r["segment"], r["code"], r["decision"], r["memo"]) for r in rows(path)]


@pytest.fixture
def project(tmp_path: Path, small_codebook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "t" / "wawancara.txt", INTERVIEW)
    invoke("code", "t", "-c", str(small_codebook), "-o", "out", "-q")
    return tmp_path


def code(small_codebook: Path, *extra: str, expect_exit: int = 0) -> Result:
    return invoke(
        "code", "t", "-c", str(small_codebook), "-o", "out", *extra, expect_exit=expect_exit
    )


def test_review_step_by_step_resume_and_apply(project: Path, small_codebook: Path) -> None:
    reviews = project / "reviews.csv"  # the default: beside the output folder

    first = invoke("review", "out", keys="a")  # accept, then the input ends: quit
    assert "Bu Rahmi: Kami bekerja sama dengan perbankan" in first.stdout
    assert "Peneliti: Apa strategi dinas?" in first.stdout  # the question for context
    assert "strategi.kerjasama" in first.stdout and "item 1 of 4" in first.stdout
    assert decisions(reviews) == [("2", "strategi.kerjasama", "accept", "")]
    assert "1 of 4 proposals decided" in first.stdout

    second = invoke("review", "out", keys="rq")  # resumes at the first undecided proposal
    assert "item 2 of 4" in second.stdout
    assert decisions(reviews)[1] == ("2", "strategi.pembinaan", "reject", "")

    # memo then accept; "+" with an ambiguous prefix lists candidates (Esc cancels);
    # "+" with a unique prefix completes on Enter; back; reject keeps the memo.
    third = invoke("review", "out", keys="mpenting\na+kendala.pe\t\x1b+strategi.kes\nbrq")
    assert "kendala.pembina  kendala.pesaing" in third.stdout
    assert "Added strategi.kesadaran to this segment." in third.stdout
    assert decisions(reviews) == [
        ("2", "strategi.kerjasama", "accept", ""),
        ("2", "strategi.pembinaan", "reject", ""),
        ("4", "kendala.anggota", "reject", "penting"),
        ("4", "strategi.kesadaran", "add", ""),
    ]  # sorted by document, segment and code: stable diffs in git
    row = rows(reviews)[2]
    assert row["quote"] == "Banyak rentenir dan pinjol. Anggota banyak yang pasif."
    assert row["prefix"].endswith("Bu Rahmi: ") and row["suffix"].startswith("\nPeneliti: Terima")
    assert len(row["text_sha256"]) == 64

    only = invoke("review", "out", "--only-unreviewed", keys="a")
    assert "item 1 of 1" in only.stdout and "kendala.pesaing" in only.stdout
    assert invoke("review", "out", keys="q").stdout.count("End of the queue") == 1

    applied = code(small_codebook)
    assert "2 accepted, 2 rejected, 1 added by hand, 0 codings unreviewed" in applied.stdout
    codings = rows(project / "out" / "codings.csv")
    assert list(codings[0])[-2:] == ["text", "memo"]
    assert [(c["segment"], c["code"], c["origin"], c["hits"], c["memo"]) for c in codings] == [
        ("2", "strategi.kerjasama", "accepted", "1", ""),
        ("4", "strategi.kesadaran", "manual", "0", ""),
        ("4", "kendala.pesaing", "accepted", "2", ""),
    ]
    segments = rows(project / "out" / "segments.csv")
    assert segments[3]["codes"] == "strategi.kesadaran; kendala.pesaing"
    run = json.loads((project / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["options"]["decisions"] == "reviews.csv"
    summary = run["summary"]
    assert (summary["accepted"], summary["rejected"], summary["manual"], summary["unreviewed"]) == (
        2,
        2,
        1,
        0,
    )
    assert summary["orphaned_decisions"] == 0
    assert rows(project / "out" / "orphaned_decisions.csv") == []

    # The review still shows rejected proposals (rebuilt from hits.csv), so they can be revisited.
    again = invoke("review", "out", keys="q")
    assert "item 4 of 4" not in again.stdout and "End of the queue" in again.stdout
    assert invoke("review", "out", "--code", "strategi", keys="bq").stdout.count("item 2 of 2") == 1


def test_decisions_survive_an_edited_transcript(project: Path, small_codebook: Path) -> None:
    reviews = project / "reviews.csv"
    invoke("review", "out", keys="arsa")
    code(small_codebook)
    before = reviews.read_bytes()

    # A turn inserted at the top renumbers every segment: decisions follow their text (D3).
    write(project / "t" / "wawancara.txt", "Peneliti: Halo.\nBu Rahmi: Halo juga.\n" + INTERVIEW)
    moved = code(small_codebook)
    assert "3 decision(s) re-anchored" in moved.stderr
    assert "segment 2's text changed; its text is now segment 4" in moved.stderr
    codings = rows(project / "out" / "codings.csv")
    assert [(c["segment"], c["code"], c["origin"]) for c in codings] == [
        ("4", "strategi.kerjasama", "accepted"),
        ("6", "kendala.anggota", "auto"),
        ("6", "kendala.pesaing", "accepted"),
    ]
    assert reviews.read_bytes() == before  # the decisions file is an input: never rewritten

    # The reviewed turn itself is edited: its decisions are orphaned and listed, never moved.
    write(
        project / "t" / "wawancara.txt", INTERVIEW.replace("pembinaan rutin", "pembinaan bulanan")
    )
    orphaned = code(small_codebook)
    assert "2 decision(s) orphaned" in orphaned.stderr
    assert "wawancara.txt segment 2, strategi.kerjasama [accept] (row 2)" in orphaned.stderr
    lost = rows(project / "out" / "orphaned_decisions.csv")
    assert [(r["segment"], r["code"], r["decision"]) for r in lost] == [
        ("2", "strategi.kerjasama", "accept"),
        ("2", "strategi.pembinaan", "reject"),
    ]
    assert "text was not found" in lost[0]["reason"]
    assert [c["origin"] for c in rows(project / "out" / "codings.csv")][:2] == ["auto", "auto"]
    run = json.loads((project / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["summary"]["orphaned_decisions"] == 2
    assert reviews.read_bytes() == before

    # Reviewing again reports the orphans and keeps them in the file when saving; a new
    # decision on the same segment and code replaces its orphan.
    review = invoke("review", "out", keys="a")
    assert "2 orphaned decision(s)" in review.stdout
    assert "(replaces an orphaned decision)" in review.stdout
    assert decisions(reviews) == [
        ("2", "strategi.kerjasama", "accept", ""),
        ("2", "strategi.pembinaan", "reject", ""),
        ("4", "kendala.pesaing", "accept", ""),
    ]
    assert rows(reviews)[1]["quote"] != rows(reviews)[0]["quote"]  # the orphan, kept verbatim

    plain = code(small_codebook, "--no-decisions")
    assert {c["origin"] for c in rows(project / "out" / "codings.csv")} == {"auto"}
    assert (
        not (project / "out" / "orphaned_decisions.csv").exists() and "Review" not in plain.stdout
    )


def test_decisions_option_and_bad_files(project: Path, small_codebook: Path) -> None:
    elsewhere = project / "coder2" / "keputusan.csv"
    invoke("review", "out", "--decisions", str(elsewhere), "--document", "waw*", keys="r")
    assert decisions(elsewhere) == [("2", "strategi.kerjasama", "reject", "")]
    assert not (project / "reviews.csv").exists()
    applied = code(small_codebook, "--decisions", str(elsewhere))
    assert "strategi.kerjasama" not in [c["code"] for c in rows(project / "out" / "codings.csv")]
    assert "1 rejected" in applied.stdout
    # --gold evaluates the auto-coder itself: the rejected proposal still counts as predicted.
    write(project / "gold.csv", "document,segment,codes\nwawancara.txt,2,strategi.kerjasama\n")
    gold = code(small_codebook, "--decisions", str(elsewhere), "--gold", "gold.csv")
    assert re.search(r"strategi\.kerjasama\s*│\s*1\s*│\s*0\s*│\s*0\s*│", gold.stdout)

    missing = code(small_codebook, "--decisions", "nope.csv", expect_exit=1)
    assert "nope.csv: decisions file not found" in missing.stderr
    assert "not a code" in invoke("review", "out", "--code", "nope", expect_exit=1).stderr
    nothing = invoke("review", "out", "--document", "none.txt", keys="a")
    assert "Nothing to review" in nothing.stdout
    assert "not a qualcode output folder" in invoke("review", "t", expect_exit=1).stderr
    write(
        project / "reviews.csv",
        "document,segment,code,decision\nwawancara.txt,2,strategi.kerjasama,perhaps\n",
    )
    for bad in (code(small_codebook, expect_exit=1), invoke("review", "out", expect_exit=1)):
        assert "reviews.csv, row 2: decision must be accept, reject or add" in bad.stderr
        assert "Traceback" not in bad.output


def test_review_the_bundled_demo_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code the demo, accept every proposal but reject the first, add a code, re-code, compare."""
    monkeypatch.chdir(tmp_path)
    codebook = str(REPO / "codebooks" / "koperasi.yaml")
    invoke("code", str(REPO / "transcripts"), "-c", codebook, "-o", "reports", "-q")
    proposals = len(rows(tmp_path / "reports" / "codings.csv"))
    assert proposals > 50
    keys = "r+kendala.eksternal.lai\n" + "a" * (proposals - 1) + "q"
    result = invoke("review", "reports", keys=keys)
    assert f"{proposals} of {proposals} proposals decided (0 left)" in result.stdout
    assert len(rows(tmp_path / "reviews.csv")) == proposals + 1
    applied = invoke("code", str(REPO / "transcripts"), "-c", codebook, "-o", "reports")
    assert (
        f"{proposals - 1} accepted, 1 rejected, 1 added by hand, 0 codings unreviewed"
        in applied.stdout
    )
    origins = [c["origin"] for c in rows(tmp_path / "reports" / "codings.csv")]
    assert origins.count("manual") == 1 and origins.count("accepted") == proposals - 1
    agree = invoke(
        "agree",
        "reviews.csv",
        str(REPO / "evaluation" / "dev_gold.csv"),
        "--gold",
        "B",
        "--format",
        "json",
    )
    data = json.loads(agree.stdout)
    assert data["a"]["kind"] == "reviews" and data["evaluation"]["micro"]["f1"] > 0.5
