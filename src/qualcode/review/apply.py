"""Apply a researcher's decisions to the auto-coder's proposals.

``accept`` keeps a proposal with origin ``accepted``; ``reject`` leaves it out (counted); ``add``
puts in a code the auto-coder did not propose, with origin ``manual`` (no hits), or marks the
proposal ``accepted`` if the auto-coder now proposes it too. A proposal without a decision keeps
origin ``auto`` (unreviewed). Memos go into the codings' ``memo`` column.

Decisions that cannot be placed (see :mod:`qualcode.review.anchoring`), name a code the codebook
lacks, or accept a code the auto-coder no longer proposes are *orphaned*: listed with a reason,
written to ``orphaned_decisions.csv``, and kept untouched in the decisions file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from qualcode.models import Coding, Document
from qualcode.review.anchoring import (
    ABSENT,
    ORPHANED,
    REANCHORED,
    AnchoredSegment,
    Placement,
    place_all,
)
from qualcode.review.decisions import ACCEPT, ADD, REJECT, Decision, Key

AUTO, ACCEPTED, MANUAL = "auto", "accepted", "manual"
ORIGINS = (AUTO, ACCEPTED, MANUAL)
ORPHANS_FILE = "orphaned_decisions.csv"


@dataclass(frozen=True, slots=True)
class Orphan:
    decision: Decision  # as it stands in the decisions file
    reason: str


@dataclass
class ReviewOutcome:
    """The codings after the decisions, and what happened to each decision."""

    codings: list[Coding]
    path: Path | None = None
    accepted: int = 0
    rejected: int = 0
    added: int = 0
    absent: int = 0  # decisions about documents that are not part of this run
    reanchored: list[Placement] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unreviewed(self) -> int:
        return sum(1 for c in self.codings if c.origin == AUTO)

    def summary(self) -> dict[str, int]:
        """Counts for ``run.json``'s summary."""
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "manual": self.added,
            "unreviewed": self.unreviewed,
            "reanchored_decisions": len(self.reanchored),
            "orphaned_decisions": len(self.orphans),
        }


def apply_decisions(
    proposals: Sequence[Coding],
    decisions: Sequence[Decision],
    documents: Mapping[str, Sequence[AnchoredSegment]],
    code_ids: Sequence[str],
) -> ReviewOutcome:
    """The codings that ``decisions`` make of the auto-coder's ``proposals``.

    ``documents`` maps each document of the run (in run order) to its anchored segments;
    ``code_ids`` lists the codebook's codes in order.
    """
    outcome = ReviewOutcome(codings=[])
    placed: dict[Key, Placement] = {}
    for placement in place_all(decisions, documents):
        if placement.status == ABSENT:
            outcome.absent += 1
        elif placement.status == ORPHANED:
            outcome.orphans.append(Orphan(placement.original, placement.reason))
        else:
            key = placement.decision.key
            earlier = placed.pop(key, None)
            if earlier is not None:
                outcome.warnings.append(
                    f"rows {earlier.original.row} and {placement.original.row} both land on "
                    f"{placement.decision.where()}; row {placement.original.row} wins"
                )
            placed[key] = placement
            if placement.status == REANCHORED:
                outcome.reanchored.append(placement)
    by_key = {(c.document, c.segment, c.code): c for c in proposals}
    known = set(code_ids)
    removed: set[Key] = set()
    changed: dict[Key, Coding] = {}
    for key, placement in placed.items():
        decision = placement.decision
        proposal = by_key.get(key)
        if decision.code not in known:
            outcome.orphans.append(
                Orphan(placement.original, f"code {decision.code} is not in the codebook")
            )
        elif decision.decision == REJECT:
            if proposal is not None:
                removed.add(key)
                outcome.rejected += 1
        elif proposal is not None:  # accept, or add of a code the auto-coder now proposes
            changed[key] = replace(proposal, origin=ACCEPTED, memo=decision.memo)
            outcome.accepted += 1
        elif decision.decision == ACCEPT:
            outcome.orphans.append(
                Orphan(
                    placement.original,
                    "the auto-coder no longer proposes this code here "
                    "(change the decision to add to keep it)",
                )
            )
        elif decision.decision == ADD:
            manual = _manual(decision, documents[decision.document])
            if manual is not None:
                changed[key] = manual
                outcome.added += 1
    codings = [changed.get(k, c) for k, c in by_key.items() if k not in removed]
    codings.extend(c for k, c in changed.items() if k not in by_key)
    order = {name: i for i, name in enumerate(documents)}
    codes = {code: i for i, code in enumerate(code_ids)}
    codings.sort(key=lambda c: (order.get(c.document, len(order)), c.segment, codes[c.code]))
    outcome.codings = codings
    return outcome


def _manual(decision: Decision, segments: Sequence[AnchoredSegment]) -> Coding | None:
    for anchored in segments:
        seg = anchored.segment
        if seg.number == decision.segment:
            return Coding(
                seg.document, seg.number, seg.speaker, seg.start, seg.end, decision.code,
                MANUAL, 0, (), seg.text, decision.memo,
            )  # fmt: skip
    return None


def apply_decisions_file(
    path: Path, documents: Sequence[Document], proposals: Sequence[Coding], code_ids: Sequence[str]
) -> ReviewOutcome:
    """Read the decisions file at ``path`` and apply it to a run's proposals."""
    from qualcode.review.anchoring import anchored_segments
    from qualcode.review.decisions import read_decisions

    decisions, warnings = read_decisions(path)
    anchored = {d.name: anchored_segments(d.segments, d.body) for d in documents}
    outcome = apply_decisions(proposals, decisions, anchored, code_ids)
    outcome.path = Path(path)
    outcome.warnings[:0] = warnings
    return outcome


def write_orphans(out_dir: Path, outcome: ReviewOutcome | None) -> Path | None:
    """Write ``orphaned_decisions.csv`` (the decisions as in the file, plus a reason column).

    Without decisions, a stale file from an earlier run is removed so the folder stays
    consistent; the decisions file itself is never touched.
    """
    from qualcode.errors import OutputError
    from qualcode.fileio import write_text_atomic
    from qualcode.review.decisions import decisions_csv

    target = Path(out_dir) / ORPHANS_FILE
    if outcome is None:
        if target.is_file():
            target.unlink()
        return None
    if outcome.path is not None and outcome.path.resolve() == target.resolve():
        raise OutputError(f"{outcome.path}: output would overwrite this input; move the file")
    orphans = outcome.orphans
    text = decisions_csv([o.decision for o in orphans], [o.reason for o in orphans])
    write_text_atomic(target, text, bom=True)
    return target
