"""Imported REFI-QDA codes -> a qualcode codebook (YAML), validated by qualcode's own loader.

Each code's Description is split by :func:`~qualcode.refi.description.parse` into definition,
include/exclude, examples and rules. Its id is the ``Code ID`` the Description names (as
qualcode writes it) when that id is valid, unused and under its parent's id; otherwise the
slugified path of names (``Kerja sama`` under ``strategi`` -> ``strategi.kerja_sama``). Sets
become facets: a set named ``key: value`` gives ``facets: {key: value}``, any other set is
listed under the facet ``set``. Rules that do not validate are dropped with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.codebook.schema import Codebook, Keyword, Pattern
from qualcode.refi import ExchangeError
from qualcode.refi.description import parse
from qualcode.refi.qdc_read import ImportedCode, ImportedCodebook
from qualcode.refi.qdc_write import SET_FACET

_ID = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")


@dataclass
class BuiltCodebook:
    data: dict[str, Any]
    ids: dict[str, str]  # code GUID key -> code id
    paths: dict[str, str]  # code GUID key -> name path ("Strategi / Kerja sama")
    warnings: list[str] = field(default_factory=list)


def slug(name: str) -> str:
    """An id part from a name: ASCII letters and digits joined by ``_`` (``code`` if none)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "code"


def build_codebook(
    book: ImportedCodebook,
    *,
    name: str,
    language: str,
    settings: dict[str, Any] | None = None,
) -> BuiltCodebook:
    """The codebook YAML data for ``book``, with the id given to every code.

    ``settings`` holds codebook fields read from a project (description, version, overrides,
    protect, negators; :mod:`qualcode.refi.settings`).
    """
    built = BuiltCodebook({}, {}, {})
    facets = _facets(book)
    taken: set[str] = set()
    codes = [_code(code, None, "", built, taken, facets) for code in book.codes]
    data: dict[str, Any] = {"name": name.strip() or "Imported codebook", "language": language}
    for key in ("version", "description", "overrides", "protect", "negators"):
        value = (settings or {}).get(key)
        if value or (key == "negators" and value is not None):
            data[key] = value
    data["codes"] = codes
    built.data = data
    return built


def _code(
    code: ImportedCode,
    parent: str | None,
    parent_path: str,
    built: BuiltCodebook,
    taken: set[str],
    facets: dict[str, dict[str, str]],
) -> dict[str, Any]:
    parsed = parse(code.description)
    code_id = _code_id(parsed.code_id, code.name, parent, taken)
    taken.add(code_id)
    built.ids.setdefault(code.key, code_id)
    path = f"{parent_path} / {code.name}" if parent_path else code.name
    built.paths.setdefault(code.key, path)
    built.warnings.extend(f"code '{path}': {problem}; dropped" for problem in parsed.problems)
    entry: dict[str, Any] = {"id": code_id, "name": code.name}
    definition = "\n\n".join(t for t in (parsed.description, code.memo.strip()) if t)
    for key, value in (
        ("description", definition),
        ("include", parsed.include),
        ("exclude", parsed.exclude),
        ("examples", parsed.examples),
        ("color", code.color),
        ("facets", facets.get(code.key)),
        ("keywords", _valid_keywords(parsed.keywords, path, built.warnings)),
        ("patterns", _valid_patterns(parsed.patterns, path, built.warnings)),
        ("not_within", parsed.not_within),
        ("negation", parsed.negation),
        ("min_hits", parsed.min_hits),
    ):
        if value:
            entry[key] = value
    if code.children:
        entry["children"] = [
            _code(item, code_id, path, built, taken, facets) for item in code.children
        ]
    return entry


def _code_id(written: str | None, name: str, parent: str | None, taken: set[str]) -> str:
    if (
        written
        and _ID.match(written)
        and written not in taken
        and (parent is None or written.startswith(parent + "."))
    ):
        return written
    base = slug(name) if parent is None else f"{parent}.{slug(name)}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def _facets(book: ImportedCodebook) -> dict[str, dict[str, str]]:
    facets: dict[str, dict[str, str]] = {}
    for code_set in book.sets:
        key, sep, value = code_set.name.partition(": ")
        if not sep or not key.strip() or not value.strip() or key.strip() == SET_FACET:
            key, value = SET_FACET, code_set.name
        for member in code_set.members:
            mine = facets.setdefault(member, {})
            old = mine.get(key.strip())
            mine[key.strip()] = f"{old}; {value.strip()}" if old else value.strip()
    return facets


def _valid_keywords(items: list[Any], path: str, warnings: list[str]) -> list[Any]:
    valid = []
    for item in items:
        try:
            Keyword.model_validate(item)
        except ValueError as exc:
            warnings.append(f"code '{path}': keyword {item!r} dropped ({_first_error(exc)})")
        else:
            valid.append(item)
    return valid


def _valid_patterns(items: list[dict[str, Any]], path: str, warnings: list[str]) -> list[Any]:
    if not items:
        return []
    from spacy.schemas import validate_token_pattern

    valid = []
    for item in items:
        try:
            Pattern.model_validate(item)
            problems = validate_token_pattern(item["pattern"])
        except ValueError as exc:
            problems = [_first_error(exc)]
        if problems:
            warnings.append(f"code '{path}': pattern dropped ({str(problems[0]).strip()})")
        else:
            valid.append(item)
    return valid


def _first_error(exc: ValueError) -> str:
    return str(exc).strip().splitlines()[-1].strip()


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so that descriptions stay readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def codebook_yaml(data: dict[str, Any], *, header: str = "") -> str:
    """The codebook as YAML text (keys in codebook order), after an optional comment header."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + text


def write_codebook(built: BuiltCodebook, path: Path, *, header: str = "") -> Codebook:
    """Validate the built codebook with qualcode's loader, then write it to ``path``."""
    from qualcode.codebook import parse_codebook
    from qualcode.errors import CodebookError
    from qualcode.fileio import write_text_atomic

    text = codebook_yaml(built.data, header=header)
    try:
        codebook = parse_codebook(text.encode("utf-8"), source=str(path))
    except CodebookError as exc:  # a bug here, not a user mistake: say what failed
        raise ExchangeError(
            f"{path}: the imported codebook does not validate", details=exc.details
        ) from None
    write_text_atomic(path, text)
    return codebook
