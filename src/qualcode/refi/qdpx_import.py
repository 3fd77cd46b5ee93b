"""An imported project -> a folder qualcode works with.

``DIR/transcripts/<name>.txt``
    one transcript per text source: front matter from the source's (and its case's) variables,
    then the text (canonical: LF line ends, NFC).
``DIR/codebook.yaml``
    the project's code book (:mod:`qualcode.refi.codebook_build`).
``DIR/codings.csv``
    every coding: ``document, start, end, code, coder, text, memo`` (offsets into the body).
``DIR/gold.csv``
    ``document, segment, codes, text``: each informant segment of every coded source as
    ``qualcode code`` will segment it (same ``--unit`` and interviewer labels), with the codes
    of the selections that overlap it; usable as ``--gold`` and by ``qualcode agree``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.errors import IngestError
from qualcode.fileio import write_text_atomic
from qualcode.ingest import SUPPORTED_SUFFIXES, read_document
from qualcode.models import Document
from qualcode.refi import ExchangeError
from qualcode.refi.codebook_build import build_codebook, write_codebook
from qualcode.refi.offsets import canonical_with_map
from qualcode.refi.qdpx_read import ImportedProject, ImportedSource
from qualcode.refi.settings import parse_settings

TRANSCRIPTS = "transcripts"
CODINGS_COLUMNS = ("document", "start", "end", "code", "coder", "text", "memo")
GOLD_COLUMNS = ("document", "segment", "codes", "text")
_DOCUMENT_SUFFIXES = (".docx", ".doc", ".rtf", ".pdf", ".odt", ".htm", ".html")
_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_NEEDS_FRONT_MATTER = ("---", "%PDF-", "PK\x03\x04", "PK\x05\x06", "PK\x07\x08", "GIF8")
_MAX_PART = 120


@dataclass
class CodingRow:
    document: str
    start: int
    end: int
    code: str
    coder: str
    text: str
    memo: str


@dataclass
class ImportResult:
    documents: list[str] = field(default_factory=list)
    codings: list[CodingRow] = field(default_factory=list)
    gold_segments: int = 0
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_project(
    project: ImportedProject,
    out_dir: Path,
    *,
    source: Path,
    language: str | None = None,
    unit: str = "turn",
    interviewers: Sequence[str] = (),
) -> ImportResult:
    """Write transcripts, codebook, codings and the gold sheet of ``project`` to ``out_dir``.

    ``language`` overrides the one the project's Description names (default ``id``).
    """
    result = ImportResult(warnings=list(project.warnings))
    ids: dict[str, str] = {}
    order: dict[str, int] = {}
    if project.codebook.codes:
        settings = parse_settings(project.description, result.warnings)
        built = build_codebook(
            project.codebook,
            name=project.name or source.stem,
            language=language or settings.get("language", "id"),
            settings=settings,
        )
        result.warnings.extend(built.warnings)
        header = f"Imported by qualcode from {source.name}" + (
            f" ({project.origin})" if project.origin else ""
        )
        codebook = write_codebook(built, out_dir / "codebook.yaml", header=header)
        ids = built.ids
        order = {code.id: index for index, code in enumerate(codebook.walk())}
        result.outputs.append(out_dir / "codebook.yaml")
    else:
        result.warnings.append("the project has no code book; no codebook.yaml written")
    folder = out_dir / TRANSCRIPTS
    names = _file_names(project.sources)
    _refuse_foreign_files(folder, set(names.values()))
    gold_rows: list[dict[str, Any]] = []
    unknown: set[str] = set()
    for item in project.sources:
        name = names[item.key]
        body, mapping = canonical_with_map(item.text)
        path = folder / name
        write_text_atomic(path, _front_matter(item.variables, body) + body)
        result.documents.append(name)
        rows = _codings(item, name, body, mapping, project, ids, unknown)
        result.codings.extend(rows)
        if rows:
            document = _read(path, name, unit, interviewers, result.warnings)
            if document is not None:
                gold_rows.extend(_gold(document, rows, order))
    if unknown:
        result.warnings.append(
            f"codings of {len(unknown)} code(s) not in the code book skipped "
            f"({', '.join(sorted(unknown)[:3])})"
        )
    uncoded = len(result.documents) - len({row.document for row in result.codings})
    if uncoded:
        result.warnings.append(f"{uncoded} source(s) without codings are left out of gold.csv")
    gold_rows.sort(key=lambda row: (row["document"], row["segment"]))
    result.codings.sort(key=lambda r: (r.document, r.start, r.end, r.code, r.coder))
    result.gold_segments = len(gold_rows)
    _write_tables(result, gold_rows, out_dir)
    result.outputs[:0] = [folder]
    return result


def _file_names(sources: Sequence[ImportedSource]) -> dict[str, str]:
    """A safe, unique relative file name for every source."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for item in sources:
        parts = [p for p in re.split(r"[\\/]+", item.name) if p not in ("", ".", "..")]
        parts = [_safe_part(p) for p in parts] or ["source"]
        stem, dot, suffix = parts[-1].rpartition(".")
        extension = f".{suffix.lower()}" if dot and stem else ""
        if extension in _DOCUMENT_SUFFIXES:
            suffix = "txt"
        elif extension not in (".txt", ".md"):
            stem, suffix = parts[-1], "txt"
        base = "/".join([*parts[:-1], stem])
        candidate, number = f"{base}.{suffix}", 2
        while candidate.casefold() in taken:
            candidate, number = f"{base} ({number}).{suffix}", number + 1
        taken.add(candidate.casefold())
        names.setdefault(item.key, candidate)
    return names


