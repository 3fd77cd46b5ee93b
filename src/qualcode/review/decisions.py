"""The decisions file (``reviews.csv``): a researcher's accept / reject / add decisions.

One row per (document, segment, code) with the decision, a memo, and an anchor that lets the
decision survive re-coding: the SHA-256 of the segment's text, the text itself (``quote``) and up
to 32 characters of the document body before and after it (``prefix``, ``suffix``), like a W3C
TextQuoteSelector. The file is plain CSV (UTF-8 with BOM) sorted by document, segment and code,
so it can be edited by hand and kept in git; a row written by hand may leave the anchor columns
empty (it is then placed by its segment number).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.models import Segment

DECISION_COLUMNS = (
    "document", "segment", "code", "decision", "memo", "text_sha256", "quote", "prefix", "suffix",
)  # fmt: skip
REQUIRED_COLUMNS = ("document", "segment", "code", "decision")
ACCEPT, REJECT, ADD = "accept", "reject", "add"
DECISIONS = (ACCEPT, REJECT, ADD)
_SPELLINGS = {"accepted": ACCEPT, "rejected": REJECT, "added": ADD}
#: Characters of context kept on each side of a segment.
CONTEXT = 32
DEFAULT_NAME = "reviews.csv"

Key = tuple[str, int, str]


class DecisionsError(QualcodeError):
    """The decisions file cannot be read or has an invalid row (names the file and row)."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a decision's segment was: its text's hash, its text and the text around it."""

    text_sha256: str = ""
    quote: str = ""
    prefix: str = ""
    suffix: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text_sha256 or self.quote)


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the decisions file. ``row`` is its spreadsheet row (header = 1; 0 if new)."""

    document: str
    segment: int
    code: str
    decision: str
    memo: str = ""
    anchor: Anchor = field(default_factory=Anchor)
    row: int = 0

    @property
    def key(self) -> Key:
        return (self.document, self.segment, self.code)

    def where(self) -> str:
        return f"{self.document} segment {self.segment}, {self.code}"

    def moved(self, segment: int, anchor: Anchor) -> Decision:
        return replace(self, segment=segment, anchor=anchor)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def anchor_of(segment: Segment, body: str | None) -> Anchor:
    """The anchor of a segment; no prefix/suffix when the document body is unknown."""
    prefix = suffix = ""
    if body is not None and body[segment.start : segment.end] == segment.text:
        prefix = body[max(0, segment.start - CONTEXT) : segment.start]
        suffix = body[segment.end : segment.end + CONTEXT]
    return Anchor(text_hash(segment.text), segment.text, prefix, suffix)


def default_path(out_dir: Path) -> Path:
    """``OUT/../reviews.csv``: beside the output folder, so re-coding into OUT never touches it."""
    return Path(os.path.normpath(Path(out_dir) / os.pardir / DEFAULT_NAME))


def resolve_path(out_dir: Path, given: Path | None, *, disabled: bool = False) -> Path | None:
    """The decisions file ``qualcode code`` applies: ``given`` (must exist), else the default
    beside OUT if it exists, else None."""
    if disabled:
        return None
    if given is not None:
        if not Path(given).is_file():
            raise DecisionsError(f"{given}: decisions file not found")
        return Path(given)
    path = default_path(out_dir)
    return path if path.is_file() else None


def read_decisions(path: Path) -> tuple[list[Decision], list[str]]:
    """The rows of a decisions file (none if it does not exist) and warnings about duplicates.

    When two rows have the same document, segment and code, the later row wins (with a warning).
    """
    from qualcode.store import read_csv

    path = Path(path)
    if not path.exists():
        return [], []
    try:
        frame = read_csv(path, text_columns={"segment": True})
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DecisionsError(f"{path}: cannot read the decisions file ({exc})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DecisionsError(
            f"{path}: decisions file lacks column(s) {', '.join(missing)} "
            f"(expected {', '.join(DECISION_COLUMNS)})"
        )
    rows: dict[Key, Decision] = {}
    warnings = []
    for row, record in enumerate(frame.to_dict("records"), start=2):
        values = {str(k): str(v) for k, v in record.items()}
        decision = _decision(path, row, values)
        if decision is None:
            continue
        earlier = rows.pop(decision.key, None)
        if earlier is not None:
            warnings.append(
                f"{path}: rows {earlier.row} and {row} both decide {decision.where()}; "
                f"row {row} ({decision.decision}) wins"
            )
        rows[decision.key] = decision
    return list(rows.values()), warnings


def _decision(path: Path, row: int, values: dict[str, str]) -> Decision | None:
    document, code = values["document"].strip(), values["code"].strip()
    raw_decision, raw_segment = values["decision"].strip(), values["segment"].strip()
    if not (document or code or raw_decision or raw_segment):
        return None  # an empty spreadsheet row
    where = f"{path}, row {row}"
    if not document or not code:
        raise DecisionsError(f"{where}: document and code must not be empty")
    segment = _segment_number(raw_segment)
    if segment is None:
        raise DecisionsError(f"{where}: segment {raw_segment!r} is not a whole number")
    decision = _SPELLINGS.get(raw_decision.lower(), raw_decision.lower())
    if decision not in DECISIONS:
        raise DecisionsError(
            f"{where}: decision must be accept, reject or add, not {raw_decision!r}"
        )
    anchor = Anchor(*(values.get(c, "") for c in ("text_sha256", "quote", "prefix", "suffix")))
    if not anchor.text_sha256 and anchor.quote:
        anchor = replace(anchor, text_sha256=text_hash(anchor.quote))
    return Decision(document, segment, code, decision, values.get("memo", ""), anchor, row)


def _segment_number(raw: str) -> int | None:
    """``12`` or ``12.0`` (as a spreadsheet may save it); None for anything else."""
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def sort_key(decision: Decision) -> tuple[str, int, str]:
    return decision.key


def decisions_csv(decisions: Sequence[Decision], reasons: Sequence[str] | None = None) -> str:
    """CSV text of ``decisions`` sorted by key; ``reasons`` adds a last ``reason`` column."""
    import pandas as pd

    from qualcode.store import csv_text

    rows = []
    for index, d in enumerate(decisions):
        row = [d.document, d.segment, d.code, d.decision, d.memo, d.anchor.text_sha256,
               d.anchor.quote, d.anchor.prefix, d.anchor.suffix]  # fmt: skip
        rows.append((sort_key(d), index, row + ([reasons[index]] if reasons is not None else [])))
    rows.sort(key=lambda item: (item[0], item[1]))
    columns = [*DECISION_COLUMNS, *(["reason"] if reasons is not None else [])]
    return csv_text(pd.DataFrame([r for _, _, r in rows], columns=columns))


def write_decisions(path: Path, decisions: Sequence[Decision]) -> None:
    """Write the decisions file atomically (UTF-8 with BOM, sorted by document, segment, code)."""
    from qualcode.fileio import write_text_atomic

    write_text_atomic(Path(path), decisions_csv(decisions), bom=True)
