"""The two sides `qualcode agree` compares, read from whatever the researcher has.

A side is one of (told apart by its columns):

* ``codings``: a ``codings.csv`` (column ``code``) or the output folder holding it. Its units are
  the informant segments of the ``segments.csv`` beside it (uncoded ones too), else the segments
  it codes.
* ``sheet``: a hand-coded sheet with ``document, segment, codes`` (codes ``;``-joined), the format
  coders fill in a spreadsheet. Its units are the segments it lists, with or without codes.
* ``reviews``: a decisions file (column ``decision``) applied to an output folder's proposals,
  given with ``apply_to`` or found (the other side's folder, or the one output folder beside
  the decisions file). Its units are the folder's informant segments.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import QualcodeError

CODINGS, SHEET, REVIEWS = "codings", "sheet", "reviews"
KIND_LABELS = {CODINGS: "codings", SHEET: "hand-coded sheet", REVIEWS: "reviewed codings"}
Unit = tuple[str, int]


class SideError(QualcodeError):
    """A side of a comparison cannot be read or recognised."""


@dataclass(frozen=True)
class Side:
    path: Path
    kind: str
    presence: Mapping[Unit, frozenset[str]]
    units: tuple[Unit, ...]
    documents: tuple[str, ...]
    code_order: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.path} ({KIND_LABELS[self.kind]})"


def codings_path(path: Path) -> Path:
    """A folder stands for the ``codings.csv`` in it."""
    path = Path(path)
    return path / "codings.csv" if path.is_dir() else path


def detect_kind(path: Path) -> str:
    path = codings_path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except FileNotFoundError:
        raise SideError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SideError(f"{path}: cannot read ({exc})") from None
    columns = {c.strip() for c in header}
    if "decision" in columns:
        return REVIEWS
    if "codes" in columns:
        return SHEET
    if "code" in columns:
        return CODINGS
    raise SideError(
        f"{path}: not a codings.csv (column code), a hand-coded sheet (columns document, "
        "segment, codes) or a decisions file (column decision)"
    )


def load_side(path: Path, *, apply_to: Path | None = None, other: Path | None = None) -> Side:
    """Read one side; ``other`` is the other side's path (a reviews file may apply to it)."""
    kind = detect_kind(path)
    if kind == CODINGS:
        return _codings_side(codings_path(path))
    if kind == SHEET:
        return _sheet_side(Path(path))
    return _reviews_side(Path(path), _folder_for(Path(path), apply_to, other))


def _code_order(folder: Path) -> tuple[str, ...]:
    from qualcode.codebook import load_codebook

    if not (folder / "codebook.yaml").is_file():
        return ()
    try:
        return tuple(c.id for c in load_codebook(folder / "codebook.yaml").walk())
    except QualcodeError:
        return ()


def _codings_side(path: Path) -> Side:
    from qualcode.store import read_csv

    frame = read_csv(path)
    missing = [c for c in ("document", "segment", "code") if c not in frame.columns]
    if missing:
        raise SideError(f"{path}: codings lack column(s) {', '.join(missing)}")
    presence: dict[Unit, set[str]] = {}
    for row, record in enumerate(frame.to_dict("records"), start=2):
        unit = _unit(path, row, record)
        code = str(record["code"]).strip()
        presence.setdefault(unit, set())
        if code:
            presence[unit].add(code)
    units: list[Unit] = []
    documents: list[str] = []
    notes = []
    segments = path.parent / "segments.csv"
    if segments.is_file():
        seg_frame = read_csv(segments)
        for row, record in enumerate(seg_frame.to_dict("records"), start=2):
            unit = _unit(segments, row, record)
            documents.append(unit[0])
            if str(record.get("speaker_type", "")) != "interviewer":
                units.append(unit)
    else:
        notes.append(f"{path}: no segments.csv beside it, so only its coded segments are units")
    units.extend(presence)
    documents.extend(u[0] for u in presence)
    return Side(
        path,
        CODINGS,
        {u: frozenset(c) for u, c in presence.items()},
        tuple(dict.fromkeys(units)),
        tuple(dict.fromkeys(documents)),
        _code_order(path.parent),
        tuple(notes),
    )


