"""The review as a pure state machine: a queue of proposals, a position, and the decisions.

``step(session, action)`` returns the next session and whether the decisions changed (then the
caller saves the file). Terminal input and output live in :mod:`qualcode.review.terminal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from qualcode.models import Coding
from qualcode.review.decisions import ACCEPT, ADD, REJECT, Anchor, Decision, Key

ACCEPT_KEY, REJECT_KEY, SKIP, BACK, QUIT, MEMO, ADD_CODE, HELP_KEY = (
    "accept", "reject", "skip", "back", "quit", "memo", "add", "help",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Item:
    """One auto-coded proposal to decide on, with its segment's anchor."""

    coding: Coding
    anchor: Anchor

    @property
    def key(self) -> Key:
        return (self.coding.document, self.coding.segment, self.coding.code)


@dataclass(frozen=True, slots=True)
class Action:
    kind: str
    text: str = ""  # the memo, or the code to add


@dataclass(frozen=True)
class Session:
    items: tuple[Item, ...]
    index: int
    decisions: Mapping[Key, Decision]  # decisions placed on this folder's segments
    kept: tuple[Decision, ...] = ()  # orphaned rows and other documents' rows, kept verbatim
    proposed: frozenset[Key] = frozenset()  # every proposal of the folder, queued or not
    code_ids: frozenset[str] = frozenset()  # codes that may be added (empty: any)
    pending_memos: Mapping[Key, str] = field(default_factory=dict)
    message: str = ""
    quit: bool = False

    @property
    def current(self) -> Item | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    @property
    def at_end(self) -> bool:
        return self.index >= len(self.items)

    @property
    def decided(self) -> int:
        return sum(1 for item in self.items if item.key in self.decisions)

    def decision(self, key: Key) -> Decision | None:
        return self.decisions.get(key)

    def all_decisions(self) -> list[Decision]:
        """What the decisions file holds: kept rows (unless decided anew) and the decisions."""
        return [d for d in self.kept if d.key not in self.decisions] + list(self.decisions.values())

    def added_codes(self, document: str, segment: int) -> list[str]:
        return [
            d.code
            for d in self.decisions.values()
            if (d.document, d.segment) == (document, segment)
            and d.decision == ADD
            and d.key not in self.proposed
        ]


def start(
    items: Sequence[Item],
    decisions: Iterable[Decision],
    *,
    kept: Sequence[Decision] = (),
    proposed: Iterable[Key] = (),
    code_ids: Iterable[str] = (),
    only_unreviewed: bool = False,
) -> Session:
    """A session at the first item without a decision (resuming where the last one stopped)."""
    placed = {d.key: d for d in decisions}
    queue = tuple(i for i in items if not (only_unreviewed and i.key in placed))
    index = next((n for n, item in enumerate(queue) if item.key not in placed), len(queue))
    every = frozenset(proposed) | {i.key for i in items}
    return Session(queue, index, placed, tuple(kept), every, frozenset(code_ids))


def step(session: Session, action: Action) -> tuple[Session, bool]:
    """Apply one action; the flag says whether the decisions changed (save them)."""
    kind, item = action.kind, session.current
    if kind == HELP_KEY:
        return replace(session, message="That key does nothing; the keys are listed below."), False
    if kind == QUIT:
        return replace(session, quit=True, message=""), False
    if kind == BACK:
        if session.index == 0:
            return replace(session, message="This is the first item."), False
        return replace(session, index=session.index - 1, message=""), False
    if item is None:
        return replace(session, message="End of the queue: b goes back, q quits."), False
    if kind == SKIP:
        return replace(session, index=session.index + 1, message=""), False
    if kind in (ACCEPT_KEY, REJECT_KEY):
        verdict = ACCEPT if kind == ACCEPT_KEY else REJECT
        memo = session.pending_memos.get(item.key)
        if memo is None:
            earlier = session.decisions.get(item.key)
            memo = earlier.memo if earlier is not None else ""
        decision = Decision(*item.key, verdict, memo, item.anchor)
        pending = {k: v for k, v in session.pending_memos.items() if k != item.key}
        new = _record(session, decision)
        return replace(new, index=session.index + 1, pending_memos=pending), True
    if kind == MEMO:
        return _memo(session, item, action.text)
    if kind == ADD_CODE:
        return _add(session, item, action.text.strip())
    return replace(session, message=f"Unknown action {kind!r}."), False


def _record(session: Session, decision: Decision, message: str = "") -> Session:
    decisions = dict(session.decisions)
    decisions[decision.key] = decision
    if any(d.key == decision.key for d in session.kept):
        message = (message + " " if message else "") + "(replaces an orphaned decision)"
    return replace(session, decisions=decisions, message=message)


def _memo(session: Session, item: Item, text: str) -> tuple[Session, bool]:
    earlier = session.decisions.get(item.key)
    if earlier is None:
        pending = {**session.pending_memos, item.key: text}
        message = "Memo noted; it is saved with your decision on this code."
        return replace(session, pending_memos=pending, message=message), False
    return _record(session, replace(earlier, memo=text, row=0), "Memo saved."), True


def _add(session: Session, item: Item, code: str) -> tuple[Session, bool]:
    document, segment, current = item.key
    key = (document, segment, code)
    if not code:
        return replace(session, message="No code added."), False
    if session.code_ids and code not in session.code_ids:
        return replace(session, message=f"{code} is not a code of the codebook."), False
    if code == current:
        return replace(session, message=f"{code} is the code under review: a accepts it."), False
    earlier = session.decisions.get(key)
    if key in session.proposed:
        if earlier is not None and earlier.decision == ACCEPT:
            return replace(session, message=f"{code} is already accepted here."), False
        decision = Decision(*key, ACCEPT, earlier.memo if earlier else "", item.anchor)
        message = f"{code} was proposed here too: recorded as accepted."
        return _record(session, decision, message), True
    if earlier is not None and earlier.decision == ADD:
        return replace(session, message=f"{code} is already added to this segment."), False
    decision = Decision(*key, ADD, earlier.memo if earlier else "", item.anchor)
    return _record(session, decision, f"Added {code} to this segment."), True
