"""An output folder read back: what ``qualcode code --out DIR`` wrote, as typed tables.

Reports and exports are rendered from a folder, never from a run in memory, so a report can be
re-rendered (``qualcode report DIR``) without re-coding and always shows exactly what the CSV
files hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.codebook import Codebook, load_codebook
from qualcode.errors import QualcodeError
from qualcode.models import Coding
from qualcode.store import attribute_column

if TYPE_CHECKING:
    import pandas as pd

#: Attributes that name one document (never a group of them): no code x attribute table.
IDENTIFYING_ATTRIBUTES = ("title", "informant", "interviewer", "date")
#: An attribute with more distinct values than this is not a grouping attribute.
MAX_GROUPS = 20
REQUIRED_FILES = ("segments.csv", "codings.csv", "hits.csv", "run.json", "codebook.yaml")
#: The columns reports rely on (files may hold more, e.g. ``memo`` or attributes).
REQUIRED_COLUMNS = {
    "segments.csv": ("document", "segment", "speaker", "speaker_type", "timestamp", "start",
                     "end", "coded", "text"),
    "codings.csv": ("document", "segment", "speaker", "start", "end", "code", "hits",
                    "matched", "text"),
    "hits.csv": ("document", "segment", "code", "start", "end", "matched", "rule", "key",
                 "status"),
}  # fmt: skip


class OutputFolderError(QualcodeError):
    """A folder is not a readable qualcode output folder."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One coded document: its name (as in the CSVs) and its front-matter attributes."""

    name: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutputFolder:
    """The tables of an output folder.

    ``segments``, ``codings`` and ``hits`` have the columns of :mod:`qualcode.store` (integers
    as ``Int64``); ``documents`` are in the order the run processed them; ``attributes`` maps
    each attribute name to its column in ``segments``.
    """

    path: Path
    codebook: Codebook
    manifest: Mapping[str, Any]
    documents: tuple[DocumentInfo, ...]
    attributes: Mapping[str, str]
    segments: pd.DataFrame
    codings: pd.DataFrame
    hits: pd.DataFrame

    def grouping_attributes(self) -> dict[str, str]:
        """Attributes that group documents (2 to MAX_GROUPS values, not an identifying one),
        each mapped to its segments column."""
        result = {}
        for name, column in self.attributes.items():
            values = {doc.attributes.get(name, "") for doc in self.documents} - {""}
            if name not in IDENTIFYING_ATTRIBUTES and 2 <= len(values) <= MAX_GROUPS:
                result[name] = column
        return result

    def coding_records(self) -> list[Coding]:
        """The codings as :class:`Coding` records (for the analysis functions); ``origin`` and
        ``memo`` default to ``auto`` and ``""`` for a codings.csv without those columns."""
        frame = self.codings
        origins = frame["origin"].tolist() if "origin" in frame.columns else ["auto"] * len(frame)
        memos = frame["memo"].tolist() if "memo" in frame.columns else [""] * len(frame)
        columns = ("document", "segment", "speaker", "start", "end", "code", "hits", "matched")
        return [
            Coding(
                document=str(document), segment=int(segment), speaker=str(speaker),
                start=int(start), end=int(end), code=str(code), origin=str(origin or "auto"),
                hits=int(hits), matched=tuple(m for m in str(matched).split("; ") if m),
                text=str(text), memo=str(memo),
            )
            for (document, segment, speaker, start, end, code, hits, matched), origin, text, memo
            in zip(rows(frame, *columns), origins, frame["text"].tolist(), memos, strict=True)
        ]  # fmt: skip


def rows(frame: pd.DataFrame, *columns: str) -> Iterator[tuple[Any, ...]]:
    """The values of ``columns``, row by row, as plain Python values."""
    return zip(*(frame[column].tolist() for column in columns), strict=True)


def load_output_folder(path: Path) -> OutputFolder:
    """Read the folder ``qualcode code --out`` wrote; OutputFolderError says what is wrong."""
    from qualcode.store import read_csv

    path = Path(path)
    if not path.is_dir():
        raise OutputFolderError(
            f"{path}: no such folder (give the --out folder of `qualcode code`)"
        )
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise OutputFolderError(
            f"{path}: not a qualcode output folder (missing {', '.join(missing)}); "
            "run `qualcode code ... --out` into it first"
        )
    manifest = _read_manifest(path / "run.json")
    # The run checked the codebook's token patterns; nothing read from here runs them.
    codebook = load_codebook(path / "codebook.yaml", check_patterns=False)
    tables = {}
    for name, columns in REQUIRED_COLUMNS.items():
        try:
            frame = read_csv(path / name)
        except (ValueError, UnicodeDecodeError) as exc:
            raise OutputFolderError(f"{path / name}: cannot read ({exc})") from None
        lacking = [c for c in columns if c not in frame.columns]
        if lacking:
            raise OutputFolderError(f"{path / name}: missing column(s) {', '.join(lacking)}")
        for column in ("segment", "start", "end", "hits"):
            if column in frame.columns and bool(frame[column].isna().any()):
                raise OutputFolderError(f"{path / name}: column {column} holds a non-number")
        tables[name] = frame
    documents = _documents(manifest, tables["segments.csv"])
    names = list(dict.fromkeys(key for doc in documents for key in doc.attributes))
    attributes = {name: attribute_column(name) for name in names}
    return OutputFolder(
        path=path,
        codebook=codebook,
        manifest=manifest,
        documents=documents,
        attributes={k: v for k, v in attributes.items() if v in tables["segments.csv"].columns},
        segments=tables["segments.csv"],
        codings=tables["codings.csv"],
        hits=tables["hits.csv"],
    )


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputFolderError(f"{path}: not a readable run manifest ({exc})") from None
    if not isinstance(data, dict):
        raise OutputFolderError(f"{path}: not a run manifest (expected a JSON object)")
    return data


def _documents(manifest: Mapping[str, Any], segments: pd.DataFrame) -> tuple[DocumentInfo, ...]:
    """Documents from run.json's inputs (with attributes), plus any only segments.csv names."""
    documents: dict[str, DocumentInfo] = {}
    for entry in manifest.get("inputs") or []:
        if isinstance(entry, dict) and isinstance(entry.get("document"), str):
            raw = entry.get("attributes") or {}
            attributes = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
            documents[entry["document"]] = DocumentInfo(entry["document"], attributes)
    for name in dict.fromkeys(segments["document"].astype(str)):
        documents.setdefault(name, DocumentInfo(name))
    return tuple(documents.values())
