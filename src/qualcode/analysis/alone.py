"""How often rules match on their own, outside their code's overlap resolution.

Overlapping hits of one code count once (the longest wins), so a rule with no hits may still
match — only ever inside a longer match of its own code (``kelembagaan*`` inside ``penguatan
kelembagaan``). To tell such a *shadowed* rule from a dead one, each rule is put in a code of its
own in a scratch codebook that keeps the original's normalisation (overrides, protected words,
and all its keywords as extra roots), and matched again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.codebook.schema import Codebook
from qualcode.codebook.writer import keyword_data, pattern_data
from qualcode.models import Document

RuleKey = tuple[str, str]  # (code id, "keyword: text" | "pattern: label")


def _rule_data(codebook: Codebook, rule: RuleKey) -> dict[str, Any] | None:
    code_id, described = rule
    kind, _, text = described.partition(": ")
    code = codebook.code(code_id)
    if kind == "keyword":
        for keyword in code.keywords:
            if keyword.label() == text:
                return {"keywords": [keyword_data(keyword)]}
    elif kind == "pattern":
        for pattern in code.patterns:
            if pattern.label() == text:
                return {"patterns": [pattern_data(pattern)]}
    return None


def scratch_codebook(codebook: Codebook, rules: Sequence[RuleKey]) -> tuple[Codebook, list[str]]:
    """A codebook with one code per rule (ids ``r0``, ``r1``, ...), and those ids in order."""
    from qualcode.codebook.loader import validate_data

    codes: list[dict[str, Any]] = []
    ids: list[str] = []
    for index, rule in enumerate(rules):
        entry = _rule_data(codebook, rule)
        ids.append(f"r{index}")
        if entry is not None:
            codes.append({"id": f"r{index}", "name": rule[1], **entry})
    roots = [keyword_data(k) for c in codebook.walk() for k in c.keywords if not k.prefix]
    if roots:
        codes.append({"id": "roots", "name": "roots", "keywords": roots})
    if not codes:
        codes.append({"id": "empty", "name": "empty"})
    data: dict[str, Any] = {
        "name": "scratch",
        "language": codebook.language,
        "overrides": dict(codebook.overrides),
        "protect": list(codebook.protect),
        "codes": codes,
    }
    scratch, problems = validate_data(data)
    if scratch is None:  # pragma: no cover - rules of a valid codebook stay valid
        raise ValueError(f"scratch codebook is invalid: {problems}")
    return scratch, ids


def hits_alone(
    codebook: Codebook, rules: Sequence[RuleKey], documents: Sequence[Document]
) -> dict[RuleKey, int]:
    """Hits of each rule when it is the only rule of its code (any status)."""
    from qualcode.matching.engine import CodebookMatcher

    if not rules:
        return {}
    scratch, ids = scratch_codebook(codebook, rules)
    matcher = CodebookMatcher(scratch)
    matcher.expect(documents)
    counts = dict.fromkeys(ids, 0)
    for document in documents:
        for hit in matcher.match_document(document):
            if hit.code in counts:
                counts[hit.code] += 1
    return {rule: counts[rule_id] for rule, rule_id in zip(rules, ids, strict=True)}
