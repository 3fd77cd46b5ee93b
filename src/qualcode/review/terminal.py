"""The review loop: build the queue, open a session, then render, read a key, step, save.

Every decision is saved at once (atomically) to the decisions file, so quitting at any point
loses nothing; see :mod:`qualcode.review.keys` for the keys and :mod:`.screen` for the display.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from qualcode.review import session as states
from qualcode.review.anchoring import PLACED, Placement, place_all
from qualcode.review.decisions import read_decisions, write_decisions
from qualcode.review.folder import ReviewFolder, read_folder
from qualcode.review.keys import GetChar, default_getchar, next_action, one_key_at_a_time
from qualcode.review.screen import print_placements, render
from qualcode.review.session import Item, Session


@dataclass(frozen=True)
class ReviewRun:
    """What a review session did, for the closing message."""

    session: Session
    path: Path
    saved: int


def build_items(
    folder: ReviewFolder, codes: Sequence[str] = (), documents: Sequence[str] = ()
) -> list[Item]:
    """The proposals to review, in document, segment and codebook order, filtered.

    ``codes`` keeps a proposal whose code is one of them or a descendant; ``documents`` keeps
    documents whose name equals or matches (shell pattern) one of them.
    """
    parents = folder.codebook.parent_ids()
    anchored = folder.anchored()
    anchors = {
        (a.segment.document, a.segment.number): a.anchor for s in anchored.values() for a in s
    }

    def wanted_code(code: str) -> bool:
        chain: str | None = code
        while chain is not None:
            if chain in codes:
                return True
            chain = parents.get(chain)
        return False

    items = []
    for coding in folder.proposals:
        if codes and not wanted_code(coding.code):
            continue
        if documents and not any(
            coding.document == d or fnmatch.fnmatchcase(coding.document, d) for d in documents
        ):
            continue
        items.append(Item(coding, anchors[(coding.document, coding.segment)]))
    return items


def open_session(
    folder: ReviewFolder,
    decisions_path: Path,
    *,
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    only_unreviewed: bool = False,
) -> tuple[Session, list[Placement], list[str]]:
    """Read the decisions, place them on the folder's segments and open a session."""
    stored, warnings = read_decisions(decisions_path)
    placements = place_all(stored, folder.anchored())
    placed = [p.decision for p in placements if p.status in PLACED]
    kept = [p.original for p in placements if p.status not in PLACED]
    session = states.start(
        build_items(folder, codes, documents),
        placed,
        kept=kept,
        proposed=[(c.document, c.segment, c.code) for c in folder.proposals],
        code_ids=[c.id for c in folder.codebook.walk()],
        only_unreviewed=only_unreviewed,
    )
    return session, placements, warnings


def run_review(
    folder_path: Path,
    decisions_path: Path,
    *,
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    only_unreviewed: bool = False,
    getchar: GetChar | None = None,
) -> ReviewRun:
    """Review the proposals of an output folder in the terminal until quit or end of input."""
    read_key = one_key_at_a_time(getchar or default_getchar())
    console = Console(highlight=False)
    folder = read_folder(folder_path)
    unknown = [c for c in codes if c not in {code.id for code in folder.codebook.walk()}]
    if unknown:
        from qualcode.errors import QualcodeError

        raise QualcodeError(f"--code {unknown[0]}: not a code of {folder_path}/codebook.yaml")
    session, placements, warnings = open_session(
        folder, decisions_path, codes=codes, documents=documents, only_unreviewed=only_unreviewed
    )
    print_placements(console, placements, warnings, decisions_path)
    code_ids = [c.id for c in folder.codebook.walk()]
    saved = 0
    if not session.items:
        console.print("Nothing to review: no auto-coded segments match the filters.")
        return ReviewRun(session, decisions_path, saved)
    while not session.quit:
        render(console, session, folder)
        action = next_action(read_key, code_ids)
        if action is None:
            continue
        session, changed = states.step(session, action)
        if changed:
            write_decisions(decisions_path, session.all_decisions())
            saved += 1
    for key in session.pending_memos:
        console.print(
            f"Memo on {escape(' / '.join(map(str, key)))} not saved: no decision was made."
        )
    return ReviewRun(session, decisions_path, saved)
