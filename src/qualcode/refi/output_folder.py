"""Read what ``qualcode code --out DIR`` wrote, for export: codebook, documents, codings.

``documents.jsonl`` gives every document's body and attributes (offsets point into the body),
``codings.csv`` the codings (``origin`` ``auto``, or ``accepted``/``manual`` once reviewed; an
optional ``memo`` column), ``codebook.yaml`` the codebook used. Codings that do not fit (an
unknown document or code, offsets outside the body) are skipped with a warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import Codebook, load_codebook
from qualcode.refi import ExchangeError

#: Coding origins that mean a person made or confirmed the coding.
RESEARCHER_ORIGINS = ("accepted", "manual", "reviewed", "researcher")


@dataclass(frozen=True)
class DocumentRecord:
    name: str
    body: str
    attributes: dict[str, str]


@dataclass(frozen=True)
class CodingRecord:
    document: str
    segment: int
    start: int
    end: int
    code: str
    origin: str
    memo: str = ""


@dataclass
class OutputFolder:
    path: Path
    codebook: Codebook
    documents: list[DocumentRecord]
    codings: list[CodingRecord]
    warnings: list[str] = field(default_factory=list)


def read_output_folder(path: Path) -> OutputFolder:
    """Read an output folder of ``qualcode code``; ExchangeError says what is missing."""
    path = Path(path)
    if not path.is_dir():
        raise ExchangeError(f"{path}: not a folder (give the --out folder of 'qualcode code')")
    for name in ("codebook.yaml", "codings.csv", "documents.jsonl"):
        if not (path / name).is_file():
            hint = (
                " (written by 'qualcode code' since the REFI-QDA export; run it again)"
                if name == "documents.jsonl"
                else ""
            )
            raise ExchangeError(f"{path}: no {name}{hint}")
    codebook = load_codebook(path / "codebook.yaml")
    documents = _documents(path / "documents.jsonl")
    folder = OutputFolder(path, codebook, documents, [])
    folder.codings = _codings(path / "codings.csv", folder)
    return folder


def _documents(path: Path) -> list[DocumentRecord]:
    records = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            record = DocumentRecord(
                str(item["document"]),
                str(item["body"]),
                {str(k): str(v) for k, v in dict(item.get("attributes", {})).items()},
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ExchangeError(f"{path}:{number}: not a document record ({exc})") from None
        records.append(record)
    return records


def _codings(path: Path, folder: OutputFolder) -> list[CodingRecord]:
    from qualcode.store import read_csv

    frame = read_csv(path)
    missing = {"document", "start", "end", "code"} - set(frame.columns)
    if missing:
        raise ExchangeError(f"{path}: lacks column(s) {', '.join(sorted(missing))}")
    bodies = {d.name: d.body for d in folder.documents}
    codes = {c.id for c in folder.codebook.walk()}
    records = []
    seen: set[tuple[str, int, int, str]] = set()
    skipped: list[str] = []
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        where = f"{path.name}:{row_number}"
        document, code = str(row["document"]), str(row["code"])
        start, end = _int(row.get("start")), _int(row.get("end"))
        body = bodies.get(document)
        if body is None:
            skipped.append(f"{where}: document '{document}' is not in documents.jsonl")
        elif code not in codes:
            skipped.append(f"{where}: code '{code}' is not in codebook.yaml")
        elif start is None or end is None or not 0 <= start <= end <= len(body):
            skipped.append(f"{where}: offsets {row.get('start')}-{row.get('end')} are outside")
        elif (document, start, end, code) in seen:
            skipped.append(f"{where}: the same code on the same span again")
        else:
            seen.add((document, start, end, code))
            records.append(
                CodingRecord(
                    document=document,
                    segment=_int(row.get("segment")) or 0,
                    start=start,
                    end=end,
                    code=code,
                    origin=str(row.get("origin") or "auto").strip() or "auto",
                    memo=str(row.get("memo") or "").strip(),
                )
            )
    folder.warnings.extend(f"coding skipped: {item}" for item in skipped)
    return records


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
