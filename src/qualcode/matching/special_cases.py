"""spaCy's tokenizer built with only the special cases the texts can need.

The blank Indonesian tokenizer holds ~16,000 special cases (``anak-anak``, ``dll.``, emoticons),
and adding them takes about 1.5 s: every run that tokenizes a text paid it. A special case can
only change the tokens of a text that holds its string: spaCy looks special cases up by a
substring of the text, and its special-case matcher joins adjacent tokens whose texts add up to
the string (whitespace between them aside). So a tokenizer given only the special cases whose
string, without whitespace, occurs in the texts without whitespace tokenizes those texts exactly
as the full one does (tested on transcripts and generated texts). Finding them is a look-up of
each case's three-letter runs in a bitmap of the texts' runs (a superset: a case that is not
there is never left out), so a run of a million words finds them in about 0.1 s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Bitmap size (a power of two) for the texts' three-character runs.
_BUCKETS = 1 << 24
#: Characters hashed at a time (bounds the memory to a few tens of MB for any corpus).
_WINDOW = 1 << 20


def language_defaults(language: str) -> Any:
    """spaCy's language data (tokenizer exceptions, lexical attributes) for ``language``."""
    from spacy.lang.en import English
    from spacy.lang.id import Indonesian

    return {"id": Indonesian.Defaults, "en": English.Defaults}[language]


def _hashes(codes: Any) -> Any:
    """A bucket per run of three code points."""
    import numpy

    codes = codes.astype(numpy.uint32, copy=False)  # products wrap around: fine for a hash
    mixed = codes[:-2] * numpy.uint32(1_000_003) ^ codes[1:-1] * numpy.uint32(8_191)
    return (mixed ^ codes[2:]) & numpy.uint32(_BUCKETS - 1)


def _code_points(text: str) -> Any:
    import numpy

    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)


class SpecialCases:
    """A language's tokenizer exceptions, indexed to find those some texts can need."""

    def __init__(self, rules: Mapping[str, Any]) -> None:
        import numpy

        self.rules = dict(rules)
        self._always: list[str] = []  # shorter than three characters, or holding whitespace
        self._indexed: list[str] = []
        for string in self.rules:
            squeezed = "".join(string.split())
            if len(squeezed) < 3 or squeezed != string:
                self._always.append(string)
            else:
                self._indexed.append(string)
        # Every indexed case's runs, hashed in one pass over the cases joined by a separator:
        # case i's runs are the positions from its offset on, its length less two of them.
        lengths = numpy.array([len(string) for string in self._indexed], dtype=numpy.int64)
        counts = lengths - 2
        offsets = numpy.concatenate([[0], numpy.cumsum(lengths + 1)[:-1]])
        self._starts = numpy.concatenate([[0], numpy.cumsum(counts)[:-1]])
        if len(self._indexed):
            hashed = _hashes(_code_points("\x00".join(self._indexed)))
            within = numpy.arange(int(counts.sum())) - numpy.repeat(self._starts, counts)
            self._grams = hashed[numpy.repeat(offsets, counts) + within]
        else:
            self._grams = numpy.zeros(0, dtype=numpy.uint32)

    def needed_by(self, texts: Iterable[str]) -> set[str]:
        """Every special case that can change the tokens of ``texts`` (and perhaps a few that
        cannot)."""
        import numpy

        squeezed = "".join("".join(text.split()) for text in texts)
        bitmap = numpy.zeros(_BUCKETS, dtype=bool)
        for start in range(0, max(len(squeezed) - 2, 0), _WINDOW):  # windows overlap by two
            codes = _code_points(squeezed[start : start + _WINDOW + 2])
            if len(codes) >= 3:
                bitmap[_hashes(codes)] = True
        needed = set(self._always)
        if len(self._indexed):
            present = numpy.logical_and.reduceat(bitmap[self._grams], self._starts)
            needed.update(
                s for s, keep in zip(self._indexed, present.tolist(), strict=True) if keep
            )
        return needed


@functools.cache
def special_cases(language: str) -> SpecialCases:
    return SpecialCases(language_defaults(language).tokenizer_exceptions)


def build_tokenizer(language: str, vocab: Any, rules: Mapping[str, Any]) -> Any:
    """spaCy's tokenizer for ``language`` as ``spacy.blank`` builds it, with ``rules`` as its
    special cases."""
    from spacy.tokenizer import Tokenizer

    defaults = language_defaults(language)
    prefix_search, suffix_search, infix_finditer = _affix_searches(language)
    return Tokenizer(
        vocab,
        rules=dict(rules),
        prefix_search=prefix_search,
        suffix_search=suffix_search,
        infix_finditer=infix_finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


@functools.cache
def _affix_searches(language: str) -> tuple[Any, Any, Any]:
    """The compiled prefix, suffix and infix searches, as spaCy's tokenizer factory makes them
    (the prefix search as :class:`PrefixSearch`: the same matches, found faster)."""
    from spacy import util

    defaults = language_defaults(language)
    prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
    return (
        PrefixSearch(util.compile_prefix_regex(prefixes)) if prefixes else None,
        util.compile_suffix_regex(suffixes).search if suffixes else None,
        util.compile_infix_regex(infixes).finditer if infixes else None,
    )


class PrefixSearch:
    """``regex.search`` for spaCy's prefix regex, in a fraction of the time.

    spaCy joins its prefixes as ``^p1|^p2|...`` and searches the word with it: Python's ``re``
    then tries every alternative at every position of the word, although those that start with
    ``^`` can only match at the first (about 13 us a word instead of 1). A search finds the
    leftmost match, the first alternative in order at that position, so the same match is
    found by trying the whole regex at the first position only, then, if none matched there,
    searching on from the second position with just the alternatives not anchored by ``^``
    (spaCy's Indonesian prefixes hold one: ``<a([^>]+)>``, the second half of an HTML-tag
    prefix). Regexes this cannot split safely (a multi-line flag, a back-reference) are
    searched as they are.
    """

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self._floating: re.Pattern[str] | None = None
        alternatives = top_level_alternatives(regex.pattern)
        self._safe = (
            alternatives is not None
            and not regex.flags & (re.MULTILINE | re.VERBOSE)
            and not _UNSPLITTABLE.search(regex.pattern)
        )
        if self._safe and alternatives is not None:
            floating = [a for a in alternatives if not a.startswith("^")]
            try:
                if floating:
                    self._floating = re.compile("|".join(floating), regex.flags)
                for alternative in alternatives:  # a wrong split would not compile
                    re.compile(alternative, regex.flags)
            except re.error:
                self._safe = False

    def __call__(self, text: str) -> re.Match[str] | None:
        if not self._safe:
            return self.regex.search(text)
        found = self.regex.match(text)
        if found is None and self._floating is not None:
            found = self._floating.search(text, 1)
        return found


#: What the split cannot keep: a back-reference (group numbers change), an inline flag that
#: turns on MULTILINE or VERBOSE, a comment group.
_UNSPLITTABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux-]*[mx]|\(\?#")


def top_level_alternatives(pattern: str) -> list[str] | None:
    """The alternatives of ``pattern`` split at its top-level ``|`` (outside groups, character
    sets and escapes); None if its brackets do not balance."""
    alternatives: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":  # a set: ends at the first "]" that is not its first member
            index += 1
            if pattern.startswith("^", index):
                index += 1
            if pattern.startswith("]", index):
                index += 1
            while index < len(pattern) and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
            if index >= len(pattern):
                return None
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif char == "|" and depth == 0:
            alternatives.append(pattern[start:index])
            start = index + 1
        index += 1
    if depth:
        return None
    alternatives.append(pattern[start:])
    return alternatives
