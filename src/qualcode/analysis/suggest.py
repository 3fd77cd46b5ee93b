"""Candidate keywords: terms over-represented in the segments that carry a code.

Segments are tokenised with the codebook's own matcher, so terms are *keys* (``membina`` and
``pembinaan`` both count as ``bina``), the same unit a keyword matches on. Stop words, punctuation,
numbers and keys shorter than :data:`MIN_KEY` letters are skipped. Two-word phrases are pairs of
adjacent words that are not stop words, or that make a keyword of the codebook (``kerja sama``:
``sama`` is a stop word). Each term keeps the surface forms it was seen as, and says which
codes' keywords already cover it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.analysis.keyness import keyness
from qualcode.matching.rules import KEYWORD, LOWER, NORM, ORTH, TOKENS

if TYPE_CHECKING:
    from qualcode.matching.engine import CodebookMatcher

Unit = tuple[str, int]  # (document, segment)
MIN_KEY = 3
_WORDLIKE = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")

#: Review decisions understood (a reviews.csv ``decision`` column).
ACCEPT, REJECT, ADD = "accept", "reject", "add"


@dataclass
class TermCounts:
    """Term counts of a set of segments: word and phrase keys, surface forms, segments."""

    words: Counter[str] = field(default_factory=Counter)
    phrases: Counter[str] = field(default_factory=Counter)
    forms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    segments: dict[str, set[Unit]] = field(default_factory=lambda: defaultdict(set))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate term. ``covered``: codes whose keywords match it; ``part_of``: codes with a
    keyword phrase that contains it."""

    term: str
    kind: str  # "word" | "phrase"
    target: int
    reference: int
    segments: int  # target segments it occurs in
    score: float
    forms: tuple[tuple[str, int], ...]
    covered: tuple[str, ...]
    part_of: tuple[str, ...]


def keyword_phrases(matcher: CodebookMatcher) -> frozenset[str]:
    """Two-word keys of the codebook's keywords: counted as phrases even with a stop word."""
    covered, _part = codebook_terms(matcher)
    return frozenset(term for term in covered if len(term.split()) == 2)


def count_terms(
    matcher: CodebookMatcher, texts: Iterable[tuple[Unit, str]], stop_keys: frozenset[str]
) -> TermCounts:
    """Word and two-word-phrase keys of each text (see the module docstring for what is kept)."""
    phrases = keyword_phrases(matcher)
    counts = TermCounts()
    for unit, text in texts:
        doc = matcher.make_doc(text)
        previous: tuple[str, str, bool] | None = None
        for token in doc:
            if token.is_space:
                continue
            key = token.norm_
            surface = token.text.lower()
            if not _WORDLIKE.match(surface) or token.like_num:
                previous = None
                continue
            stop = key in stop_keys or len(key) < MIN_KEY
            if not stop:
                counts.words[key] += 1
                counts.forms[key][surface] += 1
                counts.segments[key].add(unit)
            if previous is not None:
                phrase = f"{previous[0]} {key}"
                if not (stop or previous[2]) or phrase in phrases:
                    counts.phrases[phrase] += 1
                    counts.forms[phrase][f"{previous[1]} {surface}"] += 1
                    counts.segments[phrase].add(unit)
            previous = (key, surface, stop)
    return counts


#: Spoken-language particles and interjections spaCy's stop lists lack.
FILLERS = {
    "id": frozenset(
        {
            "aja", "saja", "sih", "dong", "deh", "kok", "nih", "tuh", "loh", "lho", "ya", "yah",
            "iya", "gitu", "gini", "kayak", "kaya", "emang", "memang", "hehe", "haha", "wah",
            "nah", "oh", "eh", "ah", "hmm", "eee", "nggak", "gak", "enggak", "ga", "udah",
            "sudah", "banget", "bener", "pak", "bu", "mas", "mbak", "dik", "kak",
        }
    ),
    "en": frozenset(
        {"yeah", "yes", "okay", "ok", "um", "uh", "hmm", "oh", "well", "like", "mean", "know"}
    ),
}  # fmt: skip


