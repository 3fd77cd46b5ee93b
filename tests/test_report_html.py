"""report.html written by `qualcode code` and `qualcode report`: structure, counts, determinism."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from qualcode.publish import render_folder

from .conftest import write
from .report_helpers import REPORT_CODEBOOK, code_demo, elements, parse_html, visible_text

Invoke = Callable[..., Result]


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled transcripts coded with REPORT_CODEBOOK (facets, SWOT) by `qualcode code`."""
    root = tmp_path_factory.mktemp("report")
    return code_demo(root / "out", write(root / "cb.yaml", REPORT_CODEBOOK))


@pytest.fixture(scope="module")
def tree(coded: Path) -> Any:
    return parse_html(coded / "report.html")


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def by_id(tree: Any, ident: str) -> Any:
    found = [el for el in tree.iter() if el.get("id") == ident]
    assert len(found) == 1, f"id {ident!r} occurs {len(found)} times"
    return found[0]


def has_class(element: Any, name: str) -> bool:
    return name in (element.get("class") or "").split()


def test_code_writes_the_report_and_the_workbook(coded: Path) -> None:
    html = (coded / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert (coded / "codings.xlsx").read_bytes()[:2] == b"PK"


def test_report_rerenders_byte_identical(coded: Path, tmp_path: Path, cli_invoke: Invoke) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(coded, copy)
    first = cli_invoke("report", str(copy), "-q")
    assert first.output == ""
    html, xlsx = (copy / "report.html").read_bytes(), (copy / "codings.xlsx").read_bytes()
    assert html == (coded / "report.html").read_bytes()  # what `qualcode code` wrote
    assert xlsx == (coded / "codings.xlsx").read_bytes()
    result = cli_invoke("report", str(copy))
    assert "report.html" in result.output and "codings.xlsx" in result.output
    assert (copy / "report.html").read_bytes() == html
    assert (copy / "codings.xlsx").read_bytes() == xlsx


def test_report_has_every_section_a_toc_and_a_csp(tree: Any) -> None:
    for section in ("overview", "codes", "matrices", "facets", "quotes", "uncoded", "appendix"):
        assert by_id(tree, section).tag == "section"
    toc = [a.get("href") for a in elements(tree.find(".//nav"), "a")]
    assert toc[:4] == ["#overview", "#codes", "#matrices", "#facets"]
    csp = [m for m in elements(tree, "meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1
    policy = csp[0].get("content")
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert tree.get("lang") == "id"


def test_every_code_has_an_anchor_and_a_definition(tree: Any) -> None:
    from qualcode.codebook import parse_codebook

    for code in parse_codebook(REPORT_CODEBOOK.encode()).walk():
        assert by_id(tree, f"code-{code.id}").get("data-code") == code.id
        assert by_id(tree, f"def-{code.id}") is not None
    definition = visible_text(by_id(tree, "def-strategi.kerjasama"))
    for part in ("Kerja sama dengan pihak lain.", "Bank, kampus, notaris.", "kemitraan"):
        assert part in definition


def test_quote_counts_equal_codings_csv(coded: Path, tree: Any) -> None:
    codings = rows(coded / "codings.csv")
    per_code = Counter(r["code"] for r in codings)
    cards = Counter(
        el.get("data-code") for el in elements(tree, "article") if has_class(el, "quote")
    )
    assert cards == per_code
    for code, count in per_code.items():
        summary = by_id(tree, f"code-{code}").find("summary")
        assert visible_text(summary).split()[-2] == str(count)
    units = {(r["document"], r["segment"]) for r in codings}
    totals = {
        visible_text(div.find("dt")): visible_text(div.find("dd"))
        for div in by_id(tree, "overview").iter("div") if div.find("dt") is not None
    }  # fmt: skip
    assert totals["Pengodean"] == str(len(codings))
    assert totals["Giliran berkode"] == str(len(units))
    segments = rows(coded / "segments.csv")
    assert totals["Giliran"] == str(len(segments))
    informant = [s for s in segments if s["speaker_type"] == "informant"]
    assert totals["Giliran informan"] == str(len(informant))
    uncoded = [el for el in elements(tree, "article") if has_class(el, "turn")]
    assert len(uncoded) == sum(1 for s in informant if s["coded"] == "no")


def test_frequency_table_rolls_up_parents(coded: Path, tree: Any) -> None:
    codings = rows(coded / "codings.csv")
    table = by_id(tree, "codes").find(".//table")
    shown = {tr.get("data-code"): [visible_text(td) for td in tr.findall("td")[:2]]
             for tr in table.iter("tr") if tr.get("data-code")}  # fmt: skip

    def units(prefix: str) -> set[tuple[str, str]]:
        return {(r["document"], r["segment"]) for r in codings
                if r["code"] == prefix or r["code"].startswith(prefix + ".")}  # fmt: skip

    for code in ("kendala", "kendala.internal", "kendala.internal.anggota", "strategi"):
        expected = units(code)
        assert shown[code] == [str(len(expected)), str(len({d for d, _ in expected}))]


def test_matrices_and_facets(coded: Path, tree: Any) -> None:
    codings = rows(coded / "codings.csv")
    for ident in ("m-documents", "m-cooccurrence"):
        assert by_id(tree, ident).find(".//table") is not None
    assert any(el.get("id", "").startswith("m-attribute-") for el in tree.iter("figure"))
    swot = [el for el in tree.iter("div") if has_class(el, "swot")]
    assert len(swot) == 1
    cells = [el for el in swot[0].iter("div") if has_class(el, "swot-cell")]
    assert [c.get("class").split()[1] for c in cells] == [
        "swot-strength", "swot-weakness", "swot-opportunity", "swot-threat",
    ]  # fmt: skip
    for cell, code in zip(cells, ("swot.s", "swot.w", "swot.o", "swot.t"), strict=True):
        count = len({(r["document"], r["segment"]) for r in codings if r["code"] == code})
        big = next(el for el in cell.iter("span") if has_class(el, "big"))
        assert visible_text(big) == str(count)
    factor = next(el for el in tree.iter("div") if el.get("data-facet") == "factor")
    values = {visible_text(tr.find("th")): visible_text(tr.findall("td")[0])
              for tr in factor.iter("tr") if tr.find("td") is not None}  # fmt: skip
    internal = {(r["document"], r["segment"]) for r in codings
                if r["code"].startswith("kendala.internal.")}  # fmt: skip
    assert values["internal"] == str(len(internal))


def test_quotes_show_highlights_rules_and_the_question(tree: Any) -> None:
    cards = [el for el in elements(tree, "article") if has_class(el, "quote")]
    marks = [m for card in cards for m in card.iter("mark")]
    assert marks and all(m.get("title", "").split(":")[0] in ("keyword", "pattern") for m in marks)
    assert any(el.tag == "details" and has_class(el, "question") for c in cards for el in c.iter())
    assert all(c.get("data-doc", "").isdigit() for c in cards)


def test_script_data_is_json_and_no_network_reference(coded: Path, tree: Any) -> None:
    data = by_id(tree, "qc-data")
    assert data.get("type") == "application/json"
    assert set(json.loads(data.text)) == {"attributes", "cap", "labels"}
    for element in tree.iter():
        for name in ("src", "href", "action", "data", "poster"):
            value = (element.get(name) or "").strip().lower()
            assert "://" not in value and not value.startswith("//"), (element.tag, value)
    html = (coded / "report.html").read_text(encoding="utf-8")
    assert "@import" not in html and "url(" not in html and "http://" not in html


def test_language_en_and_default_from_the_codebook(coded: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(coded, copy)
    render_folder(copy, lang="en")
    english = parse_html(copy / "report.html")
    assert english.get("lang") == "en"
    assert visible_text(by_id(english, "overview").find("h2")) == "1. Overview"
    render_folder(copy)
    assert visible_text(by_id(parse_html(copy / "report.html"), "overview").find("h2")) == (
        "1. Ikhtisar"
    )


def test_report_of_a_folder_that_is_not_an_output_folder(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    result = cli_invoke("report", "nowhere", expect_exit=1)
    assert "nowhere: no such folder" in result.output
    (tmp_path / "empty").mkdir()
    result = cli_invoke("report", "empty", expect_exit=1)
    assert "not a qualcode output folder" in result.output and "codings.csv" in result.output
    assert "Traceback" not in result.output


def test_report_of_a_folder_with_a_broken_csv(
    coded: Path, tmp_path: Path, cli_invoke: Invoke
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(coded, copy)
    (copy / "hits.csv").write_text("document,segment\nx,notanumber\n", encoding="utf-8")
    result = cli_invoke("report", str(copy), expect_exit=1)
    assert "hits.csv" in result.output and "Traceback" not in result.output
