"""Hostile text in every field the report shows renders as visible text (RELIABILITY E1-E3).

A transcript whose text, file name, attributes and speaker, and a codebook whose names and
definitions hold ``<script>``, ``"><img onerror=...>``, ``javascript:`` and ``</script>``: the
report, parsed as a browser would (html5lib), has no script but its own, no event handler
attribute, no javascript: link, and shows every hostile string as text.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from qualcode.publish import render_folder

from .conftest import write
from .report_helpers import parse_html, replace_column, run_code, visible_text

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
CLOSE = "</script>"
HOSTILE = (SCRIPT, IMG, JS, CLOSE)
FILE_NAME = '"><img src=x onerror=alert(1)>.txt'

HOSTILE_CODEBOOK = textwrap.dedent(
    """\
    name: '"><img src=x onerror=alert(1)> buku'
    language: id
    version: "</script>"
    description: "javascript:alert(1)"
    codes:
      - id: kendala
        name: "<script>alert(1)</script>"
        description: "javascript:alert(1)"
        include: '"><img src=x onerror=alert(1)>'
        examples: ["</script><script>alert(3)</script>"]
        facets: {"<b>f</b>": "<i>v</i>"}
        children:
          - id: kendala.pesaing
            name: '"><img src=x onerror=alert(1)>'
            keywords: [rentenir, "pinjol*"]
      - id: swot
        name: SWOT
        children:
          - {id: swot.s, name: "javascript:alert(1)", facets: {swot: strength},
             keywords: [kekuatan]}
          - {id: swot.t, name: "</script>", facets: {swot: threat}, keywords: [ancaman]}
    """
)

TRANSCRIPT = textwrap.dedent(
    """\
    ---
    informant: '"><img src=x onerror=alert(1)>'
    role: "<script>alert(1)</script>"
    unit: "javascript:alert(1)"
    interviewer: Peneliti
    ---
    Peneliti: Apa kendalanya? </script><script>alert(2)</script>
    Bu Ani: Banyak rentenir <script>alert(1)</script> dan pinjol "><img src=x onerror=alert(1)>
    lalu javascript:alert(1) dan </script> juga kekuatan kami.
    Peneliti: Ancaman? <img src=x onerror=alert(5)>
    Bu Ani: Ancaman itu pinjol. javascript:alert(1)
    Bu Ani: Tidak ada yang lain <script>alert(1)</script>.
    """
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write(root / "transcripts" / FILE_NAME, TRANSCRIPT)
    book = write(root / "cb.yaml", HOSTILE_CODEBOOK)
    out = root / "out"
    run_code(str(root / "transcripts"), "--codebook", str(book), "--out", str(out))
    # speakers cannot hold "<" in a transcript, but an edited CSV can: re-render from it
    for name in ("segments.csv", "codings.csv"):
        replace_column(out / name, "speaker", "Bu Ani", SCRIPT)
    render_folder(out)
    return out


@pytest.fixture(scope="module")
def tree(hostile: Path) -> Any:
    return parse_html(hostile / "report.html")


def test_only_the_reports_own_scripts(tree: Any) -> None:
    from qualcode.report.build import _asset

    scripts = list(tree.iter("script"))
    assert len(scripts) == 2
    data, code = scripts
    assert data.get("type") == "application/json" and data.get("id") == "qc-data"
    json.loads(data.text)
    assert dict(code.attrib) == {} and code.text == _asset("report.js")


def test_no_event_handlers_no_javascript_links_no_injected_elements(tree: Any) -> None:
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("img", "iframe", "object", "embed", "b", "i", "base", "form")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith("javascript:"), (element.tag, value)


def test_hostile_text_is_visible_everywhere(hostile: Path, tree: Any) -> None:
    body = visible_text(tree.find("body"))
    for text in HOSTILE:
        assert text in body
    assert FILE_NAME in body
    assert "<b>f</b>" in body and "<i>v</i>" in body  # the facet key and value
    quotes = [el for el in tree.iter("article") if "quote" in (el.get("class") or "")]
    assert quotes
    assert all(SCRIPT in visible_text(q.find(".//strong")) for q in quotes)  # the speaker
    marks = [visible_text(m) for q in quotes for m in q.iter("mark")]
    assert "rentenir" in marks and "pinjol" in marks
    raw = (hostile / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img" not in raw


def test_hostile_report_is_still_deterministic(hostile: Path) -> None:
    before = (hostile / "report.html").read_bytes()
    render_folder(hostile)
    assert (hostile / "report.html").read_bytes() == before
