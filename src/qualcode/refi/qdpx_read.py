"""A REFI-QDA project (``.qdpx``, or a bare ``.qde``) -> :class:`ImportedProject`.

Reads users, the code book (with sets and code memos), cases with their variables, notes, and
every text source: its text (``PlainTextContent``, else the file its ``plainTextPath`` names,
else the ``.docx`` its ``richTextPath`` names when the text file is empty, as NVivo writes it),
its ``PlainTextSelection``s and their codings (a coding of a whole source becomes a selection of
all of it). A ``PDFSource``'s text ``Representation`` is read like a text source; pictures, audio
and video are skipped with a warning. Every deviation from the standard is read with a warning.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.refi import PROJECT_NS, ExchangeError
from qualcode.refi.archive import SafeArchive
from qualcode.refi.cases import apply_cases
from qualcode.refi.guids import GuidLog
from qualcode.refi.qdc_read import ImportedCodebook, parse_codebook, parse_sets
from qualcode.refi.source_files import SourceFiles, decode_text
from qualcode.refi.xml_safety import (
    child,
    children,
    local,
    namespace_warnings,
    parse_xml,
    text_of,
)

_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class ImportedCoding:
    code: str  # code key
    user: str  # user key ("" when not given)
    memo: str = ""


@dataclass
class ImportedSelection:
    start: int
    end: int
    codings: list[ImportedCoding]


@dataclass
class ImportedSource:
    key: str
    name: str
    text: str
    selections: list[ImportedSelection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportedProject:
    name: str = ""
    origin: str = ""
    description: str = ""
    codebook: ImportedCodebook = field(default_factory=ImportedCodebook)
    users: dict[str, str] = field(default_factory=dict)
    sources: list[ImportedSource] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_qdpx(path: Path) -> ImportedProject:
    """Read a ``.qdpx`` archive (or a bare ``.qde`` file) into an :class:`ImportedProject`."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except FileNotFoundError:
        raise ExchangeError(f"{path}: file not found") from None
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if magic != _ZIP_MAGIC:
        files = SourceFiles(None, path.parent)
        project = _read_project(path.read_bytes(), str(path), files)
        project.warnings.insert(0, "a bare .qde file, not a .qdpx archive: sources are read "
                                "from the folder beside it")  # fmt: skip
        return project
    with SafeArchive(path) as archive:
        qde, warning = _find_qde(archive, path)
        files = SourceFiles(archive, path.parent)
        project = _read_project(archive.read(qde), f"{path}:{qde}", files)
    if warning:
        project.warnings.insert(0, warning)
    return project


def _find_qde(archive: SafeArchive, path: Path) -> tuple[str, str | None]:
    if "project.qde" in archive.names:
        return "project.qde", None
    candidates = sorted(n for n in archive.names if n.lower().endswith(".qde"))
    if not candidates:
        raise ExchangeError(f"{path}: no .qde project file in the archive")
    chosen = min(candidates, key=lambda n: (n.count("/"), n.lower() != "project.qde", n))
    others = (
        f" (also: {', '.join(c for c in candidates if c != chosen)})" if len(candidates) > 1 else ""
    )
    return chosen, f"the project file is '{chosen}', not 'project.qde'{others}; read anyway"


def _read_project(data: bytes, source: str, files: SourceFiles) -> ImportedProject:
    root = parse_xml(data, source=source)
    if local(root.tag) != "Project":
        raise ExchangeError(f"{source}: not a REFI-QDA project (the root is <{local(root.tag)}>)")
    log = GuidLog()
    project = ImportedProject(
        name=(root.get("name") or "").strip(),
        origin=root.get("origin", ""),
        description=text_of(child(root, "Description")).strip(),
        warnings=namespace_warnings(root, PROJECT_NS),
    )
    users = child(root, "Users")
    for user in children(users, "User") if users is not None else []:
        key = log.key(user.get("guid"), where="user", unique=True)
        project.users.setdefault(key, user.get("name") or user.get("id") or key)
    project.codebook = parse_codebook(child(root, "CodeBook"), log, source=source)
    project.codebook.origin = project.origin
    project.codebook.sets = parse_sets(child(root, "Sets"), log, project.warnings)
    notes = _notes(root, log, files)
    for code in project.codebook.walk():
        code.memo = "\n\n".join(notes[k] for k in code.notes if notes.get(k))
    reader = _SourceReader(log, files, notes, project.warnings)
    sources_element = child(root, "Sources")
    if sources_element is not None:
        reader.read_all(sources_element, project)
    project.warnings.extend(apply_cases(root, log, project.sources))
    project.warnings.extend(project.codebook.warnings)
    project.warnings.extend(files.warnings)
    project.warnings.extend(log.warnings())
    return project


def _notes(root: ET.Element, log: GuidLog, files: SourceFiles) -> dict[str, str]:
    notes: dict[str, str] = {}
    element = child(root, "Notes")
    for note in children(element, "Note") if element is not None else []:
        key = log.key(note.get("guid"), where="note", unique=True)
        text = text_of(child(note, "PlainTextContent")).strip()
        if not text and note.get("plainTextPath"):
            data = files.read(note.get("plainTextPath", ""), source=note.get("name") or key)
            text = decode_text(data or b"", note.get("name") or key, []).strip()
        notes.setdefault(key, text or text_of(child(note, "Description")).strip())
    return notes


