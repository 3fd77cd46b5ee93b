"""Write a codebook back out: as YAML (the canonical form) or as spreadsheet rows.

Only what differs from the defaults is written, in the order of docs/codebook.md, so a converted
codebook reads like a hand-written one. Output is deterministic: same codebook, same text.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from qualcode.codebook.schema import Code, Codebook, Keyword, Pattern
from qualcode.codebook.tabular import CORE_COLUMNS, EXTRA_COLUMNS

_CODE_DEFAULTS = {name: field.default for name, field in Code.model_fields.items()}


class _Dumper(yaml.SafeDumper):
    """SafeDumper writing multi-line strings as ``|`` blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def keyword_data(keyword: Keyword) -> str | dict[str, Any]:
    if not keyword.exact and not keyword.case_sensitive:
        return keyword.label()
    data: dict[str, Any] = {"text": keyword.label()}
    if keyword.exact:
        data["exact"] = True
    if keyword.case_sensitive:
        data["case_sensitive"] = True
    return data


def pattern_data(pattern: Pattern) -> list[dict[str, Any]] | dict[str, Any]:
    if pattern.name is None:
        return list(pattern.pattern)
    return {"name": pattern.name, "pattern": list(pattern.pattern)}


def code_data(code: Code) -> dict[str, Any]:
    """A code as plain data, defaults left out."""
    data: dict[str, Any] = {"id": code.id, "name": code.name}
    for field in ("description", "include", "exclude"):
        if getattr(code, field):
            data[field] = getattr(code, field)
    if code.examples:
        data["examples"] = list(code.examples)
    if code.color:
        data["color"] = code.color
    if code.facets:
        data["facets"] = dict(code.facets)
    if code.keywords:
        data["keywords"] = [keyword_data(k) for k in code.keywords]
    if code.patterns:
        data["patterns"] = [pattern_data(p) for p in code.patterns]
    if code.not_within:
        data["not_within"] = list(code.not_within)
    if code.negation != _CODE_DEFAULTS["negation"]:
        data["negation"] = code.negation
    if code.min_hits != _CODE_DEFAULTS["min_hits"]:
        data["min_hits"] = code.min_hits
    if code.children:
        data["children"] = [code_data(c) for c in code.children]
    return data


def codebook_data(codebook: Codebook) -> dict[str, Any]:
    data: dict[str, Any] = {"name": codebook.name, "language": codebook.language}
    if codebook.version:
        data["version"] = codebook.version
    if codebook.description:
        data["description"] = codebook.description
    if codebook.overrides:
        data["overrides"] = dict(codebook.overrides)
    if codebook.protect:
        data["protect"] = list(codebook.protect)
    if codebook.negators is not None:
        data["negators"] = list(codebook.negators)
    data["codes"] = [code_data(c) for c in codebook.codes]
    return data


def codebook_yaml(codebook: Codebook, *, comment: str = "") -> str:
    """The codebook as YAML text (``comment`` lines go on top, each prefixed with ``# ``)."""
    body = yaml.dump(
        codebook_data(codebook),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + body


def keyword_cell(keyword: Keyword) -> str:
    label = keyword.label()
    if keyword.exact:
        label += " (exact, case-sensitive)" if keyword.case_sensitive else " (exact)"
    return label


def _examples_cell(examples: tuple[str, ...]) -> str:
    text = "\n".join(examples)
    # One example holding "|" would be split on it when read back; a newline prevents that.
    return text + "\n" if len(examples) == 1 and "|" in text else text


def codebook_rows(codebook: Codebook) -> tuple[list[str], list[list[str]]]:
    """Header and one row per code (depth first); extra columns only when a code uses them."""
    parents = codebook.parent_ids()
    rows: list[dict[str, str]] = []
    for code in codebook.walk():
        row = {
            "id": code.id,
            "parent": parents[code.id] or "",
            "name": code.name,
            "description": code.description,
            "include": code.include,
            "exclude": code.exclude,
            "examples": _examples_cell(code.examples),
            "keywords": "; ".join(keyword_cell(k) for k in code.keywords),
            "not_within": "; ".join(code.not_within),
            "negation": "" if code.negation == "count" else code.negation,
            "min_hits": "" if code.min_hits == 1 else str(code.min_hits),
            "color": code.color or "",
            "facets": "; ".join(f"{k}={v}" for k, v in code.facets.items()),
            "patterns": json.dumps([pattern_data(p) for p in code.patterns], ensure_ascii=False)
            if code.patterns
            else "",
        }
        rows.append(row)
    header = list(CORE_COLUMNS) + [c for c in EXTRA_COLUMNS if any(r[c] for r in rows)]
    return header, [[r[c] for c in header] for r in rows]


def settings_rows(codebook: Codebook) -> list[list[str]]:
    """``key, value`` rows for a spreadsheet's settings sheet."""
    rows = [["key", "value"], ["name", codebook.name], ["language", codebook.language]]
    rows.append(["version", codebook.version])
    rows.append(["description", codebook.description])
    rows.append(["overrides", "; ".join(f"{k}={v}" for k, v in codebook.overrides.items())])
    rows.append(["protect", "; ".join(codebook.protect)])
    if codebook.negators is not None:
        rows.append(["negators", "; ".join(codebook.negators)])
    return rows


def lost_in_csv(codebook: Codebook) -> list[str]:
    """Settings a CSV file cannot hold (it has codes only)."""
    lost = []
    if codebook.version:
        lost.append("version")
    if codebook.description:
        lost.append("description")
    if codebook.overrides:
        lost.append("overrides")
    if codebook.protect:
        lost.append("protect")
    if codebook.negators is not None:
        lost.append("negators")
    return lost
