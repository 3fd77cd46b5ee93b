"""A document body -> speaker turns -> segments (turns, paragraphs or sentences).

Rules (docs/transcripts.md):

* A *label line* is: optional spaces, an optional timestamp ``[hh:mm:ss]``, ``(hh:mm:ss)`` or
  ``[mm:ss]`` (optionally with ``.ms``), a label, then ``:`` followed by whitespace or the end of
  the line. The label starts with a letter, holds letters, digits, spaces and ``. ' ’ ( ) -``, is
  at most 40 characters and at most 5 words.
* A turn's text starts at the first non-space character after the colon and ends at the last
  non-whitespace character before the next label line; lines without a label (blank lines too)
  continue it. That includes a line that starts with a timestamp but has no label: it stays part
  of the current turn's text, timestamp included.
* Text before the first label line is a turn with an empty speaker.
* A body without any label line is split into its non-empty lines, speaker empty; a timestamp
  at the start of such a line is taken as its time and is not part of its text.
* Turns with no text are skipped; segment numbers count only the segments produced, 1-based, the
  interviewer's too.

Every span is trimmed with :meth:`str.isspace`, so ``body[start:end] == text == text.strip()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qualcode.models import INFORMANT, INTERVIEWER, Segment

#: Labels that mark the interviewer when neither the front matter nor the caller names one.
DEFAULT_INTERVIEWER_LABELS = ("Peneliti", "Pewawancara", "Interviewer", "Moderator")
#: The segment units ``read_document`` accepts.
UNITS = ("turn", "paragraph", "sentence")

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 5

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIMESTAMP = rf"(?:\[(?P<bracketed>{_TIME})\]|\((?P<parenthesised>{_TIME})\))"
_LABEL_LINE = re.compile(
    rf"[ \t]*(?:{_TIMESTAMP}[ \t]*)?"
    r"(?P<label>[^\W\d_](?:[^\W_]|[ .'’()\-]){0,59}):(?=\s|$)"
)
_TIMESTAMP_PREFIX = re.compile(rf"[ \t]*{_TIMESTAMP}")
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = re.compile(rf"[.!?…]+[{re.escape(_CLOSERS)}]*(?=\s)")
#: Abbreviations (lower case, without the final dot) after which a sentence does not end.
ABBREVIATIONS = frozenset(
    {
        *("bpk", "dr", "dra", "drs", "hj", "ir", "jl", "jln", "kab", "kec", "kel", "kh", "mr"),
        *("mrs", "ms", "no", "ny", "prof", "rp", "sdr", "sdri", "st", "tn", "ust", "vs", "yth"),
    }
)
_INITIALS = re.compile(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn: ``body[start:end]`` is its trimmed, non-empty text."""

    speaker: str
    timestamp: str
    start: int
    end: int


def segment_body(
    body: str, *, document: str, unit: str = "turn", interviewers: Sequence[str] = ()
) -> tuple[Segment, ...]:
    """Split ``body`` into numbered segments of ``unit`` (one of :data:`UNITS`).

    ``interviewers`` are the labels (compared case-insensitively) whose turns get
    ``speaker_type`` INTERVIEWER; the caller resolves them with :func:`interviewer_labels`.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")
    keys = {_label_key(label) for label in interviewers}
    segments: list[Segment] = []
    for turn in find_turns(body):
        speaker_type = (
            INTERVIEWER if turn.speaker and _label_key(turn.speaker) in keys else INFORMANT
        )
        for start, end in _unit_spans(body, turn, unit):
            segments.append(
                Segment(
                    document=document,
                    number=len(segments) + 1,
                    speaker=turn.speaker,
                    timestamp=turn.timestamp,
                    start=start,
                    end=end,
                    text=body[start:end],
                    speaker_type=speaker_type,
                )
            )
    return tuple(segments)


def interviewer_labels(
    front_matter: Sequence[str], argument: Sequence[str] = ()
) -> tuple[str, ...]:
    """The front matter's labels if any, else the caller's, else the default labels."""
    for labels in (front_matter, argument):
        cleaned = tuple(label.strip() for label in labels if label.strip())
        if cleaned:
            return cleaned
    return DEFAULT_INTERVIEWER_LABELS


def find_turns(body: str) -> list[Turn]:
    """The speaker turns of ``body`` (see the module docstring), empty ones left out."""
    labelled = [
        (start, match) for start, end in _lines(body) if (match := _label(body, start, end))
    ]
    if not labelled:
        return list(_line_turns(body))
    turns: list[Turn] = []
    preamble = _trim(body, 0, labelled[0][0])
    if preamble:
        turns.append(Turn("", "", *preamble))
    for index, (_, match) in enumerate(labelled):
        stop = labelled[index + 1][0] if index + 1 < len(labelled) else len(body)
        span = _trim(body, match.end(), stop)
        if span:
            turns.append(Turn(_speaker(match), _timestamp(match), *span))
    return turns


def _label(body: str, start: int, end: int) -> re.Match[str] | None:
    match = _LABEL_LINE.match(body, start, end)
    if match is None:
        return None
    label = match.group("label").strip()
    if len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
        return None
    return match


def _speaker(match: re.Match[str]) -> str:
    return " ".join(match.group("label").split())


def _timestamp(match: re.Match[str]) -> str:
    return match.group("bracketed") or match.group("parenthesised") or ""


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _line_turns(body: str) -> Iterator[Turn]:
    """One turn per non-empty line, for a body without labels."""
    for start, end in _lines(body):
        match = _TIMESTAMP_PREFIX.match(body, start, end)
        span = _trim(body, match.end() if match else start, end)
        if span:
            yield Turn("", _timestamp(match) if match else "", *span)


def _unit_spans(body: str, turn: Turn, unit: str) -> Iterator[tuple[int, int]]:
    if unit == "turn":
        yield turn.start, turn.end
        return
    for line_start, line_end in _lines(body, turn.start, turn.end):
        line = _trim(body, line_start, line_end)
        if not line:
            continue
        if unit == "paragraph":
            yield line
        else:
            yield from _sentence_spans(body, *line)


def _sentence_spans(body: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one line: split after . ! ? … (and closing quotes) followed by a space."""
    piece_start = start
    for match in _SENTENCE_END.finditer(body, start, end):
        if match.group().rstrip(_CLOSERS) == "." and _is_abbreviation(
            body, piece_start, match.start()
        ):
            continue
        span = _trim(body, piece_start, match.end())
        if span:
            yield span
        piece_start = match.end()
    span = _trim(body, piece_start, end)
    if span:
        yield span


def _is_abbreviation(body: str, start: int, dot: int) -> bool:
    """Whether the word before the dot at ``dot`` is an initial or a known abbreviation."""
    word_start = dot
    while word_start > start and not body[word_start - 1].isspace():
        word_start -= 1
    word = body[word_start:dot].lstrip("\"'“‘«([")
    return _INITIALS.fullmatch(word) is not None or word.casefold() in ABBREVIATIONS


def _lines(body: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line of ``body[start:end]``, newline excluded."""
    stop = len(body) if end is None else end
    position = start
    while True:
        newline = body.find("\n", position, stop)
        if newline == -1:
            yield position, stop
            return
        yield position, newline
        position = newline + 1


def _trim(body: str, start: int, end: int) -> tuple[int, int] | None:
    """``body[start:end]`` without surrounding whitespace, or None if nothing is left."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