class _SourceReader:
    def __init__(
        self, log: GuidLog, files: SourceFiles, notes: dict[str, str], warnings: list[str]
    ) -> None:
        self.log, self.files, self.notes, self.warnings = log, files, notes, warnings

    def read_all(self, element: ET.Element, project: ImportedProject) -> None:
        skipped: dict[str, int] = {}
        for item in element:
            kind = local(item.tag)
            if kind == "TextSource":
                source = self.text_source(item, item.get("name"))
            elif kind == "PDFSource" and child(item, "Representation") is not None:
                representation = child(item, "Representation")
                assert representation is not None
                source = self.text_source(representation, item.get("name"))
            else:
                skipped[kind] = skipped.get(kind, 0) + 1
                continue
            if source is not None:
                project.sources.append(source)
        for kind, count in sorted(skipped.items()):
            self.warnings.append(
                f"{count} <{kind}> element(s) skipped: qualcode reads text sources only"
                + (" (a PDF needs a text <Representation>)" if kind == "PDFSource" else "")
            )

    def text_source(self, element: ET.Element, name: str | None) -> ImportedSource | None:
        key = self.log.key(element.get("guid"), where=f"source '{name}'", unique=True)
        path = element.get("plainTextPath") or element.get("richTextPath") or ""
        from_path = path.replace("\\", "/").rsplit("/", 1)[-1].strip()
        label = (name or "").strip() or from_path or key
        text = self._text(element, label)
        if text is None:
            return None
        source = ImportedSource(key, label, text)
        for selection in children(element, "PlainTextSelection"):
            found = self._selection(selection, label, len(text))
            if found is not None:
                source.selections.append(found)
        whole = self._codings(element, element.get("creatingUser", ""))
        if whole:
            source.selections.append(ImportedSelection(0, len(text), whole))
        return source

    def _text(self, element: ET.Element, label: str) -> str | None:
        """The source's text; None (with a warning) when there is none to read."""
        content = child(element, "PlainTextContent")
        if content is not None and text_of(content):
            return text_of(content)
        text: str | None = None
        plain = element.get("plainTextPath")
        if plain:
            data = self.files.read(plain, source=label)
            text = decode_text(data, label, self.warnings) if data is not None else None
        rich = element.get("richTextPath") or ""
        if not (text or "").strip() and rich.lower().endswith(".docx"):
            docx = self._docx(rich, label)
            if docx is not None:
                self.warnings.append(
                    f"source '{label}': plain text {'missing' if text is None else 'empty'}; "
                    f"text taken from '{rich}' (one line per paragraph; offsets may be "
                    "approximate)"
                )
                return docx
        if text is None and not plain:
            self.warnings.append(f"source '{label}': no text (no PlainTextContent or path)")
        elif text is not None and not text.strip():
            self.warnings.append(f"source '{label}': its text is empty; skipped")
            return None
        return text

    def _docx(self, path: str, label: str) -> str | None:
        from qualcode.errors import IngestError
        from qualcode.ingest.docx_reader import read_docx

        data = self.files.read(path, source=label)
        if data is None:
            return None
        try:
            return "\n".join(read_docx(data, filename=f"source '{label}' ({path})").lines)
        except IngestError as exc:
            self.warnings.append(f"{exc.message}; skipped")
            return None

    def _selection(self, element: ET.Element, label: str, length: int) -> ImportedSelection | None:
        raw_start, raw_end = element.get("startPosition"), element.get("endPosition")
        try:
            start, end = int(str(raw_start).strip()), int(str(raw_end).strip())
        except ValueError:
            self.warnings.append(
                f"source '{label}': selection with positions {raw_start!r}-{raw_end!r} skipped"
            )
            return None
        if start > end:
            start, end = end, start
        if start < 0 or end > length:
            self.warnings.append(
                f"source '{label}': selection {start}-{end} reaches outside the text "
                f"(length {length}); clipped"
            )
            start, end = max(0, start), min(length, end)
        memo = text_of(child(element, "Description")).strip()
        memo = "\n\n".join(t for t in (memo, *self._note_texts(element)) if t)
        codings = self._codings(element, element.get("creatingUser", ""), memo)
        return ImportedSelection(start, end, codings) if codings else None

    def _codings(self, element: ET.Element, user: str, memo: str = "") -> list[ImportedCoding]:
        found = []
        for coding in children(element, "Coding"):
            ref = child(coding, "CodeRef")
            if ref is None:
                self.warnings.append("a <Coding> without <CodeRef> skipped")
                continue
            code = self.log.key(ref.get("targetGUID"), where="CodeRef")
            creator = coding.get("creatingUser") or user
            user_key = self.log.key(creator, where="creatingUser") if creator else ""
            note = "\n\n".join(t for t in (memo, *self._note_texts(coding)) if t)
            found.append(ImportedCoding(code, user_key, note))
        return found

    def _note_texts(self, element: ET.Element) -> list[str]:
        keys = [
            self.log.key(r.get("targetGUID"), where="NoteRef") for r in children(element, "NoteRef")
        ]
        return [self.notes[k] for k in keys if self.notes.get(k)]
