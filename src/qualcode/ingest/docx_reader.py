"""A ``.docx`` file's bytes -> its lines of text (the "accept all changes" view) and warnings.

python-docx's ``paragraph.text`` drops tracked insertions (python-docx #1123, #340), so the runs
are read from the paragraph XML here: runs inside ``w:ins``/``w:moveTo``, hyperlinks, fields and
content controls are kept; ``w:del``/``w:moveFrom`` (and so ``w:delText``) are dropped. Body
paragraphs and tables come in document order, one paragraph a line, one table row a line (cells
joined by ``" | "``). Text in headers, footers, footnotes, endnotes and text boxes is skipped
with a warning.

Before python-docx opens the file it is checked with :mod:`zipfile`: ``word/document.xml`` must
exist, the members must decompress to less than :data:`MAX_UNCOMPRESSED_BYTES` (a zip bomb guard;
:mod:`zipfile` never inflates a member past its declared size) and no XML part may declare a
``<!DOCTYPE>`` or ``<!ENTITY>`` (entity-expansion attacks).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from qualcode.errors import IngestError

#: Upper bound for the summed uncompressed size of all members of a ``.docx``.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Upper bound for the number of members of a ``.docx``.
MAX_MEMBERS = 10_000

_DOCUMENT_XML = "word/document.xml"
_FORBIDDEN_XML = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
#: Parts whose text is not read, with the name a warning uses for them.
_SKIPPED_PARTS = (
    (re.compile(r"/word/header\d*\.xml"), "header"),
    (re.compile(r"/word/footer\d*\.xml"), "footer"),
    (re.compile(r"/word/footnotes\.xml"), "footnote"),
    (re.compile(r"/word/endnotes\.xml"), "endnote"),
)

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_T, _TAB, _PTAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_TXBX_CONTENT = qn("w:txbxContent")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
#: Elements inside a paragraph whose runs are visible text (in the accept-all view).
_INLINE_CONTAINERS = frozenset(
    qn(tag)
    for tag in (
        "w:ins",
        "w:moveTo",
        "w:hyperlink",
        "w:fldSimple",
        "w:smartTag",
        "w:customXml",
        "w:sdt",
        "w:sdtContent",
        "w:dir",
        "w:bdo",
    )
)
#: Errors python-docx, zipfile and lxml raise on a damaged or foreign file.
_CORRUPT_ERRORS: tuple[type[Exception], ...] = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    EOFError,
    NotImplementedError,
    SyntaxError,  # lxml's XMLSyntaxError derives from it
)


@dataclass(frozen=True, slots=True)
class DocxText:
    """The lines of a ``.docx`` in document order, and warnings about text that was skipped."""

    lines: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def read_docx(data: bytes, *, filename: str) -> DocxText:
    """Read a ``.docx`` file's bytes; raise :class:`IngestError` if it is not a valid one."""
    _check_package(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        lines = list(_block_lines(body))
        warnings = [*_skipped_part_warnings(document), *_text_box_warnings(body)]
    except _CORRUPT_ERRORS as error:
        raise IngestError(f"{filename}: not a valid .docx file ({_describe(error)})") from None
    return DocxText(tuple(lines), tuple(warnings))


def _check_package(data: bytes, filename: str) -> None:
    """Refuse non-zip data, a missing ``word/document.xml``, zip bombs and XML DTDs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise IngestError(f"{filename}: not a valid .docx file (too many parts)")
            total = sum(member.file_size for member in members)
            if total >= MAX_UNCOMPRESSED_BYTES:
                raise IngestError(
                    f"{filename}: not a valid .docx file (it would decompress to "
                    f"{total // (1024 * 1024)} MB; the limit is "
                    f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB)"
                )
            names = {member.filename for member in members}
            if _DOCUMENT_XML not in names:
                raise IngestError(f"{filename}: not a valid .docx file (no {_DOCUMENT_XML})")
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    raw = archive.read(member)
                    if any(marker in raw for marker in _FORBIDDEN_XML):
                        raise IngestError(
                            f"{filename}: not a valid .docx file ({member.filename} declares "
                            "a DOCTYPE or entities, which are refused)"
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as error:
        raise IngestError(f"{filename}: not a valid .docx file ({_describe(error)})") from None


def _describe(error: Exception) -> str:
    if isinstance(error, (zipfile.BadZipFile, PackageNotFoundError)):
        return "not a Word zip package, or damaged"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _block_lines(container: Any) -> Iterator[str]:
    """Lines of the paragraphs and table rows of a body (or content control), in order."""
    for child in container:
        if child.tag == _P:
            yield paragraph_text(child)
        elif child.tag == _TBL:
            for row in child.iter(_TR):
                if _nearest_table(row) is child:
                    yield " | ".join(_cell_text(cell) for cell in row if cell.tag == _TC)
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
            yield from _block_lines(child)


def _nearest_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _cell_text(cell: Any) -> str:
    """A table cell's paragraphs (nested tables included) on one line."""
    parts = (paragraph_text(p) for p in cell.iter(_P) if not _in_text_box(p, cell))
    return " ".join(" ".join(part.split()) for part in parts if part.strip())


def _in_text_box(element: Any, stop: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _TXBX_CONTENT:
            return True
        parent = parent.getparent()
    return False


def paragraph_text(paragraph: Any) -> str:
    """The accept-all text of a ``w:p``: insertions kept, deletions and text boxes dropped."""
    parts: list[str] = []
    _collect_inline(paragraph, parts)
    return "".join(parts)


def _collect_inline(element: Any, parts: list[str]) -> None:
    for child in element:
        if child.tag == _R:
            _collect_run(child, parts)
        elif child.tag in _INLINE_CONTAINERS:
            _collect_inline(child, parts)
        # w:del, w:moveFrom, w:pPr, bookmarks, comments, math ...: not part of the text


def _collect_run(run: Any, parts: list[str]) -> None:
    for child in run:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        # w:delText, w:instrText (field codes), drawings and text boxes are skipped


def _has_text(element: Any) -> bool:
    return any((t.text or "").strip() for t in element.iter(_T))


def _skipped_part_warnings(document: Any) -> Iterator[str]:
    found: list[str] = []
    for part in document.part.package.iter_parts():
        partname = str(part.partname)
        for pattern, kind in _SKIPPED_PARTS:
            if (
                kind not in found
                and pattern.fullmatch(partname)
                and _has_text(parse_xml(part.blob))
            ):
                found.append(kind)
    for kind in found:
        yield f"text in a {kind} was skipped (only the body and its tables are read)"


def _text_box_warnings(body: Any) -> Iterator[str]:
    if any(_has_text(box) for box in body.iter(_TXBX_CONTENT)):
        yield "text in a text box was skipped (only the body and its tables are read)"
