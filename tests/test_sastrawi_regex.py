"""Sastrawi with a ``re.sub`` that skips compiling a literal pattern: the same stems, faster."""

from __future__ import annotations

import importlib
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from qualcode.matching import sastrawi_regex
from qualcode.matching.normaliser import Normaliser
from qualcode.matching.sastrawi_regex import VISITOR_MODULES, literal_sub

PREFIXES = ("", "me", "mem", "men", "meng", "meny", "di", "ber", "ter", "pe", "pen", "peng",
            "per", "ke", "se", "memper", "diper")  # fmt: skip
SUFFIXES = ("", "kan", "an", "i", "nya", "lah", "kah", "ku", "mu", "pun", "kannya", "annya")


def _stems(words: list[str]) -> list[str]:
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = Stemmer(ArrayDictionary(StemmerFactory().get_words()))
    return [stemmer.stem_word(word) for word in words]


def _affixed_words() -> list[str]:
    """Every 4th root of Sastrawi's dictionary, each with two affix pairs (taken in turn),
    plus reduplicated forms: about 15,000 words."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    roots = sorted(w for w in StemmerFactory().get_words() if w.isalpha())[::4]
    words = []
    for number, root in enumerate(roots):
        for turn in (number, number * 7 + 3):
            words.append(PREFIXES[turn % len(PREFIXES)] + root + SUFFIXES[turn % len(SUFFIXES)])
        if number % 10 == 0:
            words.append(f"{root}-{root}nya")
    return words


def test_stems_are_the_same_with_and_without_the_shim() -> None:
    words = _affixed_words()
    assert len(words) > 10_000
    sastrawi_regex.uninstall()
    try:
        started = time.perf_counter()
        plain = _stems(words)
        plain_seconds = time.perf_counter() - started
    finally:
        sastrawi_regex.install()
    started = time.perf_counter()
    shimmed = _stems(words)
    shimmed_seconds = time.perf_counter() - started
    differing = [(w, a, b) for w, a, b in zip(words, plain, shimmed, strict=True) if a != b]
    assert not differing[:20]
    assert sum(stem != word for stem, word in zip(plain, words, strict=True)) > len(words) / 2
    print(f"{len(words)} words: {plain_seconds:.2f}s with re.sub, {shimmed_seconds:.2f}s shimmed")


def test_the_normaliser_installs_the_shim_on_every_visitor_module() -> None:
    Normaliser("id")
    for name in VISITOR_MODULES:
        module = importlib.import_module(name)
        assert module.re is not re, name
        assert module.re.sub is literal_sub
        assert module.re.match is re.match  # everything else is the real module's


def test_install_is_idempotent_and_uninstall_restores_re() -> None:
    sastrawi_regex.install()
    sastrawi_regex.install()
    sastrawi_regex.uninstall()
    try:
        assert all(importlib.import_module(name).re is re for name in VISITOR_MODULES)
    finally:
        sastrawi_regex.install()


PATTERN_CHARS = st.sampled_from("abcaz09-.*+?^$()[]{}|\\")


@given(
    pattern=st.text(PATTERN_CHARS, max_size=4),
    repl=st.text(st.sampled_from("ab-\\1g<>"), max_size=3),
    string=st.text(st.sampled_from("abcaz09-.*"), max_size=12),
    count=st.integers(min_value=0, max_value=3),
)
def test_literal_sub_is_re_sub(pattern: str, repl: str, string: str, count: int) -> None:
    try:
        expected: object = re.sub(pattern, repl, string, count=count)
    except re.error as exc:
        expected = type(exc)
    try:
        got: object = literal_sub(pattern, repl, string, count=count)
    except re.error as exc:
        got = type(exc)
    assert got == expected
