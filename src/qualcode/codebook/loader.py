"""Load a codebook file: YAML -> validated :class:`Codebook`, with every problem located.

All problems are collected and raised together as one :class:`CodebookError` whose ``details``
hold one line each, e.g. ``codebooks/x.yaml:41: codes -> strategi -> keywords -> 4: ...``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from qualcode.codebook.schema import USER_FIELDS, YAML_BOOL_HINT, Codebook
from qualcode.errors import CodebookError

Loc = tuple[str | int, ...]
#: A codebook may use YAML aliases, but not to build more values than this (billion laughs).
MAX_EXPANDED_NODES = 1_000_000


def load_codebook(
    path: str | Path, *, valid_patterns: set[str] | None = None, check_patterns: bool = True
) -> Codebook:
    """Read and validate the codebook at ``path``; CodebookError lists every problem.

    ``valid_patterns``: token patterns (:func:`pattern_text`) already found valid by this
    spaCy, which are not checked again (spaCy takes half a second to import); the patterns
    found valid now are added to it. ``check_patterns=False`` skips spaCy's check of token
    patterns altogether, for a reader that never runs them (a report reading the copy the run
    checked).
    """
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(f"{path}: codebook not found") from None
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read codebook ({exc.strerror})") from None
    return parse_codebook(
        raw_bytes, source=str(path), valid_patterns=valid_patterns, check_patterns=check_patterns
    )


def parse_codebook(
    raw_bytes: bytes,
    *,
    source: str = "<codebook>",
    valid_patterns: set[str] | None = None,
    check_patterns: bool = True,
) -> Codebook:
    """Validate codebook YAML given as bytes. ``source`` names it in messages."""
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(
            f"{source}: codebook is not UTF-8 (bad byte at offset {exc.start}); save it as UTF-8"
        ) from None
    # Transcripts are NFC before matching; a keyword typed in NFD (macOS) must be too (A7).
    text = unicodedata.normalize("NFC", text)
    try:
        node, data = _compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"{source}{where}: not valid YAML: {problem}") from None
    except RecursionError:  # the pure-Python parser on thousands of nested [ ]
        raise CodebookError(f"{source}: not valid YAML: nested too deeply") from None
    if not isinstance(data, dict):
        raise CodebookError(
            f"{source}: a codebook must be a YAML mapping with name, language, codes"
        )

    lines = _line_numbers(node) if node is not None else {}
    codebook, problems = validate_data(
        data, valid_patterns=valid_patterns, check_patterns=check_patterns
    )
    if problems:
        details = sorted(
            {_format(source, loc, message, data, lines) for loc, message in problems},
            key=_line_sort_key,
        )
        noun = "problem" if len(details) == 1 else "problems"
        raise CodebookError(f"{source}: {len(details)} {noun} in the codebook", details=details)
    assert codebook is not None
    digest = hashlib.sha256(raw_bytes).hexdigest()
    return codebook.model_copy(update={"path": source, "sha256": digest})


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once (with libyaml when available): the node tree for line numbers, and the data."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > MAX_EXPANDED_NODES:
            raise yaml.YAMLError(
                f"its aliases (*name) expand to more than {MAX_EXPANDED_NODES:,} values "
                "(an entity-expansion attack?)"
            )
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the tree has with every alias expanded (a shared node counts once per
    use), computed without expanding, so a "billion laughs" of nested aliases is caught."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # being sized: meeting one again is a recursive alias
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_sized = stack.pop()
        ident = id(node)
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [item for pair in node.value for item in pair]
        else:
            sizes[ident] = 1
            continue
        if children_sized:
            sizes[ident] = 1 + sum(sizes[id(child)] for child in children)
            open_nodes.discard(ident)
        elif ident not in sizes:
            if ident in open_nodes:
                raise yaml.YAMLError("an alias (*name) refers to a value that contains it")
            open_nodes.add(ident)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def validate_data(
    data: dict[str, Any], *, valid_patterns: set[str] | None = None, check_patterns: bool = True
) -> tuple[Codebook | None, list[tuple[Loc, str]]]:
    """Validate a codebook given as plain data (from YAML or a spreadsheet).

    Returns the codebook (None if invalid) and every problem as ``(location, message)``, the
    location being the path of keys/indexes into ``data``; the caller says where that is.
    ``valid_patterns``, ``check_patterns``: see :func:`load_codebook`.
    """
    problems: list[tuple[Loc, str]] = []
    codebook: Codebook | None = None
    try:
        codebook = Codebook.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        inner = [tuple(e["loc"]) for e in errors]
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "too_short" and any(
                len(other) > len(loc) and other[: len(loc)] == loc for other in inner
            ):
                continue  # pydantic's echo of a failed item, not a problem of its own
            problems.append((loc, _message(error, loc)))
    problems.extend(_tree_problems(data))
    if check_patterns:
        known = set() if valid_patterns is None else valid_patterns
        problems.extend(_pattern_problems(data, known))
    return (None if problems else codebook), problems


def _message(error: Any, loc: Loc) -> str:
    if error["type"] == "extra_forbidden" and loc:
        key = str(loc[-1])
        allowed = USER_FIELDS.get(_kind_at(loc[:-1]) or "", ())
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown key '{key}'{hint}; allowed: {', '.join(allowed)}"
    if error["type"] == "missing":
        return "required but missing"
    if error["type"] == "string_too_short":
        return "must not be empty"
    if error["type"] == "string_type" and isinstance(error.get("input"), bool):
        return YAML_BOOL_HINT
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _kind_at(loc: Loc) -> str | None:
    """Which kind of mapping sits at ``loc``: codebook, code, keyword or pattern."""
    kind = "codebook"
    index = 0
    while index < len(loc):
        key = loc[index]
        nxt = loc[index + 1] if index + 1 < len(loc) else None
        if key in ("codes", "children") and isinstance(nxt, int):
            kind, index = "code", index + 2
        elif key == "keywords" and isinstance(nxt, int):
            kind, index = "keyword", index + 2
        elif key == "patterns" and isinstance(nxt, int):
            kind, index = "pattern", index + 2
        else:
            return None
    return kind


def _tree_problems(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Checks across codes: ids unique and nested under their parent's id."""
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, Loc] = {}

    def visit(codes: Any, loc: Loc, parent_id: str | None) -> None:
        if not isinstance(codes, list):
            return
        for index, code in enumerate(codes):
            if not isinstance(code, dict):
                continue
            here = (*loc, index)
            code_id = code.get("id")
            if isinstance(code_id, str):
                if code_id in seen:
                    problems.append(((*here, "id"), f"duplicate code id '{code_id}'"))
                seen.setdefault(code_id, here)
                if parent_id is not None and not code_id.startswith(parent_id + "."):
                    problems.append(
                        (
                            (*here, "id"),
                            f"'{code_id}' must start with its parent's id '{parent_id}.'",
                        )
                    )
            visit(
                code.get("children"),
                (*here, "children"),
                code_id if isinstance(code_id, str) else None,
            )

    visit(data.get("codes"), ("codes",), None)
    return problems


