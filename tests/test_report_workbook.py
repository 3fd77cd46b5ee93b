"""codings.xlsx: sheets, strings stay strings, control characters, long cells, determinism."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qualcode.exports.workbook import SHEETS, codings_workbook
from qualcode.exports.xlsx import MAX_CELL, SheetData, workbook_bytes
from qualcode.outputs import load_output_folder

from .report_helpers import replace_column, synthetic_folder

LONG = "panjang " * 5000  # 40,000 characters


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = synthetic_folder(tmp_path_factory.mktemp("xlsx") / "out", documents=3, turns=6,
                            codings=6)  # fmt: skip
    replace_column(path / "codings.csv", "speaker", "Bu A", '=HYPERLINK("http://x")')
    replace_column(path / "segments.csv", "speaker", "Bu A", "@SUM(1)")
    replace_column(path / "segments.csv", "speaker", "Peneliti", "Peneliti\x0b\x00\x1f")
    return path


@pytest.fixture(scope="module")
def book(folder: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(codings_workbook(load_output_folder(folder))))


def test_sheets_and_headers(book: openpyxl.Workbook) -> None:
    assert tuple(book.sheetnames) == SHEETS
    codings = book["codings"]
    header = [c.value for c in codings[1]]
    assert header[:8] == ["document", "segment", "speaker", "start", "end", "code", "code name",
                          "origin"]  # fmt: skip
    assert {"timestamp", "speaker_type", "informant", "role"} <= set(header)
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(c.font.bold for c in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8


def test_formula_like_text_stays_a_string(book: openpyxl.Workbook, folder: Path) -> None:
    speakers = [row[2] for row in book["codings"].iter_rows(min_row=2)]
    assert speakers and all(c.value == '=HYPERLINK("http://x")' for c in speakers)
    assert all(c.data_type == "s" for c in speakers)
    seg = [row[2] for row in book["segments"].iter_rows(min_row=2)]
    assert {c.value for c in seg} == {"@SUM(1)", "Peneliti\ufffd\ufffd\ufffd"}
    raw = zipfile.ZipFile(io.BytesIO(codings_workbook(load_output_folder(folder))))
    for name in raw.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in raw.read(name), name


def test_numbers_stay_numbers(book: openpyxl.Workbook) -> None:
    row = next(book["codings"].iter_rows(min_row=2, max_row=2))
    assert isinstance(row[1].value, int) and isinstance(row[3].value, int)
    frequencies = book["frequencies"]
    assert [c.value for c in frequencies[1]] == ["code", "name", "depth", "leaf", "segments",
                                                 "documents"]  # fmt: skip
    leaves = {
        r[0].value: r[4].value for r in frequencies.iter_rows(min_row=2) if r[3].value == "yes"
    }
    assert sum(leaves.values()) == book["codings"].max_row - 1


def test_long_cells_are_cut_with_a_visible_marker_and_errors_stay_text() -> None:
    data = workbook_bytes([SheetData("t", [["text"], [LONG], ["#N/A"], ["=1+1"], [None]])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["t"]
    cell = sheet["A2"].value
    assert len(cell) == MAX_CELL and cell.endswith("[truncated]")
    assert sheet["A3"].value == "#N/A" and sheet["A3"].data_type == "s"
    assert sheet["A4"].value == "=1+1" and sheet["A4"].data_type == "s"
    assert sheet["A5"].value is None


def test_workbook_is_deterministic(folder: Path) -> None:
    first = codings_workbook(load_output_folder(folder))
    assert codings_workbook(load_output_folder(folder)) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")
