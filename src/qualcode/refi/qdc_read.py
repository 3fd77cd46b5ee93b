"""A REFI-QDA code book from any tool -> :class:`ImportedCodebook` (codes, sets, warnings).

Reads a ``.qdc`` file; also the code book inside a ``.qde`` or ``.qdpx`` (with a warning). Lenient:
namespace variants, braced or invalid GUIDs, a missing ``isCodable``, 3-digit or invalid colours
and an empty ``<Sets/>`` are read with a warning that names the deviation.
"""

from __future__ import annotations

import inspect
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.refi import CODEBOOK_NS, PROJECT_NS, ExchangeError
from qualcode.refi.guids import GuidLog
from qualcode.refi.xml_safety import (
    child,
    children,
    local,
    namespace_warnings,
    parse_xml,
    text_of,
)

_COLOR6 = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COLOR3 = re.compile(r"^#[0-9A-Fa-f]{3}$")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class ImportedCode:
    key: str  # the GUID key (see GuidLog)
    name: str
    description: str = ""
    color: str | None = None
    codable: bool = True
    children: list[ImportedCode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # NoteRef keys (projects)
    memo: str = ""  # the notes' text, filled in by the project reader


@dataclass
class ImportedSet:
    name: str
    description: str
    members: list[str]  # code keys


@dataclass
class ImportedCodebook:
    origin: str = ""
    codes: list[ImportedCode] = field(default_factory=list)
    sets: list[ImportedSet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> list[ImportedCode]:
        found: list[ImportedCode] = []

        def visit(code: ImportedCode) -> None:
            found.append(code)
            for item in code.children:
                visit(item)

        for code in self.codes:
            visit(code)
        return found


@dataclass
class _CodeLog:
    no_codable: list[str] = field(default_factory=list)
    bad_codable: list[str] = field(default_factory=list)
    short_colors: list[str] = field(default_factory=list)
    bad_colors: list[str] = field(default_factory=list)
    unnamed: int = 0


def read_qdc(path: Path) -> ImportedCodebook:
    """Read the code book in a ``.qdc`` (or ``.qde``/``.qdpx``) file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExchangeError(f"{path}: file not found") from None
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if data.startswith(_ZIP_MAGIC):
        from qualcode.refi.qdpx_read import read_qdpx

        project = read_qdpx(path)
        book = project.codebook
        book.warnings.insert(0, "a project (.qdpx), not a code book: its code book was read")
        return book
    root = parse_xml(data, source=str(path))
    kind = local(root.tag)
    log = GuidLog()
    if kind == "Project":
        book = parse_codebook(child(root, "CodeBook"), log, source=str(path))
        book.warnings[:0] = [
            "a project file (.qde), not a code book: its code book was read",
            *namespace_warnings(root, PROJECT_NS),
        ]
    elif kind.lower() == "codebook":
        book = parse_codebook(root, log, source=str(path))
        book.warnings[:0] = namespace_warnings(root, CODEBOOK_NS)
        if kind != "CodeBook":
            book.warnings.insert(0, f"root element <{kind}> should be spelled <CodeBook>")
    else:
        raise ExchangeError(f"{path}: not a REFI-QDA code book (the root is <{kind}>)")
    if not book.codes:
        raise ExchangeError(f"{path}: the code book has no codes")
    book.origin = root.get("origin", "")
    book.sets = parse_sets(child(root, "Sets"), log, book.warnings)
    book.warnings.extend(log.warnings())
    return book


def parse_codebook(element: ET.Element | None, log: GuidLog, *, source: str) -> ImportedCodebook:
    """The codes under ``element`` (a ``<CodeBook>``); an empty book when it is None."""
    book = ImportedCodebook()
    if element is None:
        return book
    codes = child(element, "Codes")
    if codes is None:
        book.warnings.append(f"{source}: <CodeBook> has no <Codes>")
        return book
    code_log = _CodeLog()
    book.codes = [_code(item, log, code_log) for item in children(codes, "Code")]
    book.warnings.extend(_code_warnings(code_log))
    return book


def _code(element: ET.Element, log: GuidLog, code_log: _CodeLog) -> ImportedCode:
    name = (element.get("name") or "").strip()
    key = log.key(element.get("guid"), where=f"code '{name}'", unique=True)
    if not name:
        code_log.unnamed += 1
        name = f"Code {code_log.unnamed}"
    codable_text = element.get("isCodable")
    if codable_text is None:
        code_log.no_codable.append(name)
    elif codable_text.strip() not in ("true", "false", "1", "0"):
        code_log.bad_codable.append(f"{name}={codable_text}")
    codable = (codable_text or "true").strip().lower() not in ("false", "0")
    return ImportedCode(
        key=key,
        name=name,
        description=_text(child(element, "Description")),
        color=_color(element.get("color"), name, code_log),
        codable=codable,
        children=[_code(item, log, code_log) for item in children(element, "Code")],
        notes=[
            log.key(ref.get("targetGUID"), where=f"note of code '{name}'")
            for ref in children(element, "NoteRef")
        ],
    )


def _text(element: ET.Element | None) -> str:
    raw = text_of(element).replace("\r\n", "\n").replace("\r", "\n")
    return inspect.cleandoc(raw) if raw.strip() else ""


def _color(raw: str | None, name: str, code_log: _CodeLog) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if _COLOR6.match(value):
        return value
    if _COLOR3.match(value):
        code_log.short_colors.append(value)
        return "#" + "".join(c * 2 for c in value[1:])
    code_log.bad_colors.append(f"{name}: {value}")
    return None


def _code_warnings(code_log: _CodeLog) -> list[str]:
    warnings = []
    if code_log.unnamed:
        warnings.append(f"{code_log.unnamed} code(s) without a name; named 'Code 1', ...")
    if code_log.no_codable:
        warnings.append(
            f"{len(code_log.no_codable)} code(s) without the required isCodable "
            f"({', '.join(code_log.no_codable[:3])}); read as codable"
        )
    if code_log.bad_codable:
        warnings.append(f"isCodable is not true/false: {', '.join(code_log.bad_codable[:3])}")
    if code_log.short_colors:
        warnings.append(
            f"{len(code_log.short_colors)} colour(s) in 3-digit form "
            f"({', '.join(code_log.short_colors[:3])}); expanded to #rrggbb"
        )
    if code_log.bad_colors:
        warnings.append(f"invalid colour(s) dropped: {'; '.join(code_log.bad_colors[:3])}")
    return warnings


def parse_sets(element: ET.Element | None, log: GuidLog, warnings: list[str]) -> list[ImportedSet]:
    """Code sets from ``<Sets>`` (``MemberCode`` with ``guid`` or ``targetGUID``)."""
    if element is None:
        return []
    items = children(element, "Set")
    if not items:
        warnings.append("empty <Sets/> (the schema requires at least one <Set>); ignored")
        return []
    sets = []
    for item in items:
        name = (item.get("name") or "").strip()
        log.key(item.get("guid"), where=f"set '{name}'", unique=True)
        members = [
            log.key(m.get("guid") or m.get("targetGUID"), where=f"member of set '{name}'")
            for m in children(item, "MemberCode")
        ]
        if name and members:
            sets.append(ImportedSet(name, _text(child(item, "Description")), members))
    return sets