def pattern_text(tokens: list[Any]) -> str:
    """A token pattern as one canonical text (how known-valid patterns are stored)."""
    return json.dumps(tokens, sort_keys=True, ensure_ascii=False)


def _pattern_problems(data: dict[str, Any], valid: set[str]) -> list[tuple[Loc, str]]:
    """Validate token patterns with spaCy's own validator (on the raw tree, so all are checked).

    A pattern in ``valid`` is not checked again; one found valid here is added to it. spaCy is
    imported only when a pattern has to be checked."""
    problems: list[tuple[Loc, str]] = []
    for _code_id, loc in _code_locs(data.get("codes"), ("codes",)):
        code = _child_at(data, loc)
        patterns = code.get("patterns") if isinstance(code, dict) else None
        if not isinstance(patterns, list):
            continue
        for index, item in enumerate(patterns):
            tokens = item.get("pattern") if isinstance(item, dict) else item
            if not isinstance(tokens, list) or not all(isinstance(t, dict) for t in tokens):
                continue  # the schema reports the wrong shape
            try:
                text = pattern_text(tokens)
            except (TypeError, ValueError):  # not JSON-like: spaCy's validator says what is wrong
                text = None
            if text is not None and text in valid:
                continue
            from spacy.schemas import validate_token_pattern

            messages = validate_token_pattern(tokens)
            for message in messages:
                problems.append(
                    ((*loc, "patterns", index), f"invalid spaCy pattern: {message.strip()}")
                )
            if not messages and text is not None:
                valid.add(text)
    return problems


def _child_at(data: Any, loc: Loc) -> Any:
    node = data
    for key in loc:
        node = _child(node, key)
    return node


def _code_locs(codes: Any, loc: Loc) -> Iterable[tuple[str, Loc]]:
    if not isinstance(codes, list):
        return
    for index, code in enumerate(codes):
        if isinstance(code, dict):
            here = (*loc, index)
            if isinstance(code.get("id"), str):
                yield code["id"], here
            yield from _code_locs(code.get("children"), (*here, "children"))


def _format(source: str, loc: Loc, message: str, data: Any, lines: dict[Loc, int]) -> str:
    line = None
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            line = lines[loc[:end]]
            break
    where = f"{source}:{line}" if line else source
    path = _display_path(loc, data)
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def _display_path(loc: Loc, data: Any) -> str:
    """`codes -> strategi -> keywords -> 4`: list items under codes/children shown by their id."""
    parts: list[str] = []
    node = data
    previous: str | int | None = None
    for key in loc:
        shown: str | int = key
        if isinstance(key, int) and previous in ("codes", "children"):
            item = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                shown = item["id"]
        parts.append(str(shown))
        node = _child(node, key)
        previous = key
    return " -> ".join(parts)


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _line_numbers(node: yaml.Node, loc: Loc = ()) -> dict[Loc, int]:
    """Map every path in the YAML tree to the 1-based line where it starts."""
    lines: dict[Loc, int] = {loc: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            here = (*loc, key_node.value)
            lines.update(_line_numbers(value_node, here))
            lines[here] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_numbers(item, (*loc, index)))
    return lines


def _line_sort_key(detail: str) -> tuple[int, str]:
    head = detail.split(": ", 1)[0]
    number = head.rsplit(":", 1)[-1]
    return (int(number) if number.isdigit() else 0, detail)
