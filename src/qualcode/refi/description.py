"""A code's definition, criteria, examples and rules <-> one readable ``Description`` text.

REFI-QDA gives a code a name, a colour and one free-text Description; qualcode's codebook has
more. :func:`compose` writes everything into the Description as labelled paragraphs that read
well in NVivo, ATLAS.ti or MAXQDA::

    What the code means.

    Include: When to apply it.

    Exclude: When not to apply it.

    Examples:
    - "Kami bekerja sama dengan perbankan."

    Keywords:
    - kerja sama
    - RAT (exact, case-sensitive)

    Patterns:
    - bank keliling: [{"LOWER": "bank"}, {"LOWER": "keliling"}]

    Code ID: strategi.kerjasama

:func:`parse` reads such a text back (from any tool: a Description without labels is all
definition). A label starts a section when it begins the text or follows a blank line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.codebook.schema import Code

SECTIONS = (
    "Include", "Exclude", "Examples", "Keywords", "Patterns", "Not within", "Negation",
    "Minimum hits", "Code ID",
)  # fmt: skip
_LIST_SECTIONS = frozenset({"Examples", "Keywords", "Patterns", "Not within"})
_FLAGS = {
    (True, False): "exact",
    (True, True): "exact, case-sensitive",
    (False, True): "case-sensitive",
}
_KEYWORD = re.compile(
    r"^(?P<text>.+?)(?:\s+\((?P<flags>exact|exact, case-sensitive|case-sensitive)\))?$"
)
_NEGATION_TEXT = {
    "skip": "skip (negated mentions do not count)",
    "only": "only (only negated mentions count)",
}


@dataclass
class ParsedDescription:
    """The parts of a Description; rule lists hold codebook YAML values, ready to validate."""

    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[Any] = field(default_factory=list)
    patterns: list[dict[str, Any]] = field(default_factory=list)
    not_within: list[str] = field(default_factory=list)
    negation: str | None = None
    min_hits: int | None = None
    code_id: str | None = None
    problems: list[str] = field(default_factory=list)


def compose(code: Code) -> str:
    """The Description text of ``code`` (empty when the code has nothing to say)."""
    parts: list[str] = []
    if code.description:
        parts.append(code.description)
    if code.include:
        parts.append(f"Include: {code.include}")
    if code.exclude:
        parts.append(f"Exclude: {code.exclude}")
    if code.examples:
        parts.append(format_list("Examples", code.examples))
    if code.keywords:
        parts.append(format_list("Keywords", [_keyword_line(k) for k in code.keywords]))
    if code.patterns:
        lines = [_pattern_line(p.name, p.pattern) for p in code.patterns]
        parts.append(format_list("Patterns", lines))
    if code.not_within:
        parts.append(format_list("Not within", code.not_within))
    if code.negation != "count":
        parts.append(f"Negation: {_NEGATION_TEXT[code.negation]}")
    if code.min_hits != 1:
        parts.append(f"Minimum hits: {code.min_hits}")
    parts.append(f"Code ID: {code.id}")
    return "\n\n".join(parts)


def format_list(label: str, items: Any) -> str:
    lines = [f"{label}:"]
    for item in items:
        lines.append("- " + str(item).replace("\n", "\n  "))
    return "\n".join(lines)


def _keyword_line(keyword: Any) -> str:
    flags = _FLAGS.get((keyword.exact, keyword.case_sensitive))
    label = str(keyword.label())
    return f"{label} ({flags})" if flags else label


def _pattern_line(name: str | None, pattern: list[dict[str, Any]]) -> str:
    tokens = json.dumps(pattern, ensure_ascii=False)
    return f"{name}: {tokens}" if name else tokens


def parse(text: str) -> ParsedDescription:
    """Split a Description into its parts; unreadable rule lines are listed in ``problems``."""
    result = ParsedDescription()
    for label, lines in split_sections(text, SECTIONS):
        _apply(result, label, lines)
    return result


def split_sections(text: str, labels: Sequence[str]) -> list[tuple[str, list[str]]]:
    """``(label, lines)`` of each section; the text before the first label has label ``""``.

    A line ``Label: text`` starts a section when it begins the text or follows a blank line.
    """
    header = re.compile(rf"^({'|'.join(re.escape(label) for label in labels)}):[ \t]*(.*)$")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    sections: list[tuple[str, list[str]]] = [("", [])]
    previous_blank = True
    for line in text.split("\n"):
        match = header.match(line) if previous_blank else None
        if match:
            sections.append((match.group(1), [match.group(2)] if match.group(2) else []))
        else:
            sections[-1][1].append(line)
        previous_blank = not line.strip()
    return sections


def _apply(result: ParsedDescription, label: str, lines: list[str]) -> None:
    body = "\n".join(lines).strip()
    if label == "":
        result.description = body
    elif label == "Include":
        result.include = _joined(result.include, body)
    elif label == "Exclude":
        result.exclude = _joined(result.exclude, body)
    elif label == "Negation":
        word = body.split(maxsplit=1)[0].lower() if body else ""
        if word in ("count", "skip", "only"):
            result.negation = word
        else:
            result.problems.append(f"Negation '{body}' is not count, skip or only")
    elif label == "Minimum hits":
        if body.isdigit() and int(body) >= 1:
            result.min_hits = int(body)
        else:
            result.problems.append(f"Minimum hits '{body}' is not a whole number >= 1")
    elif label == "Code ID":
        result.code_id = body or None
    elif label in _LIST_SECTIONS:
        items = list_items(lines, split_inline=label in ("Keywords", "Not within"))
        if label == "Examples":
            result.examples.extend(items)
        elif label == "Not within":
            result.not_within.extend(items)
        elif label == "Keywords":
            result.keywords.extend(_keyword(item) for item in items)
        else:
            for item in items:
                pattern = _pattern(item)
                if pattern is None:
                    result.problems.append(f"pattern '{item}' is not a JSON token list")
                else:
                    result.patterns.append(pattern)


def _joined(before: str, more: str) -> str:
    return f"{before}\n\n{more}" if before and more else before or more


def list_items(lines: list[str], *, split_inline: bool) -> list[str]:
    """``- item`` lines (``  `` continues an item); other lines are items of their own."""
    items: list[list[str]] = []
    for line in lines:
        if line.startswith("- ") or line == "-":
            items.append([line[2:]])
        elif line.startswith("  ") and items:
            items[-1].append(line[2:])
        elif line.strip():
            pieces = re.split(r"[;,]", line) if split_inline else [line]
            items.extend([piece] for piece in pieces)
    cleaned = ("\n".join(item).strip() for item in items)
    return [item for item in cleaned if item]


def _keyword(item: str) -> Any:
    match = _KEYWORD.match(item)
    if match is None or not match.group("flags"):
        return item
    flags = match.group("flags")
    keyword: dict[str, Any] = {"text": match.group("text")}
    if flags.startswith("exact"):
        keyword["exact"] = True
    if flags.endswith("case-sensitive"):
        keyword["case_sensitive"] = True
    return keyword


def _pattern(item: str) -> dict[str, Any] | None:
    start = item.find("[")
    if start < 0:
        return None
    name = item[:start].strip().removesuffix(":").strip()
    try:
        tokens = json.loads(item[start:])
    except json.JSONDecodeError:
        return None
    if not isinstance(tokens, list) or not tokens or not all(isinstance(t, dict) for t in tokens):
        return None
    return {"name": name, "pattern": tokens} if name else {"pattern": tokens}