def _unit(path: Path, row: int, record: Mapping[object, object]) -> Unit:
    document, segment = str(record["document"]).strip(), str(record["segment"])
    if not document or not segment.isdigit():
        raise SideError(f"{path}, row {row}: needs a document and a segment number")
    return (document, int(segment))


def _sheet_side(path: Path) -> Side:
    from qualcode.analysis.evaluation import read_gold

    sheet = read_gold(path)
    return Side(path, SHEET, dict(sheet), tuple(sheet), tuple(dict.fromkeys(u[0] for u in sheet)))


def _folder_for(path: Path, apply_to: Path | None, other: Path | None) -> Path:
    if apply_to is not None:
        return codings_path(apply_to).parent
    if other is not None and detect_kind(other) == CODINGS:
        return codings_path(other).parent
    folders = sorted(p.parent for p in path.parent.glob("*/codings.csv"))
    if len(folders) == 1:
        return folders[0]
    found = f" (found {', '.join(map(str, folders))})" if folders else ""
    raise SideError(
        f"{path}: which output folder do these decisions apply to? "
        f"Give it with --apply-to DIR{found}"
    )


def _reviews_side(path: Path, folder_path: Path) -> Side:
    from qualcode.review.apply import apply_decisions
    from qualcode.review.decisions import read_decisions
    from qualcode.review.folder import read_folder

    folder = read_folder(folder_path)
    decisions, warnings = read_decisions(path)
    code_ids = [c.id for c in folder.codebook.walk()]
    outcome = apply_decisions(folder.proposals, decisions, folder.anchored(), code_ids)
    presence: dict[Unit, set[str]] = {}
    for coding in outcome.codings:
        presence.setdefault((coding.document, coding.segment), set()).add(coding.code)
    notes = [*warnings, *outcome.warnings]
    notes.append(
        f"{path} applied to {folder_path}: {outcome.accepted} accepted, {outcome.rejected} "
        f"rejected, {outcome.added} added, {outcome.unreviewed} unreviewed"
    )
    if outcome.reanchored:
        notes.append(f"{len(outcome.reanchored)} decision(s) re-anchored (text changed)")
    if outcome.orphans:
        notes.append(f"{len(outcome.orphans)} orphaned decision(s) not applied")
    units = [*folder.informant_units(), *presence]
    return Side(
        path,
        REVIEWS,
        {u: frozenset(c) for u, c in presence.items()},
        tuple(dict.fromkeys(units)),
        tuple(folder.segments),
        tuple(code_ids),
        tuple(notes),
    )


@dataclass(frozen=True)
class Comparison:
    units: tuple[Unit, ...]
    documents: tuple[str, ...]
    only_in_a: tuple[str, ...]  # documents only side A covers (left out)
    only_in_b: tuple[str, ...]
    codes: tuple[str, ...]


def comparison(a: Side, b: Side, codes: Sequence[str] = ()) -> Comparison:
    """Units: every segment either side lists, in the documents both sides cover.

    Codes: ``codes`` if given, else every code either side uses on those units, in codebook
    order when a side knows its codebook (then alphabetically).
    """
    shared = set(a.documents) & set(b.documents)
    if not shared:
        raise SideError(f"{a.path} and {b.path} have no document in common")
    documents = tuple(d for d in dict.fromkeys([*a.documents, *b.documents]) if d in shared)
    rank = {d: i for i, d in enumerate(documents)}
    units = sorted(
        (u for u in dict.fromkeys([*a.units, *b.units]) if u[0] in shared),
        key=lambda u: (rank[u[0]], u[1]),
    )
    if not codes:
        used = {c for side in (a, b) for u in units for c in side.presence.get(u, ())}
        order = {c: i for i, c in enumerate(a.code_order or b.code_order)}
        codes = sorted(used, key=lambda c: (order.get(c, len(order)), c))
    return Comparison(
        tuple(units),
        documents,
        tuple(d for d in a.documents if d not in shared),
        tuple(d for d in b.documents if d not in shared),
        tuple(dict.fromkeys(codes)),
    )
