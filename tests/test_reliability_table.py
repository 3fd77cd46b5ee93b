"""docs/reliability.md cannot rot: every checklist row is there, every test it names exists."""

from __future__ import annotations

import importlib
import re

from .conftest import REPO

TABLE = REPO / "docs" / "reliability.md"
#: The rows of ../shared/RELIABILITY.md (sections A-F and how many rows each has).
ROWS = [f"{section}{n}" for section, count in zip("ABCDEF", (8, 12, 14, 5, 10, 5), strict=True)
        for n in range(1, count + 1)]  # fmt: skip
NODE = re.compile(r"`(tests/(test_\w+)\.py::(test_\w+))`")
NOT_APPLICABLE = "not applicable: qualcode reads .txt/.md/.docx"


def table_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells and re.fullmatch(r"[A-F]\d+", cells[0]):
            assert cells[0] not in rows, f"row {cells[0]} is in the table twice"
            rows[cells[0]] = cells
    return rows


def test_every_row_is_in_the_table_once() -> None:
    rows = table_rows()
    assert list(rows) == ROWS
    for row, cells in rows.items():
        applies, tests = cells[2], cells[3]
        if applies.startswith("not applicable"):
            assert applies == NOT_APPLICABLE and tests == "—", row
        else:
            assert applies.startswith("yes") and NODE.search(tests), f"{row} names no test"


def test_every_named_test_exists() -> None:
    named = NODE.findall(TABLE.read_text(encoding="utf-8"))
    assert len(named) > 100
    missing = []
    for node, module, function in named:
        if not (REPO / "tests" / f"{module}.py").is_file():
            missing.append(node)
            continue
        test = getattr(importlib.import_module(f"tests.{module}"), function, None)
        if not callable(test):
            missing.append(node)
    assert missing == []
