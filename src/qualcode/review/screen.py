"""What the review shows: the current item rendered with rich, and the anchoring report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from qualcode.models import Segment
from qualcode.review.anchoring import ORPHANED, REANCHORED, Placement
from qualcode.review.decisions import ACCEPT, ADD, REJECT
from qualcode.review.folder import ReviewFolder
from qualcode.review.session import Item, Session

HELP = "[a] accept  [r] reject  [+] add code  [m] memo  [s] skip  [b] back  [q] quit"


def print_placements(
    console: Console, placements: Sequence[Placement], warnings: Sequence[str], path: Path
) -> None:
    for warning in warnings:
        console.print(f"warning: {escape(warning)}")
    moved = [p for p in placements if p.status == REANCHORED]
    orphans = [p for p in placements if p.status == ORPHANED]
    if moved:
        console.print(f"{len(moved)} decision(s) re-anchored because the text changed:")
        for p in moved:
            console.print(f"  {escape(p.original.where())}: {escape(p.reason)}")
    if orphans:
        console.print(
            f"[yellow]{len(orphans)} orphaned decision(s)[/yellow] kept as they are in "
            f"{escape(str(path))}:"
        )
        for p in orphans:
            console.print(f"  {escape(p.original.where())}: {escape(p.reason)}")


def render(console: Console, session: Session, folder: ReviewFolder) -> None:
    """Draw the current item (or the end of the queue) with the status line and the keys."""
    if console.is_terminal:
        console.clear()
    total, decided = len(session.items), session.decided
    item = session.current
    if item is None:
        console.rule(f"End of the queue · {decided} of {total} decided")
        console.print("b goes back, q quits.")
        _status(console, session)
        return
    coding = item.coding
    console.rule(
        f"{escape(coding.document)} · segment {coding.segment} · "
        f"item {session.index + 1} of {total} · {decided} decided",
        align="left",
    )
    question = _previous_question(folder, coding.document, coding.segment)
    if question is not None:
        console.print(Text(f"{question.speaker}: {question.text}", style="dim"))
    console.print(_highlighted(folder, item))
    console.print(_codes_line(session, folder, item))
    code = folder.codebook.code(coding.code) if coding.code in _ids(folder) else None
    label = f"[bold]{escape(coding.code)}[/bold]"
    if code is not None:
        label += f" — {escape(code.name)}"
        for field_name in ("description", "include", "exclude"):
            value = getattr(code, field_name)
            if value:
                label += f"\n  {field_name}: {escape(value)}"
    console.print(label)
    decision = session.decision(item.key)
    memo = session.pending_memos.get(item.key, decision.memo if decision else "")
    verdict = decision.decision if decision else "none yet"
    console.print(
        f"Decision: [bold]{verdict}[/bold]" + (f"   Memo: {escape(memo)}" if memo else "")
    )
    _status(console, session)


def _status(console: Console, session: Session) -> None:
    if session.message:
        console.print(f"[cyan]{escape(session.message)}[/cyan]")
    console.print(escape(HELP), style="bold")


def _ids(folder: ReviewFolder) -> set[str]:
    return {c.id for c in folder.codebook.walk()}


def _previous_question(folder: ReviewFolder, document: str, number: int) -> Segment | None:
    previous = None
    for segment in folder.segments.get(document, ()):
        if segment.number >= number:
            break
        if segment.is_interviewer:
            previous = segment
    return previous


def _highlighted(folder: ReviewFolder, item: Item) -> Text:
    coding = item.coding
    speaker = f"{coding.speaker}: " if coding.speaker else ""
    text = Text(speaker, style="bold")
    body = Text(coding.text)
    for key, spans in folder.spans.items():
        if key[:2] != (coding.document, coding.segment):
            continue
        style = "bold black on yellow" if key == item.key else "underline"
        for start, end in spans:
            lo, hi = start - coding.start, end - coding.start
            if 0 <= lo < hi <= len(coding.text):
                body.stylize(style, lo, hi)
    text.append_text(body)
    return text


def _codes_line(session: Session, folder: ReviewFolder, item: Item) -> Text:
    document, segment, _ = item.key
    line = Text("Proposed here: ")
    marks = {ACCEPT: " ✓", REJECT: " ✗", ADD: " +"}
    for coding in folder.proposals:
        if (coding.document, coding.segment) != (document, segment):
            continue
        key = (document, segment, coding.code)
        decision = session.decision(key)
        mark = marks[decision.decision] if decision else ""
        style = "reverse" if key == item.key else ""
        line.append(f"{coding.code}{mark}", style=style)
        line.append("  ")
    added = session.added_codes(document, segment)
    if added:
        line.append("  Added by you: " + ", ".join(added), style="green")
    return line
