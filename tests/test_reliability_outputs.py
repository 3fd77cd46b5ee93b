"""Quotes with emoji and other astral characters are the same text in every output (D2).

Offsets are code points everywhere: CSV offsets slice the body, the workbook and the report show
the quote unchanged, and a .qdpx selection's start/end slice the exported source text.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import html5lib
import openpyxl
from click.testing import Result
from defusedxml import ElementTree

from qualcode.store import read_csv

from .conftest import write

Invoke = Callable[..., Result]
ASTRAL = (
    "Peneliti: Ada kerja sama? 🤔\n"
    "Bu Rahmi: 😀 Kami 👩‍👩‍👧 bekerja sama 𝔘 dengan perbankan 👍🏽, tapi anggota pasif.\n"
    "Peneliti: Lalu?\n"
    "Bu Rahmi: Banyak rentenir 🙏 dan pinjol 💸.\n"
)
QDA = "{urn:QDA-XML:project:1.0}"


def test_D2_emoji_quotes_are_identical_in_csv_xlsx_html_and_qdpx(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "t" / "emoji.txt", ASTRAL)
    cli_invoke("code", "t", "-c", str(small_codebook), "-o", "out", "-q")
    cli_invoke("export", "qdpx", "out", "-o", "p.qdpx")
    out = tmp_path / "out"
    body = json.loads((out / "documents.jsonl").read_text(encoding="utf-8"))["body"]
    assert body == ASTRAL
    codings = read_csv(out / "codings.csv")
    quotes = set(codings["text"])
    assert quotes == {
        "😀 Kami 👩‍👩‍👧 bekerja sama 𝔘 dengan perbankan 👍🏽, tapi anggota pasif.",
        "Banyak rentenir 🙏 dan pinjol 💸.",
    }
    for start, end, text in zip(codings["start"], codings["end"], codings["text"], strict=True):
        assert body[start:end] == text
    hits = read_csv(out / "hits.csv")
    for start, end, matched in zip(hits["start"], hits["end"], hits["matched"], strict=True):
        assert body[start:end] == matched

    sheet = openpyxl.load_workbook(io.BytesIO((out / "codings.xlsx").read_bytes()))["codings"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("text")
    assert {row[column].value for row in sheet.iter_rows(min_row=2)} == quotes

    tree = html5lib.parse(
        (out / "report.html").read_text(encoding="utf-8"), namespaceHTMLElements=False
    )
    shown = {"".join(q.itertext()).strip() for q in tree.iter("blockquote")}
    assert quotes <= shown

    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        project = ElementTree.fromstring(archive.read("project.qde"))
        sources = list(project.iter(f"{QDA}TextSource"))
        assert len(sources) == 1
        path = sources[0].get("plainTextPath").removeprefix("internal://")
        text = archive.read(f"sources/{path}").decode("utf-8")
    assert text == body
    selected = {
        text[int(s.get("startPosition")) : int(s.get("endPosition"))]
        for s in sources[0].iter(f"{QDA}PlainTextSelection")
    }
    assert selected == quotes
