"""Sastrawi without a regex compiled per word.

Sastrawi's affix visitors record what they removed with ``re.sub(result, "", word, count=1)``:
the stem found so far is used as a *pattern*. Each distinct stem is a new pattern, so every
stemmed word compiles several regexes and Python's 512-entry pattern cache thrashes (about half
of Sastrawi's time on a corpus's new words, measured: 51 µs a word, 27 µs without).

A pattern of letters, digits and hyphens has no regex syntax: it matches itself, so
``re.sub(pattern, "", word, count=1)`` is ``word.replace(pattern, "", 1)``. :func:`install`
gives those visitor modules a ``re`` whose ``sub`` takes that path for such a pattern and calls
the real ``re.sub`` for anything else, so stems are the same (tested on every fourth root of
Sastrawi's dictionary with affixes, and against ``re.sub`` with Hypothesis).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

#: The Sastrawi modules whose visitors call ``re.sub`` with a stem as the pattern.
VISITOR_MODULES = (
    "Sastrawi.Stemmer.Context.Visitor.AbstractDisambiguatePrefixRule",
    "Sastrawi.Stemmer.Context.Visitor.RemoveDerivationalSuffix",
    "Sastrawi.Stemmer.Context.Visitor.RemoveInflectionalParticle",
    "Sastrawi.Stemmer.Context.Visitor.RemoveInflectionalPossessivePronoun",
    "Sastrawi.Stemmer.Context.Visitor.RemovePlainPrefix",
)
#: A pattern that matches only itself: letters, digits and hyphens (outside a class). The empty
#: pattern, which matches between characters, is left to ``re``.
_LITERAL = re.compile(r"[a-z0-9-]+")


def literal_sub(
    pattern: Any, repl: Any, string: Any, count: int = 0, flags: int | re.RegexFlag = 0
) -> Any:
    """``re.sub``, by ``str.replace`` when the pattern has no regex syntax and the
    replacement no escapes."""
    if (
        type(pattern) is str
        and type(repl) is str
        and type(string) is str
        and not flags
        and "\\" not in repl
        and _LITERAL.fullmatch(pattern)
    ):
        return string.replace(pattern, repl, count if count > 0 else -1)
    return re.sub(pattern, repl, string, count=count, flags=flags)


class _Regex:
    """The ``re`` module as Sastrawi's visitors see it: :func:`literal_sub` for ``sub``."""

    sub = staticmethod(literal_sub)

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


_SHIM = _Regex()


def install() -> None:
    """Give Sastrawi's visitor modules :func:`literal_sub` (idempotent; a module that a
    Sastrawi release no longer has, or that no longer imports ``re``, is left alone)."""
    _swap(re, _SHIM)


def uninstall() -> None:
    """Give the visitor modules the real ``re`` back (for tests comparing the two)."""
    _swap(_SHIM, re)


def _swap(old: object, new: object) -> None:
    """Replace ``old`` by ``new`` as the ``re`` of each visitor module that has ``old``."""
    for name in VISITOR_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(module, "re", None) is old:
            module.re = new  # type: ignore[attr-defined]