def stop_keys(matcher: CodebookMatcher) -> frozenset[str]:
    """The keys of the language's stop words and fillers (and the words themselves)."""
    from qualcode.matching.normaliser import stop_words

    language = matcher.codebook.language
    words = stop_words(language) | FILLERS.get(language, frozenset())
    return frozenset(words) | frozenset(matcher.normaliser.key(w) for w in words)


def codebook_terms(matcher: CodebookMatcher) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Term -> codes whose keywords match it, and word key -> codes with a phrase holding it."""
    covered: dict[str, set[str]] = defaultdict(set)
    part: dict[str, set[str]] = defaultdict(set)
    key = matcher.normaliser.key
    for variant in matcher.variants:
        rule = matcher.rules[variant.rule]
        if rule.kind != KEYWORD:
            continue
        if variant.matcher == NORM:
            keys = list(variant.keys)
        elif variant.matcher in (LOWER, ORTH, TOKENS):
            keys = [key(w) for w in variant.words]
        else:  # pragma: no cover - every matcher kind is handled above
            continue
        if not keys:
            continue
        covered[" ".join(keys)].add(rule.code)
        if len(keys) > 1:
            for word_key in keys:
                part[word_key].add(rule.code)
    return covered, part


def suggest_terms(
    matcher: CodebookMatcher,
    texts: Sequence[tuple[Unit, str]],
    target: set[Unit],
    *,
    method: str = "g2",
    min_count: int = 2,
    top: int = 20,
) -> list[Suggestion]:
    """Terms of the ``target`` segments most over-represented against the other ``texts``."""
    stops = stop_keys(matcher)
    inside = count_terms(matcher, ((u, t) for u, t in texts if u in target), stops)
    outside = count_terms(matcher, ((u, t) for u, t in texts if u not in target), stops)
    covered, part = codebook_terms(matcher)
    ranked = [
        (row, "word")
        for row in keyness(inside.words, outside.words, method=method, min_count=min_count)
    ] + [
        (row, "phrase")
        for row in keyness(inside.phrases, outside.phrases, method=method, min_count=min_count)
    ]
    ranked.sort(key=lambda pair: (-pair[0].score, -pair[0].target, pair[0].term))
    suggestions: list[Suggestion] = []
    for row, kind in ranked:
        if row.score <= 0 or len(suggestions) >= top:
            break
        forms = tuple(sorted(inside.forms[row.term].items(), key=lambda f: (-f[1], f[0]))[:3])
        words = row.term.split()
        part_of = set().union(*(part.get(w, set()) for w in words)) if kind == "word" else set()
        suggestions.append(
            Suggestion(
                row.term,
                kind,
                row.target,
                row.reference,
                len(inside.segments[row.term]),
                row.score,
                forms,
                tuple(sorted(covered.get(row.term, set()))),
                tuple(sorted(part_of - covered.get(row.term, set()))),
            )
        )
    return suggestions


def apply_decisions(
    coded: Mapping[Unit, set[str]], decisions: Iterable[tuple[Unit, str, str]]
) -> dict[Unit, set[str]]:
    """Codes per segment after review: ``reject`` removes a code, ``add`` adds one.

    ``accept`` (and anything else) keeps what the auto-coder did. Later decisions win.
    """
    result = {unit: set(codes) for unit, codes in coded.items()}
    for unit, code, decision in decisions:
        if decision == REJECT:
            result.get(unit, set()).discard(code)
        elif decision == ADD:
            result.setdefault(unit, set()).add(code)
    return result


def carrying(coded: Mapping[Unit, set[str]], code: str) -> set[Unit]:
    """Segments that carry ``code`` or one of its descendants."""
    return {
        unit
        for unit, codes in coded.items()
        if any(c == code or c.startswith(code + ".") for c in codes)
    }