def _safe_part(part: str) -> str:
    part = _UNSAFE.sub("_", part).strip().rstrip(". ")
    if part.startswith((".", "~$")) or _RESERVED.match(part):
        part = "_" + part
    return part[:_MAX_PART] or "source"


def _refuse_foreign_files(folder: Path, planned: set[str]) -> None:
    """Refuse to import into a transcripts folder that holds other transcripts."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and relative not in planned:
            raise ExchangeError(
                f"{folder}: already holds {relative}, which this import would not write; "
                "choose an empty output folder"
            )


def _front_matter(variables: dict[str, str], body: str) -> str:
    if not variables and not body.startswith(_NEEDS_FRONT_MATTER):
        return ""
    data: dict[str, Any] = {}
    for key, value in variables.items():
        if key.casefold() == "interviewer" and "; " in value:
            data[key] = [item for item in value.split("; ") if item]
        else:
            data[key] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6) if data else ""
    return f"---\n{text}---\n"


def _codings(
    item: ImportedSource,
    name: str,
    body: str,
    mapping: list[int],
    project: ImportedProject,
    ids: dict[str, str],
    unknown: set[str],
) -> list[CodingRow]:
    rows = []
    for selection in item.selections:
        start, end = mapping[selection.start], mapping[selection.end]
        for coding in selection.codings:
            code = ids.get(coding.code)
            if code is None:
                unknown.add(coding.code)
                continue
            coder = project.users.get(coding.user, coding.user)
            rows.append(CodingRow(name, start, end, code, coder, body[start:end], coding.memo))
    return rows


def _read(
    path: Path, name: str, unit: str, interviewers: Sequence[str], warnings: list[str]
) -> Document | None:
    try:
        return read_document(path, name=name, unit=unit, interviewers=interviewers)
    except IngestError as exc:
        warnings.append(f"{exc.message}; left out of gold.csv")
        return None


def _gold(document: Document, rows: list[CodingRow], order: dict[str, int]) -> list[dict[str, Any]]:
    """One gold row per informant segment, with the codes of the codings overlapping it."""
    body = document.body
    gold = []
    for segment in document.segments:
        if segment.is_interviewer:
            continue
        codes = {
            row.code
            for row in rows
            if (lo := max(row.start, segment.start)) < (hi := min(row.end, segment.end))
            and body[lo:hi].strip()
        }
        ordered = sorted(codes, key=lambda c: (order.get(c, len(order)), c))
        gold.append(
            {
                "document": document.name,
                "segment": segment.number,
                "codes": "; ".join(ordered),
                "text": segment.text,
            }
        )
    return gold


def _write_tables(result: ImportResult, gold_rows: list[dict[str, Any]], out_dir: Path) -> None:
    import pandas as pd

    from qualcode.store import write_csv

    codings = pd.DataFrame(
        [(r.document, r.start, r.end, r.code, r.coder, r.text, r.memo) for r in result.codings],
        columns=list(CODINGS_COLUMNS),
    )
    write_csv(codings, out_dir / "codings.csv")
    write_csv(pd.DataFrame(gold_rows, columns=list(GOLD_COLUMNS)), out_dir / "gold.csv")
    result.outputs.extend([out_dir / "codings.csv", out_dir / "gold.csv"])
