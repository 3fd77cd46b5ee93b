"""Phrase rules matched on plain words: what spaCy's matchers find, without spaCy.

A text found in the token cache is a list of words. Rebuilding spaCy Docs from them (and giving
every token its key) costs more than matching them directly, so a re-match of phrase rules on
cached texts runs here. It gives exactly the matches spaCy's PhraseMatcher gives on the Doc of
those words (tested against it): at every token, every pattern whose words equal the tokens'
attribute there, overlapping matches included. A pattern compares one attribute per token:

* NORM: the token's matching key (its normalised form, see :mod:`qualcode.matching.normaliser`);
* LOWER: the token's text lowercased (spaCy's LOWER is ``str.lower``);
* ORTH: the token's text.

A prefix keyword (``pinjol*``) is a spaCy token pattern: its words compared on NORM, the last
one's lowercase text on a ``^prefix`` regex. It is matched here too (PREFIX), as spaCy's Matcher
matches it: once per start, where the last word starts with the prefix.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from qualcode.matching.rules import LOWER, NORM, ORTH, TOKENS, Variant

#: A prefix keyword's pattern: NORM keys, then the last word's lowercase prefix.
PREFIX = "PREFIX"
#: (variant index, attribute, the attribute's value per word of the phrase)
Pattern = tuple[int, str, tuple[str, ...]]
#: A match as (variant index, start token, end token).
Match = tuple[int, int, int]


def phrase_pattern(variant: Variant) -> tuple[str, tuple[str, ...]] | None:
    """What a variant's words are compared on, and the values, word by word; None for a token
    pattern that is not a prefix keyword's."""
    if variant.matcher == NORM:
        return NORM, variant.keys
    if variant.matcher == LOWER:
        return LOWER, tuple(word.lower() for word in variant.words)
    if variant.matcher == ORTH:
        return ORTH, variant.words
    if variant.matcher != TOKENS or not variant.words:
        return None
    if len(variant.tokens) != len(variant.words):
        return None
    *head, last = variant.tokens
    prefix = variant.words[-1].lower()
    if last != {"LOWER": {"REGEX": "^" + re.escape(prefix)}}:
        return None
    if not all(list(token) == ["NORM"] and isinstance(token["NORM"], str) for token in head):
        return None
    return PREFIX, (*(str(token["NORM"]) for token in head), prefix)


@functools.lru_cache(maxsize=100_000)
def is_punct(text: str) -> bool:
    """spaCy's IS_PUNCT: every character is Unicode punctuation (true of an empty text)."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class PhraseIndex:
    """Phrase patterns by the first word they compare, for matching lists of words."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self._first: dict[tuple[str, str], list[Pattern]] = {}
        self._prefixes: list[Pattern] = []  # one-word prefix keywords: checked on every word
        for pattern in patterns:
            _, attribute, values = pattern
            if attribute not in (NORM, LOWER, ORTH, PREFIX) or not values:
                raise ValueError(f"not a phrase pattern: {pattern!r}")
            if attribute == PREFIX and len(values) == 1:
                self._prefixes.append(pattern)
            else:  # a longer prefix keyword starts with a word compared on NORM
                first = NORM if attribute == PREFIX else attribute
                self._first.setdefault((first, values[0]), []).append(pattern)
        self._starting: dict[str, tuple[Pattern, ...]] = {}

    def starting(self, word: str, key_of: Callable[[str], str]) -> tuple[Pattern, ...]:
        """The patterns that can start at ``word``, in the order spaCy's matchers run: NORM,
        LOWER, ORTH, then prefix keywords (kept per word)."""
        found = self._starting.get(word)
        if found is None:
            first = self._first
            lower = word.lower()
            by_key = first.get((NORM, key_of(word)), ())
            found = self._starting[word] = (
                *(pattern for pattern in by_key if pattern[1] == NORM),
                *first.get((LOWER, lower), ()),
                *first.get((ORTH, word), ()),
                *(pattern for pattern in by_key if pattern[1] == PREFIX),
                *(pattern for pattern in self._prefixes if lower.startswith(pattern[2][0])),
            )
        return found

    def starting_each(
        self, words: Sequence[str], key_of: Callable[[str], str]
    ) -> list[tuple[Pattern, ...]]:
        """:meth:`starting` of each word."""
        known = self._starting
        return [known[w] if w in known else self.starting(w, key_of) for w in words]

    def matches(
        self,
        words: Sequence[str],
        starting: Sequence[tuple[Pattern, ...]],
        key_of: Callable[[str], str],
    ) -> list[Match]:
        """Every match in ``words``; ``starting`` holds :meth:`starting` of each word."""
        found: list[Match] = []
        size = len(words)
        for start, patterns in enumerate(starting):
            for variant, attribute, values in patterns:
                end = start + len(values)
                if end > size:
                    continue
                last = len(values) - 1
                for offset in range(1, len(values)):
                    word = words[start + offset]
                    if attribute == LOWER:
                        same = word.lower() == values[offset]
                    elif attribute == ORTH:
                        same = word == values[offset]
                    elif attribute == PREFIX and offset == last:
                        same = word.lower().startswith(values[offset])
                    else:  # NORM, or a prefix keyword's words before the last
                        same = key_of(word) == values[offset]
                    if not same:
                        break
                else:
                    found.append((variant, start, end))
        return found
