"""Codebooks as spreadsheets (CSV or XLSX): one row per code, read and written.

Columns: ``id, parent, name, description, include, exclude, examples, keywords`` and, when used,
``not_within, negation, min_hits, color, facets, patterns``. Cells hold:

* keywords / not_within: items separated by ``;`` — ``kerja sama; pinjol*; RAT (exact);
  KUR (exact, case-sensitive)``;
* examples: one per line in the cell, or separated by ``|``;
* facets: ``level=strategy; actor=dinas``; patterns: a JSON list of spaCy token patterns;
* parent: the id of the parent code (may be left empty when the id says it: ``strategi.x`` under
  ``strategi``).

An XLSX file may hold a ``settings`` sheet (rows ``key | value``: name, language, version,
description, overrides as ``perbankan=bank; ...``, protect, negators). A CSV file holds codes
only; its name and language come from the caller (default: the file name, Indonesian).
The result is validated like a YAML codebook; each problem names its row and column.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.codebook.loader import Loc, validate_data
from qualcode.codebook.schema import Codebook
from qualcode.errors import CodebookError

CORE_COLUMNS = ("id", "parent", "name", "description", "include", "exclude", "examples", "keywords")
EXTRA_COLUMNS = ("not_within", "negation", "min_hits", "color", "facets", "patterns")
SETTINGS_KEYS = ("name", "language", "version", "description", "overrides", "protect", "negators")
SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
_FLAGS = re.compile(
    r"^(?P<text>.*?)\s*\((?P<flags>exact(?:\s*,\s*case(?:[- ]sensitive)?)?)\)$", re.I
)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    """Rows of cells as text, each with the row number a spreadsheet program shows."""

    where: str  # "codebook.csv" or "codebook.xlsx: sheet codes"
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def split_items(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def split_examples(cell: str) -> list[str]:
    parts = cell.split("\n") if "\n" in cell else cell.split("|")
    return [p.strip() for p in parts if p.strip()]


def parse_keyword(item: str) -> str | dict[str, Any]:
    """``RAT (exact)`` -> ``{text: RAT, exact: true}``; a plain word stays a string."""
    match = _FLAGS.match(item)
    if not match:
        return item
    entry: dict[str, Any] = {"text": match["text"], "exact": True}
    if "case" in match["flags"].lower():
        entry["case_sensitive"] = True
    return entry


def read_spreadsheet(
    path: str | Path, *, name: str | None = None, language: str | None = None
) -> Codebook:
    """Read a CSV/XLSX codebook; CodebookError lists every problem by row and column."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(f"{path}: codebook not found") from None
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read codebook ({exc.strerror})") from None
    if path.suffix.lower() == ".xlsx":
        sheet, settings = _read_xlsx(raw, str(path))
    else:
        sheet, settings = _read_csv(raw, str(path)), {}
    data: dict[str, Any] = {"name": path.stem, "language": "id"}
    where: dict[Loc, str] = {}
    for key, (row, value) in settings.items():
        data[key] = value
        where[(key,)] = f"{path}: sheet settings, row {row}"
    for key, value in (("name", name), ("language", language)):
        if value is not None:
            data[key] = value
            where[(key,)] = f"{path}: --{key}"
    problems: list[str] = []
    codes, code_rows = _build_tree(sheet, problems)
    data["codes"] = codes
    codebook, found = validate_data(data)
    for loc, message in found:
        problems.append(_locate(loc, message, sheet, code_rows, where, str(path)))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise CodebookError(f"{path}: {len(problems)} {noun} in the codebook", details=problems)
    assert codebook is not None
    return codebook.model_copy(
        update={"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()}
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("'") and text[1:].startswith(_FORMULA_PREFIXES):
        text = text[1:]  # undo the formula neutralisation qualcode writes
    return text


def _read_csv(raw: bytes, source: str) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise CodebookError(f"{source}: the spreadsheet is empty (it needs a header row)")
    header = tuple(c.strip().lower() for c in rows[0])
    body = tuple(
        (number, tuple(_cell_text(c) for c in row)) for number, row in enumerate(rows[1:], start=2)
    )
    return Sheet(source, header, body)


def _read_xlsx(raw: bytes, source: str) -> tuple[Sheet, dict[str, tuple[int, Any]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CodebookError(f"{source}: not a readable .xlsx workbook ({exc})") from None
    names = workbook.sheetnames
    codes_name = "codes" if "codes" in names else next((n for n in names if n != "settings"), "")
    if not codes_name:
        raise CodebookError(f"{source}: the workbook has no sheet of codes")
    table = [
        tuple(_cell_text(c) for c in row)
        for row in workbook[codes_name].iter_rows(values_only=True)
    ]
    if not table:
        raise CodebookError(f"{source}: sheet {codes_name} is empty (it needs a header row)")
    header = tuple(c.strip().lower() for c in table[0])
    body = tuple((number, row) for number, row in enumerate(table[1:], start=2))
    settings: dict[str, tuple[int, Any]] = {}
    if "settings" in names:
        for number, row in enumerate(workbook["settings"].iter_rows(values_only=True), start=1):
            cells = [_cell_text(c) for c in row] + ["", ""]
            key, value = cells[0].strip().lower(), cells[1].strip()
            if key in ("", "key") or not value:
                continue
            settings[key] = (number, _setting_value(key, value))
    workbook.close()
    return Sheet(f"{source}: sheet {codes_name}", header, body), settings


def _setting_value(key: str, value: str) -> Any:
    if key == "overrides":
        pairs = (item.split("=", 1) for item in split_items(value))
        return {k.strip(): v.strip() for k, v in (p if len(p) == 2 else (p[0], "") for p in pairs)}
    if key in ("protect", "negators"):
        return split_items(value)
    return value


def _row_code(header: Sequence[str], cells: Sequence[str]) -> dict[str, Any]:
    """The code mapping of one row (empty cells left out, so defaults apply)."""
    code: dict[str, Any] = {}
    for column, raw in zip(header, cells, strict=False):
        cell = raw.strip()
        if not cell or column in ("parent", ""):
            continue
        if column == "keywords":
            code[column] = [parse_keyword(item) for item in split_items(cell)]
        elif column == "not_within":
            code[column] = split_items(cell)
        elif column == "examples":
            code[column] = split_examples(raw)  # a trailing newline means "do not split on |"
        elif column == "facets":
            code[column] = dict((p + "=").split("=")[:2] for p in split_items(cell))
        elif column == "patterns":
            try:
                code[column] = json.loads(cell)
            except json.JSONDecodeError as exc:
                code[column] = _BadJSON(str(exc))
        elif column == "min_hits" and cell.isdigit():
            code[column] = int(cell)
        else:
            code[column] = cell
    return code


class _BadJSON(str):
    """A patterns cell that is not JSON (reported as a problem of its row)."""


def _build_tree(sheet: Sheet, problems: list[str]) -> tuple[list[dict[str, Any]], dict[Loc, int]]:
    """Codes nested by their parent column; each code's location mapped to its row."""
    header = sheet.header
    for index, column in enumerate(header):
        if column and column not in CORE_COLUMNS + EXTRA_COLUMNS:
            close = difflib.get_close_matches(column, CORE_COLUMNS + EXTRA_COLUMNS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                f"{sheet.where}: row 1, column {index + 1}: unknown column '{column}'{hint}"
            )
    for needed in ("id", "name"):
        if needed not in header:
            problems.append(f"{sheet.where}: row 1: the column '{needed}' is missing")
    if problems:
        return [], {}
    rows: list[tuple[int, str, str, dict[str, Any]]] = []
    parent_at = header.index("parent") if "parent" in header else None
    id_at = header.index("id")
    for number, cells in sheet.rows:
        if not any(c.strip() for c in cells):
            continue  # an empty row
        code_id = cells[id_at].strip() if id_at < len(cells) else ""
        if not code_id:
            problems.append(f"{sheet.where}: row {number}, column id: required but missing")
            continue
        parent = (
            cells[parent_at].strip() if parent_at is not None and parent_at < len(cells) else ""
        )
        code = _row_code(header, cells)
        if isinstance(code.get("patterns"), _BadJSON):
            problems.append(
                f"{sheet.where}: row {number}, column patterns: not JSON ({code['patterns']})"
            )
            del code["patterns"]
        rows.append((number, code_id, parent, code))
    known = {code_id for _, code_id, _, _ in rows}
    parents: dict[int, str] = {}
    for number, code_id, parent, _ in rows:
        if not parent and "." in code_id and code_id.rsplit(".", 1)[0] in known:
            parent = code_id.rsplit(".", 1)[0]
        if parent and parent not in known:
            problems.append(
                f"{sheet.where}: row {number}, column parent: '{parent}' is not the id of any row"
            )
            parent = ""
        if parent:
            parents[number] = parent
    first_row: dict[str, int] = {}
    for number, code_id, _, _ in rows:
        first_row.setdefault(code_id, number)
    children: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    roots: list[tuple[int, dict[str, Any]]] = []
    for number, _code_id, _, code in rows:
        if number in parents:
            children.setdefault(parents[number], []).append((number, code))
        else:
            roots.append((number, code))
    code_rows: dict[Loc, int] = {}
    placed: set[int] = set()

    def nest(items: list[tuple[int, dict[str, Any]]], loc: Loc) -> list[dict[str, Any]]:
        nested = []
        for index, (number, code) in enumerate(items):
            here = (*loc, index)
            code_rows[here] = number
            placed.add(number)
            kids = children.get(code["id"], []) if first_row[code["id"]] == number else []
            if kids:
                code = {**code, "children": nest(kids, (*here, "children"))}
            nested.append(code)
        return nested

    tree = nest(roots, ("codes",))
    for number, code_id, _, _ in rows:
        if number not in placed:
            problems.append(
                f"{sheet.where}: row {number}: '{code_id}' is its own ancestor (parent loop)"
            )
    return tree, code_rows


def _locate(
    loc: Loc,
    message: str,
    sheet: Sheet,
    code_rows: dict[Loc, int],
    where: dict[Loc, str],
    source: str,
) -> str:
    for end in range(len(loc), 0, -1):
        if loc[:end] in code_rows:
            row = code_rows[loc[:end]]
            rest = loc[end:]
            if not rest:
                return f"{sheet.where}: row {row}: {message}"
            column = str(rest[0])
            item = (
                f", item {int(rest[1]) + 1}" if len(rest) > 1 and isinstance(rest[1], int) else ""
            )
            return f"{sheet.where}: row {row}, column {column}{item}: {message}"
    if loc[:1] in where:
        return f"{where[loc[:1]]}: {message}"
    if loc[:1] == ("codes",):
        return f"{sheet.where}: {message} (the sheet has no code rows)"
    path = " -> ".join(str(p) for p in loc)
    return f"{source}: {path}: {message}" if path else f"{source}: {message}"


def load_any_codebook(
    path: str | Path, *, name: str | None = None, language: str | None = None
) -> Codebook:
    """A codebook from YAML, or from a CSV/XLSX spreadsheet (by the file's suffix)."""
    if Path(path).suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(path, name=name, language=language)
    from qualcode.codebook.loader import load_codebook

    return load_codebook(path)
