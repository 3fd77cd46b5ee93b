"""Mark the words that fired a rule inside a quote, escaping every piece of text on its own.

The quote is cut at hit offsets; each piece of transcript text is escaped separately and only the
``<mark>`` tags around them are markup, so transcript text can never become a tag (the pattern
that caused Taguette's stored XSS is to insert tags into raw text and mark the result safe).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from qualcode.intervals import pick_disjoint
from qualcode.models import COUNTED

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Span:
    """A hit as offsets into the document body (as in hits.csv)."""

    start: int
    end: int
    matched: str
    rule: str
    key: str
    status: str = COUNTED


def choose(spans: Sequence[Span]) -> list[Span]:
    """Non-overlapping spans in text order; counted and longer spans win an overlap."""
    ranked = sorted(spans, key=lambda s: (s.status != COUNTED, s.start - s.end, s.start, s.rule))
    chosen = pick_disjoint(ranked, lambda s: (s.start, s.end))
    return sorted(chosen, key=lambda s: s.start)


def highlight(
    text: str,
    offset: int,
    spans: Sequence[Span],
    title: Callable[[Span], str],
    *,
    window: tuple[int, int] | None = None,
) -> Markup:
    """``text`` (which starts at body offset ``offset``) as escaped HTML with ``<mark>`` hits.

    Spans whose offsets do not point at their ``matched`` words are not marked. With ``window``
    (start, end relative to ``text``) only that part is shown, with an ellipsis where cut.
    """
    low, high = window if window is not None else (0, len(text))
    pieces: list[Markup] = [Markup(ELLIPSIS)] if low > 0 else []
    position = low
    for span in choose(spans):
        start, end = span.start - offset, span.end - offset
        if start < position or end > high or text[start:end] != span.matched or start >= end:
            continue
        css = "hit" if span.status == COUNTED else "hit off"
        pieces.append(escape(text[position:start]))
        pieces.append(
            Markup('<mark class="{}" title="{}">{}</mark>').format(
                css, title(span), text[start:end]
            )
        )
        position = end
    pieces.append(escape(text[position:high]))
    if high < len(text):
        pieces.append(Markup(ELLIPSIS))
    return Markup("").join(pieces)


def excerpt_window(text: str, offset: int, spans: Sequence[Span], width: int) -> tuple[int, int]:
    """A window of about ``width`` characters around the first counted span, cut at spaces."""
    if len(text) <= width:
        return 0, len(text)
    counted = [s for s in choose(spans) if s.status == COUNTED] or list(choose(spans))
    centre = counted[0].start - offset if counted else 0
    start = max(0, min(centre - width // 3, len(text) - width))
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    return start, end
