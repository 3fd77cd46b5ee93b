"""Place stored decisions on the segments of a new run, or report them as orphaned.

A decision is *kept* when its segment still has the same text (same SHA-256). Otherwise it is
looked for by its quote in the same document: a segment with exactly that text, else (for quotes
of at least :data:`MIN_CONTAINED_QUOTE` characters) a segment containing it. One candidate: the
decision is *re-anchored* there (and reported). Several: the stored prefix/suffix pick the one
whose surrounding text matches best; a tie leaves the decision *orphaned*, as does no candidate.
Nothing is ever moved or dropped silently: every placement carries its status and a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualcode.models import Segment
from qualcode.review.decisions import Anchor, Decision, anchor_of

KEPT = "kept"
REANCHORED = "reanchored"
UNANCHORED = "unanchored"  # a row written by hand without an anchor: placed by segment number
ORPHANED = "orphaned"
ABSENT = "absent"  # its document is not part of this run: left alone
PLACED = (KEPT, REANCHORED, UNANCHORED)

#: A quote shorter than this re-anchors only to a segment with exactly that text.
MIN_CONTAINED_QUOTE = 12


@dataclass(frozen=True, slots=True)
class AnchoredSegment:
    segment: Segment
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a stored decision lands. ``decision`` has the new segment and anchor if placed."""

    original: Decision
    decision: Decision
    status: str
    reason: str = ""

    @property
    def placed(self) -> bool:
        return self.status in PLACED


def anchored_segments(segments: Sequence[Segment], body: str | None) -> tuple[AnchoredSegment, ...]:
    return tuple(AnchoredSegment(s, anchor_of(s, body)) for s in segments)


def place_all(
    decisions: Sequence[Decision], documents: Mapping[str, Sequence[AnchoredSegment]]
) -> list[Placement]:
    """Place every decision on the segments of ``documents`` (document name -> its segments)."""
    return [place(d, documents.get(d.document)) for d in decisions]


def place(decision: Decision, segments: Sequence[AnchoredSegment] | None) -> Placement:
    if segments is None:
        return Placement(decision, decision, ABSENT, f"{decision.document} is not in this run")
    by_number = {s.segment.number: s for s in segments}
    current = by_number.get(decision.segment)
    stored = decision.anchor
    if stored.is_empty:
        if current is None:
            return _orphan(decision, f"segment {decision.segment} does not exist")
        return Placement(
            decision,
            decision.moved(current.segment.number, current.anchor),
            UNANCHORED,
            "no anchor (written by hand): placed by its segment number",
        )
    if current is not None and current.anchor.text_sha256 == stored.text_sha256:
        anchor = _keep_context(stored, current.anchor)
        return Placement(decision, decision.moved(decision.segment, anchor), KEPT)
    candidates = [s for s in segments if s.anchor.text_sha256 == stored.text_sha256]
    if not candidates and len(stored.quote) >= MIN_CONTAINED_QUOTE:
        candidates = [s for s in segments if stored.quote in s.segment.text]
    was = (
        f"segment {decision.segment}'s text changed"
        if current is not None
        else f"segment {decision.segment} no longer exists"
    )
    if not candidates:
        return _orphan(decision, f"{was} and its text was not found in {decision.document}")
    if len(candidates) > 1:
        numbers = ", ".join(str(c.segment.number) for c in candidates)
        chosen = _by_context(stored, candidates)
        if chosen is None:
            return _orphan(decision, f"{was}; its text occurs in segments {numbers} (ambiguous)")
        reason = f"{was}; its text occurs in segments {numbers}, the context matches {_n(chosen)}"
    else:
        chosen = candidates[0]
        exact = chosen.anchor.text_sha256 == stored.text_sha256
        reason = f"{was}; its text is {'now' if exact else 'now inside'} {_n(chosen)}"
    return Placement(
        decision, decision.moved(chosen.segment.number, chosen.anchor), REANCHORED, reason
    )


def _n(candidate: AnchoredSegment) -> str:
    return f"segment {candidate.segment.number}"


def _orphan(decision: Decision, reason: str) -> Placement:
    return Placement(decision, decision, ORPHANED, reason)


def _keep_context(stored: Anchor, current: Anchor) -> Anchor:
    """The current anchor, keeping stored context where the current run has none."""
    if current.prefix or current.suffix:
        return current
    return Anchor(current.text_sha256, current.quote, stored.prefix, stored.suffix)


def _by_context(stored: Anchor, candidates: Sequence[AnchoredSegment]) -> AnchoredSegment | None:
    """The candidate whose text around the quote best matches the stored prefix and suffix."""
    scored = []
    for candidate in candidates:
        text = candidate.segment.text
        quote = stored.quote or text
        at = max(text.find(quote), 0)
        before = candidate.anchor.prefix + text[:at]
        after = text[at + len(quote) :] + candidate.anchor.suffix
        score = _common_suffix(before, stored.prefix) + _common_prefix(after, stored.suffix)
        scored.append((score, candidate))
    scored.sort(key=lambda item: -item[0])
    best = scored[0][0]
    if best == 0 or (len(scored) > 1 and scored[1][0] == best):
        return None
    return scored[0][1]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
