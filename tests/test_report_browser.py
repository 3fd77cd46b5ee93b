"""The demo report in a real browser (headless Chromium over the DevTools protocol).

No console errors, no network request but the file itself, the SWOT grid and the matrices on
the page, the search box filters quotes, and the page still shows everything with JavaScript
off. Chromium missing: skipped on a developer machine, a failure in CI (CI=true), where
`.ci/run` installs it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from .cdp import Browser, Page, find_chromium
from .report_helpers import code_demo, run_code

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed (CI installs it in .ci/run)")
        pytest.skip("chromium not installed: apt-get install chromium (CI installs it)")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled study, coded as `make run` does."""
    return code_demo(tmp_path_factory.mktemp("browser") / "reports") / "report.html"


@pytest.fixture(scope="module")
def browser(chromium: str) -> Browser:
    with Browser(chromium) as running:
        yield running  # type: ignore[misc]


@pytest.fixture(scope="module")
def page(browser: Browser, demo: Path) -> Page:
    return browser.open(demo.as_uri())


def shown_quotes(page: Page) -> list[str]:
    return list(page.evaluate(
        "Array.from(document.querySelectorAll('article.quote:not([hidden])'))"
        ".map(q => q.querySelector('blockquote').textContent.toLowerCase())"
    ))  # fmt: skip


def test_page_loads_without_console_errors_or_network(page: Page, demo: Path) -> None:
    assert page.evaluate("document.documentElement.getAttribute('data-ready')") == "1"
    assert page.console_problems() == []
    assert page.requests() == [demo.as_uri()]


def test_swot_grid_and_matrices_are_rendered(page: Page) -> None:
    quadrants = page.evaluate(
        "Array.from(document.querySelectorAll('.swot .swot-cell')).map(c => c.className)"
    )
    assert quadrants == ["swot-cell swot-strength", "swot-cell swot-weakness",
                         "swot-cell swot-opportunity", "swot-cell swot-threat"]  # fmt: skip
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('.swot-cell')).map(c => c.getBoundingClientRect())"
        ".map(r => [Math.round(r.left), Math.round(r.top)])"
    )
    assert boxes[0][1] == boxes[1][1] and boxes[0][0] < boxes[1][0]  # a 2x2 grid
    assert boxes[2][1] > boxes[0][1] and boxes[2][0] == boxes[0][0]
    for ident in ("m-documents", "m-cooccurrence"):
        rows = page.evaluate(f"document.querySelectorAll('#{ident} tbody tr').length")
        assert rows > 3, ident
        width = page.evaluate(f"document.querySelector('#{ident} table').offsetWidth")
        assert width > 200


def test_search_box_filters_quotes(page: Page) -> None:
    total = len(shown_quotes(page))
    assert total > 20
    page.type_text("#qc-search", "pinjol")
    deadline = time.monotonic() + 10  # the filter runs 150 ms after the last key
    while not page.evaluate("document.getElementById('qc-status').textContent"):
        assert time.monotonic() < deadline, "the search did not filter"
        time.sleep(0.1)
    shown = shown_quotes(page)
    assert 0 < len(shown) < total
    assert all("pinjol" in text for text in shown)
    status = page.evaluate("document.getElementById('qc-status').textContent")
    assert str(len(shown)) in status and str(total) in status
    page.evaluate("document.getElementById('qc-reset').click()")
    assert len(shown_quotes(page)) == total
    assert page.evaluate("document.getElementById('qc-status').textContent") == ""


def test_code_and_document_filters(page: Page) -> None:
    page.evaluate(
        "(() => { const s = document.getElementById('qc-code');"
        " s.value = s.options[1].value; s.dispatchEvent(new Event('change')); })()"
    )
    code = page.evaluate("document.getElementById('qc-code').value")
    codes = page.evaluate(
        "Array.from(document.querySelectorAll('article.quote:not([hidden])'))"
        ".map(q => q.dataset.code)"
    )
    assert codes and all(c == code or c.startswith(code + ".") for c in codes)
    page.evaluate(
        "(() => { const s = document.getElementById('qc-doc'); s.value = '1';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    docs = page.evaluate(
        "Array.from(document.querySelectorAll('[data-filter]:not([hidden])'))"
        ".map(q => q.dataset.doc)"
    )
    assert set(docs) <= {"1"}
    page.evaluate("document.getElementById('qc-reset').click()")
    assert page.console_problems() == []


def test_page_works_with_javascript_off(browser: Browser, demo: Path) -> None:
    page = browser.open(demo.as_uri(), javascript=False)
    assert page.evaluate("document.documentElement.getAttribute('data-ready')") is None
    assert page.evaluate("document.querySelectorAll('.swot-cell').length") == 4
    assert page.evaluate("document.querySelector('details.code-quotes[open] article.quote')"
                         ".offsetHeight") > 0  # fmt: skip
    assert page.console_problems() == []
    assert page.requests() == [demo.as_uri()]


def test_hostile_transcript_runs_no_script(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from .test_report_security import FILE_NAME, HOSTILE_CODEBOOK, TRANSCRIPT, write

    root = tmp_path_factory.mktemp("hostile-browser")
    write(root / "t" / FILE_NAME, TRANSCRIPT)
    book = write(root / "cb.yaml", HOSTILE_CODEBOOK)
    run_code(str(root / "t"), "--codebook", str(book), "--out", str(root / "out"))
    page = browser.open((root / "out" / "report.html").as_uri())
    assert page.events("Page.javascriptDialogOpening") == []
    assert page.console_problems() == []
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert "<script>alert(1)</script>" in page.evaluate("document.body.innerText")
