"""Where each coding comes from: the auto-coder (unreviewed), a review decision, or by hand.

``qualcode code`` applies the decisions of ``qualcode review`` and records the outcome in
codings.csv (``origin``: auto | accepted | manual) and run.json (``options.decisions`` and the
summary's rejected / re-anchored / orphaned counts). This module turns them into the report's
Review block, the quote cards' origin badges and the origin filter's options.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from qualcode.outputs import OutputFolder
from qualcode.report.context import Option, ReviewBlock
from qualcode.review.apply import ACCEPTED, AUTO, MANUAL, ORIGINS, ORPHANS_FILE

OTHER = "other"
#: The origin filter's value for "accepted or added by hand".
REVIEWED = "reviewed"


def normalised(origin: object) -> str:
    """An origin of codings.csv as one of ORIGINS (empty = auto), else ``other``."""
    value = str(origin or AUTO)
    return value if value in ORIGINS else OTHER


def origin_label(origin: object, t: Mapping[str, str]) -> str:
    """The badge text of an origin: its label, or the raw value for an unexpected one."""
    key = normalised(origin)
    return t[f"origin_{key}"] if key != OTHER else str(origin)


def decisions_applied(manifest: Mapping[str, Any]) -> str | None:
    """The decisions file ``qualcode code`` applied (as run.json names it), or None."""
    options = manifest.get("options")
    decisions = options.get("decisions") if isinstance(options, dict) else None
    return str(decisions) if decisions not in (None, "") else None


def review_block(folder: OutputFolder) -> ReviewBlock:
    decisions = decisions_applied(folder.manifest)
    if decisions is None:
        return ReviewBlock(applied=False, decisions="")
    frame = folder.codings
    origins = frame["origin"].tolist() if "origin" in frame.columns else [AUTO] * len(frame)
    counts = Counter(normalised(o) for o in origins)
    summary = folder.manifest.get("summary")
    summary = summary if isinstance(summary, dict) else {}
    orphaned = _count(summary, "orphaned_decisions")
    return ReviewBlock(
        applied=True,
        decisions=decisions,
        unreviewed=counts[AUTO],
        accepted=counts[ACCEPTED],
        manual=counts[MANUAL],
        rejected=_count(summary, "rejected"),
        reanchored=_count(summary, "reanchored_decisions"),
        orphaned=orphaned,
        orphans_file=ORPHANS_FILE if orphaned else "",
    )


def _count(summary: Mapping[str, Any], key: str) -> int:
    value = summary.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def origin_options(block: ReviewBlock, t: Mapping[str, str]) -> tuple[Option, ...]:
    """The origin filter's options; none when no decisions were applied (all would be auto)."""
    if not block.applied:
        return ()
    return (
        Option(REVIEWED, t["filter_reviewed"]),
        Option(AUTO, t["filter_unreviewed"]),
        Option(ACCEPTED, t["review_accepted"]),
        Option(MANUAL, t["review_manual"]),
    )
