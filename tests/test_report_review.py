"""The report after a review: the Review block, origin badges and filter, codes the codebook
lacks, and warnings when the codebook or a transcript changed since the codings were made."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from qualcode.publish import render_folder

from .conftest import SMALL_CODEBOOK, write
from .report_helpers import parse_html, replace_column, run_code, visible_text

Invoke = Callable[..., Result]

INTERVIEW = """\
Peneliti: Apa strategi dinas?
Bu Rahmi: Kami bekerja sama dengan perbankan. Juga ada pembinaan rutin.
Peneliti: Kendalanya?
Bu Rahmi: Banyak rentenir dan pinjol. Anggota banyak yang pasif.
Peneliti: Terima kasih.
Bu Rahmi: Sama-sama.
"""
TURN_2 = "Kami bekerja sama dengan perbankan. Juga ada pembinaan rutin."
TURN_4 = "Banyak rentenir dan pinjol. Anggota banyak yang pasif."
MEMO = "penting <b>sekali</b>"
KESADARAN = """\
      - id: strategi.kesadaran
        name: Kesadaran
        keywords: [{text: berkoperasi, exact: true}]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``before``: coded, no decisions. ``out``: re-coded after a review (accept with a memo,
    reject, add by hand, one decision whose text is gone) and two turns inserted at the top,
    so the placed decisions are re-anchored and one is orphaned."""
    from qualcode.review.decisions import Anchor, Decision, text_hash, write_decisions

    root = tmp_path_factory.mktemp("reviewed")
    transcript = write(root / "t" / "wawancara.txt", INTERVIEW)
    book = write(root / "cb.yaml", SMALL_CODEBOOK)
    args = (str(root / "t"), "--codebook", str(book), "--out")
    run_code(*args, str(root / "before"))

    def anchored(text: str) -> Anchor:
        return Anchor(text_hash(text), text)

    write_decisions(
        root / "reviews.csv",  # the default: beside the output folder
        [
            Decision("wawancara.txt", 2, "strategi.kerjasama", "accept", MEMO, anchored(TURN_2)),
            Decision("wawancara.txt", 2, "strategi.pembinaan", "reject", "", anchored(TURN_2)),
            Decision("wawancara.txt", 4, "strategi.kesadaran", "add", "ditambah", anchored(TURN_4)),
            Decision("wawancara.txt", 6, "kendala.pesaing", "accept", "", anchored("Hilang.")),
        ],
    )
    transcript.write_text("Peneliti: Halo.\nBu Rahmi: Halo juga.\n" + INTERVIEW, encoding="utf-8")
    run_code(*args, str(root / "out"))
    return root


@pytest.fixture(scope="module")
def tree(project: Path) -> Any:
    return parse_html(project / "out" / "report.html")


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def by_id(tree: Any, ident: str) -> Any:
    found = [el for el in tree.iter() if el.get("id") == ident]
    assert len(found) == 1, f"id {ident!r} occurs {len(found)} times"
    return found[0]


def has_id(tree: Any, ident: str) -> bool:
    return any(el.get("id") == ident for el in tree.iter())


def cards(tree: Any) -> list[Any]:
    return [el for el in tree.iter("article") if "quote" in (el.get("class") or "").split()]


def badge(card: Any) -> str:
    spans = [el for el in card.iter("span") if "origin" in (el.get("class") or "").split()]
    assert len(spans) == 1
    return visible_text(spans[0])


def totals(block: Any) -> dict[str, str]:
    return {
        visible_text(div.find("dt")): visible_text(div.find("dd"))
        for div in block.iter("div")
        if div.find("dt") is not None
    }


def test_unreviewed_folder_has_a_note_instead_of_the_review_block(project: Path) -> None:
    tree = parse_html(project / "before" / "report.html")
    block = by_id(tree, "review")
    assert block.find(".//dl") is None
    note = visible_text(block.find("p"))
    assert note == "Belum ada keputusan tinjauan yang diterapkan; lihat qualcode review."
    assert visible_text(block.find(".//code")) == "qualcode review"
    assert not has_id(tree, "qc-origin")  # nothing to filter: every coding is auto
    assert {c.get("data-origin") for c in cards(tree)} == {"auto"}
    assert {badge(c) for c in cards(tree)} == {"otomatis"}
    assert not has_id(tree, "stale") and not has_id(tree, "unknown-codes")


def test_review_block_counts_match_codings_csv_and_run_json(project: Path, tree: Any) -> None:
    out = project / "out"
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    summary = run["summary"]
    origins = Counter(r["origin"] for r in rows(out / "codings.csv"))
    assert origins == {"auto": 2, "accepted": 1, "manual": 1}
    block = by_id(tree, "review")
    assert totals(block) == {
        "Belum ditinjau (otomatis)": str(origins["auto"]),
        "Diterima": str(origins["accepted"]),
        "Ditambahkan manual": str(origins["manual"]),
        "Ditolak": str(summary["rejected"]),
        "Keputusan dipindahkan": str(summary["reanchored_decisions"]),
        "Keputusan yatim": str(summary["orphaned_decisions"]),
    }
    assert (summary["rejected"], summary["reanchored_decisions"]) == (1, 3)
    assert summary["orphaned_decisions"] == 1
    codes = [visible_text(c) for c in block.iter("code")]
    assert codes[0] == run["options"]["decisions"] == str(project / "reviews.csv")
    links = [a.get("href") for a in block.iter("a")]
    assert links == ["orphaned_decisions.csv"] and (out / "orphaned_decisions.csv").is_file()


def test_quote_cards_show_where_each_coding_comes_from(project: Path, tree: Any) -> None:
    shown = {(c.get("data-code"), c.get("data-origin"), badge(c)) for c in cards(tree)}
    assert shown == {
        ("strategi.kerjasama", "accepted", "diterima ✓"),
        ("strategi.kesadaran", "manual", "manual"),
        ("kendala.anggota", "auto", "otomatis"),
        ("kendala.pesaing", "auto", "otomatis"),
    }
    manual = by_id(tree, "q-strategi.kesadaran-1-6")
    assert list(manual.iter("mark")) == []  # no words matched: nothing highlighted
    assert "tidak ada kata yang cocok" in visible_text(manual.find(".//div[@class='why']"))
    assert "ditambah" in visible_text(manual)
    accepted = by_id(tree, "q-strategi.kerjasama-1-4")
    assert [visible_text(m) for m in accepted.iter("mark")] == ["bekerja sama"]
    assert MEMO in visible_text(accepted)  # the memo, escaped: shown as text, never as markup
    assert list(tree.iter("b")) == []


def test_origin_filter_has_reviewed_and_unreviewed(tree: Any) -> None:
    select = by_id(tree, "qc-origin")
    options = [(o.get("value"), visible_text(o)) for o in select.iter("option")]
    assert options == [
        ("", "Semua kutipan"),
        ("reviewed", "Sudah ditinjau"),
        ("auto", "Belum ditinjau"),
        ("accepted", "Diterima"),
        ("manual", "Ditambahkan manual"),
    ]


def test_english_labels(project: Path, tmp_path: Path) -> None:
    for name in ("before", "out"):
        shutil.copytree(project / name, tmp_path / name)
        render_folder(tmp_path / name, lang="en")
    before = parse_html(tmp_path / "before" / "report.html")
    assert visible_text(by_id(before, "review").find("p")) == (
        "No review decisions applied yet; see qualcode review."
    )
    after = parse_html(tmp_path / "out" / "report.html")
    assert list(totals(by_id(after, "review"))) == [
        "Unreviewed (auto)", "Accepted", "Added by hand", "Rejected", "Re-anchored decisions",
        "Orphaned decisions",
    ]  # fmt: skip
    assert {badge(c) for c in cards(after)} == {"auto", "accepted ✓", "manual"}


def test_coding_records_carry_the_memo(project: Path) -> None:
    from qualcode.outputs import load_output_folder

    records = load_output_folder(project / "out").coding_records()
    assert [(c.code, c.origin, c.memo) for c in records] == [
        ("strategi.kerjasama", "accepted", MEMO),
        ("strategi.kesadaran", "manual", "ditambah"),
        ("kendala.anggota", "auto", ""),
        ("kendala.pesaing", "auto", ""),
    ]


def test_codes_not_in_the_codebook_are_listed_and_warned(
    project: Path, tmp_path: Path, cli_invoke: Invoke
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(project / "out", copy)
    book = copy / "codebook.yaml"
    assert KESADARAN in book.read_text(encoding="utf-8")
    book.write_text(book.read_text(encoding="utf-8").replace(KESADARAN, ""), encoding="utf-8")
    replace_column(copy / "codings.csv", "code", "kendala.anggota", "<i>hilang</i>")
    result = cli_invoke("report", "copy")
    assert "2 coding(s) use codes not in" in result.stderr
    assert "<i>hilang</i> (1), strategi.kesadaran (1)" in result.stderr
    assert "the report lists them" in result.stderr and "Traceback" not in result.output
    tree = parse_html(copy / "report.html")
    listed = [visible_text(li) for li in by_id(tree, "unknown-codes").iter("li")]
    assert listed == ["<i>hilang</i> 1", "strategi.kesadaran 1"]
    assert list(tree.iter("i")) == []
    assert {c.get("data-code") for c in cards(tree)} == {"strategi.kerjasama", "kendala.pesaing"}
    before = (copy / "report.html").read_bytes()
    cli_invoke("report", "copy", "-q")
    assert (copy / "report.html").read_bytes() == before


def test_report_warns_when_the_codebook_or_a_transcript_changed(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    transcript = write(tmp_path / "t" / "wawancara.txt", INTERVIEW)
    book = write(tmp_path / "cb.yaml", SMALL_CODEBOOK)
    cli_invoke("code", "t", "-c", "cb.yaml", "-o", "out", "--no-cache", "--jobs", "1", "-q")
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["codebook"]["path"] == "cb.yaml"
    assert [i["path"] for i in run["inputs"]] == ["t/wawancara.txt"]  # as given, relative
    fresh = (tmp_path / "out" / "report.html").read_bytes()
    assert cli_invoke("report", "out", "-q").output == ""
    assert (tmp_path / "out" / "report.html").read_bytes() == fresh
    assert not has_id(parse_html(tmp_path / "out" / "report.html"), "stale")

    book.write_text(SMALL_CODEBOOK + "# edited\n", encoding="utf-8")
    transcript.write_text(INTERVIEW + "Peneliti: Satu lagi.\n", encoding="utf-8")
    result = cli_invoke("report", "out", "-q")
    assert result.stderr.splitlines() == [
        "warning: cb.yaml: the codebook changed since these codings were made; "
        "re-run qualcode code",
        "warning: t/wawancara.txt: the transcript changed since these codings were made; "
        "re-run qualcode code",
    ]
    stale = by_id(parse_html(tmp_path / "out" / "report.html"), "stale")
    assert stale.get("role") == "alert"
    text = visible_text(stale)
    assert "cb.yaml: Buku kode telah berubah sejak pengodean ini dibuat" in text
    assert "t/wawancara.txt" in text and "qualcode code" in text

    book.write_text(SMALL_CODEBOOK, encoding="utf-8")
    os.remove(transcript)  # a file that is gone is not checked
    assert cli_invoke("report", "out", "-q").output == ""
    assert (tmp_path / "out" / "report.html").read_bytes() == fresh


@pytest.mark.browser
def test_origin_filter_in_the_browser(project: Path) -> None:
    from .cdp import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed (CI installs it in .ci/run)")
        pytest.skip("chromium not installed")
    with Browser(chromium) as browser:
        page = browser.open((project / "out" / "report.html").as_uri())

        def shown(origin: str) -> list[str]:
            return list(page.evaluate(
                "(() => { const s = document.getElementById('qc-origin');"
                f" s.value = {json.dumps(origin)}; s.dispatchEvent(new Event('change'));"
                " return Array.from(document.querySelectorAll('[data-filter]:not([hidden])'))"
                ".map(q => q.dataset.origin || 'turn'); })()"
            ))  # fmt: skip

        assert sorted(shown("reviewed")) == ["accepted", "manual"]
        assert shown("auto") == ["auto", "auto"]
        assert shown("manual") == ["manual"]
        page.evaluate("document.getElementById('qc-reset').click()")
        assert page.evaluate("document.getElementById('qc-origin').value") == ""
        assert sorted(shown("")) == ["accepted", "auto", "auto", "manual", "turn", "turn"]
        assert page.console_problems() == []
