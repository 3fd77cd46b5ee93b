"""Compile a codebook's keywords, patterns and not_within phrases into matchable rules.

A keyword can stand for several *variants* (its own words, the joined spelling of a phrase, the
split spelling of a compound); each variant becomes its own entry in a spaCy matcher, and every
entry points back to the :class:`Rule` it came from, so each hit says which rule fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.codebook.schema import Code, Codebook, Keyword
from qualcode.matching.normaliser import PLAIN_WORD, WORD, Normaliser

#: Matchers a variant can go to.
NORM, LOWER, ORTH, TOKENS = "NORM", "LOWER", "ORTH", "TOKENS"

KEYWORD, PATTERN, NOT_WITHIN = "keyword", "pattern", "not_within"

DEFAULT_NEGATORS = {
    "id": ("tidak", "tak", "bukan", "belum", "tanpa", "gak", "nggak", "enggak", "ga", "ndak"),
    "en": ("not", "no", "never", "without", "n't", "nor", "none", "cannot"),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written in the codebook."""

    code: str
    kind: str  # KEYWORD | PATTERN | NOT_WITHIN
    text: str  # the keyword or pattern as written (a pattern by its name or its tokens)
    mode: str  # stem | exact | case | prefix | pattern | not_within
    negative: bool = False  # the rule itself holds a negator ("tidak ada pembinaan")

    def describe(self) -> str:
        return f"{self.kind}: {self.text}"


@dataclass(frozen=True, slots=True)
class Variant:
    """One spelling of a rule, as the matcher sees it."""

    rule: int  # index into the rule list
    matcher: str  # NORM | LOWER | ORTH | TOKENS
    words: tuple[str, ...]  # surface words (for the phrase matchers)
    keys: tuple[str, ...]  # normalised keys (what is compared, for NORM)
    note: str = ""  # "joined", "split" or ""
    tokens: tuple[dict[str, Any], ...] = ()  # a token pattern (for TOKENS)


def words_of(text: str, tokenize: Callable[[str], Sequence[str]]) -> tuple[str, ...]:
    return tuple(w for w in tokenize(text) if w.strip())


def rule_texts(codebook: Codebook) -> list[str]:
    """Every keyword and phrase text of the codebook (what needs tokenizing), deduplicated."""
    texts: list[str] = []
    for code in codebook.walk():
        texts.extend(keyword.text for keyword in code.keywords)
        texts.extend(code.not_within)
    return list(dict.fromkeys(texts))


def compile_rules(
    codebook: Codebook,
    normaliser: Normaliser,
    tokenize: Callable[[str], Sequence[str]],
) -> tuple[list[Rule], list[Variant]]:
    """Every rule of every code, in codebook order, and the variants the matchers index."""
    rules: list[Rule] = []
    variants: list[Variant] = []
    negator_keys = negators(codebook, normaliser)
    for code in codebook.walk():
        for keyword in code.keywords:
            words = words_of(keyword.text, tokenize)
            keys = tuple(normaliser.key(w) for w in words)
            mode = _keyword_mode(keyword)
            negative = any(k in negator_keys for k in keys)
            rules.append(Rule(code.id, KEYWORD, keyword.label(), mode, negative))
            variants.extend(_keyword_variants(len(rules) - 1, keyword, words, normaliser))
        for pattern in code.patterns:
            negative = _pattern_mentions(pattern.pattern, negator_keys)
            rules.append(Rule(code.id, PATTERN, pattern.label(), "pattern", negative))
            variants.append(Variant(len(rules) - 1, TOKENS, (), (), tokens=tuple(pattern.pattern)))
        for phrase in code.not_within:
            words = words_of(phrase, tokenize)
            rules.append(Rule(code.id, NOT_WITHIN, phrase, "not_within"))
            keys = tuple(normaliser.key(w) for w in words)
            variants.append(Variant(len(rules) - 1, NORM, words, keys))
    return rules, variants


def _keyword_mode(keyword: Keyword) -> str:
    if keyword.prefix:
        return "prefix"
    if keyword.exact:
        return "case" if keyword.case_sensitive else "exact"
    return "stem"


def _keyword_variants(
    rule: int, keyword: Keyword, words: tuple[str, ...], normaliser: Normaliser
) -> Iterable[Variant]:
    if keyword.prefix:
        *head, last = words
        tokens: list[dict[str, Any]] = [{"NORM": normaliser.key(w)} for w in head]
        tokens.append({"LOWER": {"REGEX": "^" + re.escape(last.lower())}})
        yield Variant(rule, TOKENS, words, (), tokens=tuple(tokens))
        return
    if keyword.exact:
        matcher = ORTH if keyword.case_sensitive else LOWER
        yield Variant(
            rule, matcher, words, tuple(w if keyword.case_sensitive else w.lower() for w in words)
        )
        return
    keys = tuple(normaliser.key(w) for w in words)
    yield Variant(rule, NORM, words, keys)
    if normaliser.language != "id":
        return
    if len(words) == 2 and all(PLAIN_WORD.match(w.lower()) for w in words):
        joined = "".join(w.lower() for w in words)
        yield Variant(rule, NORM, (joined,), (normaliser.key(joined),), note="joined")
    if len(words) == 1:
        split = split_compound(words[0], normaliser)
        if split:
            yield Variant(rule, NORM, split, tuple(normaliser.key(w) for w in split), note="split")


def split_compound(word: str, normaliser: Normaliser) -> tuple[str, str] | None:
    """``kerjasama`` -> (kerja, sama) when the word is no root itself but two roots joined."""
    lower = word.lower()
    if not re.fullmatch(r"[a-z]{6,}", lower) or normaliser.is_root(lower):
        return None
    if normaliser.key(lower) != lower and lower not in normaliser.extra_roots:
        return None  # a derived word the stemmer understands (pembinaan), not a compound
    for cut in range(3, len(lower) - 2):
        left, right = lower[:cut], lower[cut:]
        if normaliser.is_root(left) and normaliser.is_root(right):
            return left, right
    return None


def negators(codebook: Codebook, normaliser: Normaliser) -> frozenset[str]:
    """The keys of the codebook's negators (its own list, or the language's default)."""
    words = (
        codebook.negators if codebook.negators is not None else DEFAULT_NEGATORS[codebook.language]
    )
    return frozenset(normaliser.key(w) for w in words)


def _pattern_mentions(tokens: Sequence[dict[str, Any]], keys: frozenset[str]) -> bool:
    def values(obj: Any) -> Iterable[str]:
        if isinstance(obj, str):
            yield obj.lower()
        elif isinstance(obj, dict):
            for v in obj.values():
                yield from values(v)
        elif isinstance(obj, list):
            for v in obj:
                yield from values(v)

    return any(v in keys for token in tokens for v in values(token))


def keyword_roots(codebook: Codebook) -> list[str]:
    """Words of the codebook's stem keywords, and joined two-word phrases: candidate roots."""
    roots: list[str] = []
    for code in codebook.walk():
        roots.extend(_code_roots(code))
    return roots


def _code_roots(code: Code) -> Iterable[str]:
    for keyword in code.keywords:
        if keyword.exact or keyword.prefix:
            continue
        words = [w.lower() for w in WORD.findall(keyword.text)]
        yield from words
        if len(words) == 2:
            yield "".join(words)
