"""Split optional YAML front matter off a transcript's text.

The text (already LF/NFC-normalised, BOM removed) has front matter when its first line is
``---``; the YAML runs to the next line that is ``---`` or ``...`` (trailing spaces are allowed
on both). It is parsed with :class:`yaml.BaseLoader`, so every scalar stays the string that was
written (``2024-03-12`` stays a string, ``yes`` is not a boolean). Keys are stripped but keep
their case; a list value becomes its items joined with ``"; "``. The ``interviewer`` key (any
case) also gives the interviewer's speaker labels. The body starts right after the newline that
ends the closing line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from qualcode.errors import IngestError

#: Front-matter key whose value names the interviewer's speaker label(s).
INTERVIEWER_KEY = "interviewer"
#: Separator for list values.
LIST_SEPARATOR = "; "

_OPENING = re.compile(r"---[ \t]*(?:\n|$)")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A document's attributes, interviewer labels from ``interviewer``, and its body.

    ``body_offset`` is where the body starts in the text that was split.
    """

    attributes: dict[str, str]
    interviewers: tuple[str, ...]
    body: str
    body_offset: int


def split_front_matter(text: str, *, filename: str) -> FrontMatter:
    """Split ``text`` into front matter and body; raise :class:`IngestError` if it is invalid."""
    opening = _OPENING.match(text)
    if opening is None:
        return FrontMatter({}, (), text, 0)
    yaml_start = opening.end()
    closing = _CLOSING.search(text, yaml_start) if opening.group().endswith("\n") else None
    if closing is None:
        raise IngestError(
            f"{filename}: front matter not closed (the first line is '---' but no later line "
            "is '---')"
        )
    body_offset = closing.end()
    if text.startswith("\n", body_offset):
        body_offset += 1
    data = _load_yaml(text[yaml_start : closing.start()], filename)
    attributes: dict[str, str] = {}
    interviewers: tuple[str, ...] = ()
    for raw_key, value in data.items():
        key = _key(raw_key, filename)
        items = _value_items(key, value, filename)
        attributes[key] = LIST_SEPARATOR.join(items)
        if key.casefold() == INTERVIEWER_KEY:
            interviewers = tuple(item.strip() for item in items if item.strip())
    return FrontMatter(attributes, interviewers, text[body_offset:], body_offset)


def _load_yaml(source: str, filename: str) -> dict[object, object]:
    try:
        data = yaml.load(source, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise IngestError(f"{filename}: front matter is not valid YAML{where}: {problem}") from None
    except RecursionError:  # e.g. thousands of nested [ ]: one bad file, not a crashed run
        raise IngestError(f"{filename}: front matter is nested too deeply") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise IngestError(
            f"{filename}: front matter must be a mapping of 'key: value' lines, not a {_kind(data)}"
        )
    return data


def _key(raw_key: object, filename: str) -> str:
    if not isinstance(raw_key, str) or not raw_key.strip():
        raise IngestError(f"{filename}: front matter keys must be non-empty text")
    return raw_key.strip()


def _value_items(key: str, value: object, filename: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [str(item) for item in value]
    raise IngestError(
        f"{filename}: front matter value of '{key}' must be text or a list of texts, "
        "not a nested structure"
    )


def _kind(data: object) -> str:
    if isinstance(data, list):
        return "list"
    if isinstance(data, str):
        return "plain text"
    return type(data).__name__
