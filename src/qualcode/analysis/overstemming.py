"""Spot Indonesian keywords the stemmer probably spoiled (``berikan -> ikan``).

Sastrawi strips what looks like an affix and stops at the first root it finds, so a word that can
be read two ways may end up at the wrong root. A keyword's word is *suspect* when its key is a
root word and either

* the key cannot be reached from the word by regular Indonesian affixation (``relawan -> rawan``,
  ``pengen -> ken``): the key is unrelated in form; or
* the word also reads, by regular affixation, as another root that is neither part of the key nor
  contains it, and that root is at least as productive (has at least as many derived forms in
  spaCy's lemma table) as the key: ``berikan`` = ``beri`` + ``-kan`` as well as ``ber-`` +
  ``ikan``.

This is a heuristic for a reviewer: it names the other reading so a person can decide, and it says
nothing about words the stemmer gets wrong without a second reading (``bali -> bal``).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from qualcode.matching.normaliser import PLAIN_WORD, Normaliser, lookups_table

#: Prefixes and the first letters a root may have after them (``None``: any letter).
#: ``me-``/``pe-`` with a nasal drop the root's first consonant before a vowel (membina, memakai
#: <- pakai), which :data:`_NASAL_DROPPED` restores.
_PREFIXES: dict[str, str | None] = {
    "di": None, "ke": None, "se": None, "ber": None, "be": None, "bel": "a", "ter": None,
    "te": "r", "per": None, "pel": "a", "memper": None, "diper": None, "mempe": "r",
    "me": "lmnrwy", "pe": None, "mem": "bfvpaiueo", "pem": "bfvpaiueo",
    "men": "cdjzaiueos", "pen": "cdjzaiueos", "meng": "ghkraiueo", "peng": "ghkraiueo",
    "meny": "aiueo", "peny": "aiueo", "menge": None, "penge": None,
}  # fmt: skip
_NASAL_DROPPED = {"mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k", "peng": "k",
                  "meny": "s", "peny": "s"}  # fmt: skip
_INNER_PREFIXES = ("per", "pe", "pem", "pen", "peng", "peny", "ke", "ber", "se")
_PARTICLES = ("", "lah", "kah", "pun", "tah")
_POSSESSIVES = ("", "nya", "ku", "mu")
_DERIVATIONAL = ("", "kan", "an", "i", "wan", "wati")
_MIN_ROOT = 3


@dataclass(frozen=True, slots=True)
class OverStem:
    """A suspect key: ``word`` became ``key``; ``other`` is the other reading ("" if none)."""

    word: str
    key: str
    other: str

    @property
    def reason(self) -> str:
        if self.other:
            return f"'{self.word}' also reads as '{self.other}'"
        return f"'{self.key}' is a different word, not a form of '{self.word}'"


def _strip_suffixes(word: str) -> set[str]:
    cores = set()
    for particle in _PARTICLES:
        if particle and not word.endswith(particle):
            continue
        rest = word[: len(word) - len(particle)]
        for possessive in _POSSESSIVES:
            if possessive and not rest.endswith(possessive):
                continue
            rest2 = rest[: len(rest) - len(possessive)]
            for suffix in _DERIVATIONAL:
                if suffix and not rest2.endswith(suffix):
                    continue
                core = rest2[: len(rest2) - len(suffix)]
                if len(core) >= _MIN_ROOT:
                    cores.add(core)
    return cores


def _after_prefix(word: str, prefix: str) -> list[str]:
    """The root spellings left after removing ``prefix`` (restoring a dropped consonant)."""
    if not word.startswith(prefix):
        return []
    rest = word[len(prefix) :]
    allowed = _PREFIXES.get(prefix)
    if not rest or (allowed is not None and rest[0] not in allowed):
        return []
    forms = [rest]
    if prefix in _NASAL_DROPPED and rest[0] in "aiueo":
        forms.append(_NASAL_DROPPED[prefix] + rest)
    return forms


def readings(word: str, normaliser: Normaliser) -> set[str]:
    """Root words ``word`` can be formed from by regular affixation (the word itself excluded)."""
    lower = word.lower()
    stems = {lower}
    for prefix in _PREFIXES:
        for rest in _after_prefix(lower, prefix):
            stems.add(rest)
            for inner in _INNER_PREFIXES:
                stems.update(_after_prefix(rest, inner))
    roots = set()
    for stem in stems:
        for core in _strip_suffixes(stem):
            if core != lower and normaliser.is_root(core):
                roots.add(core)
    return roots


@functools.cache
def lemma_productivity(language: str) -> Counter[str]:
    """How many word forms spaCy's lemma table maps to each lemma (a rough "how common")."""
    table = lookups_table(language, "lemma_lookup") or {}
    return Counter(v for v in table.values() if isinstance(v, str))


def over_stemmed(word: str, normaliser: Normaliser) -> OverStem | None:
    """An :class:`OverStem` when the key of ``word`` looks like a stemming error, else None."""
    if normaliser.language != "id":
        return None
    lower = word.lower()
    key, source = normaliser.explain(word)
    if source not in ("stem", "lemma") or key == lower or not PLAIN_WORD.match(lower):
        return None
    if not normaliser.is_root(key):
        return None
    if "-" in lower:  # reduplication (ogah-ogahan -> ogah, sakit-sakitan -> sakit)
        parts = lower.split("-")
        if key in parts or any(key in readings(part, normaliser) for part in parts):
            return None
    roots = readings(lower, normaliser)
    if key not in roots:
        return OverStem(lower, key, "")
    productivity = lemma_productivity(normaliser.language)
    others = sorted(
        (r for r in roots if r != key and len(r) >= len(key) and key not in r and r not in key),
        key=lambda r: (-productivity[r], r),
    )
    if others and productivity[others[0]] >= max(1, productivity[key]):
        return OverStem(lower, key, others[0])
    return None
