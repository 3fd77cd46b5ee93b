"""spaCy tokenization with an on-disk cache of token lists.

The blank Indonesian tokenizer takes seconds to build (~16k special cases), so it is built only
when a text is not in the cache; spaCy is not even imported when every text is (its version is
read from the package metadata, its special cases from the cache folder). Cached texts are
rebuilt as ``Doc(vocab, words, spaces)``, which gives the same tokens and offsets. An entry holds
a group's distinct words once and each text as indices into them, so a cached group is rebuilt
without a Python string per token. The cache key covers the texts, the language, the spaCy
version and the cache format, so a changed transcript or a spaCy upgrade misses the cache;
deleting the cache folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from qualcode.fileio import msgpack_bytes, read_msgpack, write_bytes_atomic
from qualcode.matching.special_cases import build_tokenizer, language_defaults, special_cases

CACHE_FORMAT = "tokens-2"
#: A text of plain words: ASCII letters, single spaces between them.
_PLAIN_TEXT = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


@functools.cache
def spacy_version() -> str:
    """The installed spaCy's version, without importing spaCy (about half a second)."""
    from importlib import metadata

    return metadata.version("spacy")


@functools.cache
def shared_vocab(language: str) -> Any:
    """One spaCy Vocab per language and process, shared by tokenizers, Docs and matchers."""
    from spacy.vocab import create_vocab

    return create_vocab(language, language_defaults(language))


def distinct_words(columns: Sequence[Any]) -> tuple[Any, list[Any]]:
    """The distinct word ids over a group of Docs' ORTH columns, and per column the index of
    each of its tokens among them (so per-word work is done once per group)."""
    import numpy

    if not columns:
        return numpy.zeros(0, dtype="uint64"), []
    distinct, inverse = numpy.unique(
        numpy.concatenate(columns).astype("uint64"), return_inverse=True
    )
    bounds = numpy.cumsum([len(column) for column in columns])[:-1]
    return distinct, numpy.split(inverse, bounds)


@functools.cache
def blank_pipeline(language: str) -> Any:
    """``spacy.blank(language)`` on the shared vocab, built once per process."""
    import spacy

    return spacy.blank(language, vocab=shared_vocab(language))


def _well_formed(row: Any, size: int) -> bool:
    """A cached text: [word indices below ``size``, a space flag per word]."""
    if not isinstance(row, list | tuple) or len(row) != 2:
        return False
    indices, spaces = row
    if not isinstance(indices, list) or not isinstance(spaces, list):
        return False
    if len(indices) != len(spaces):
        return False
    return not indices or (min(indices) >= 0 and max(indices) < size)


class CachedTokenizer:
    """Turns groups of texts into spaCy Docs, from the cache when it can."""

    def __init__(self, language: str, cache_dir: Path | None = None) -> None:
        self.language = language
        self.cache_dir = cache_dir / "tokens" if cache_dir is not None else None
        self._salt = f"{CACHE_FORMAT}\x00{language}\x00{spacy_version()}\x00".encode()
        self._spacy: Any = None  # spaCy's tokenizer, built on first need (_spacy_tokenizer)
        self._rules: set[str] = set()  # the special cases it was built with
        self._covered: set[str] = set()  # the texts it was built for
        self._expected: list[str] = []

    def expect(self, texts: Iterable[str]) -> None:
        """Texts this tokenizer may be asked to tokenize in this run: spaCy's tokenizer, if it
        is needed at all, is then built once with the special cases all of them need."""
        self._expected.extend(texts)

    def prepare(self) -> None:
        """Build spaCy's tokenizer now if an expected text needs it (before forking workers,
        so that they share it rather than each building it)."""
        if self._expected:
            self._spacy_tokenizer([])

    def is_cached(self, texts: Sequence[str]) -> bool:
        """Whether the group of texts has an entry in the cache (perhaps unreadable)."""
        path = self._path(texts)
        return path is not None and path.exists()

    @functools.cached_property
    def vocab(self) -> Any:
        """The shared spaCy vocab (spaCy is imported on first use)."""
        return shared_vocab(self.language)

    def words_many(self, texts: Sequence[str]) -> list[list[str]]:
        """The tokens of each text (keywords, phrases).

        Plain texts (ASCII words, single spaces, no word a tokenizer exception) are split on the
        spaces: spaCy's tokenizer gives exactly those tokens (tested on every Sastrawi root and
        English lemma), and a codebook edit that adds plain keywords never has to build it. The
        other texts are tokenized, the group cached as one file.
        """
        exceptions = self._exception_texts()
        plain = {
            text
            for text in texts
            if _PLAIN_TEXT.fullmatch(text) and exceptions.isdisjoint(text.split(" "))
        }
        others = [text for text in texts if text not in plain]
        tokenized = dict(zip(others, self._words_of(others) if others else [], strict=True))
        return [text.split(" ") if text in plain else tokenized[text] for text in texts]

    def _words_of(self, texts: Sequence[str]) -> list[list[str]]:
        """The tokens of each text, from the cache when it has the group."""
        table = self.cached_table(texts)
        if table is not None:
            strings, rows = table
            return [[strings[index] for index in row[0]] for row in rows]
        from spacy.attrs import ORTH

        strings = self.vocab.strings
        return [[strings[orth] for orth in doc.to_array(ORTH).tolist()] for doc in self.docs(texts)]

    def _exception_texts(self) -> frozenset[str]:
        """spaCy's tokenizer exceptions for the language, kept in the cache folder too."""
        path = None
        if self.cache_dir is not None:
            digest = hashlib.sha256(self._salt + b"special-cases").hexdigest()[:32]
            path = self.cache_dir / f"special-{digest}.msgpack"
            stored = read_msgpack(path)
            if isinstance(stored, list) and all(isinstance(word, str) for word in stored):
                return frozenset(stored)
        exceptions = frozenset(special_cases(self.language).rules)
        if path is not None:
            write_bytes_atomic(path, msgpack_bytes(sorted(exceptions)), durable=False)
        return exceptions

    def docs(self, texts: Sequence[str]) -> list[Any]:
        """A spaCy Doc per text, the group cached as one file."""
        table = self.cached_table(texts)
        if table is None:
            return self._tokenize(texts)
        return self._docs_from_table(*table)

    def _docs_from_table(self, strings: Sequence[str], rows: Sequence[Any]) -> list[Any]:
        """The Docs of a cached group (see :meth:`cached_table`)."""
        import numpy
        from spacy.tokens import Doc

        orths = numpy.array([self.vocab.strings.add(s) for s in strings], dtype="uint64")
        return [
            Doc(self.vocab, words=orths[numpy.array(row[0], dtype="int64")], spaces=row[1])
            for row in rows
        ]

    def cached_table(self, texts: Sequence[str]) -> tuple[list[str], list[Any]] | None:
        """From the cache: (the group's words, [word indices, spaces] per text), or None."""
        path = self._path(texts)
        data = None if path is None else read_msgpack(path)
        if not isinstance(data, dict):
            return None  # no entry, or an unreadable one: tokenize again
        strings, rows = data.get("strings"), data.get("docs")
        if not isinstance(strings, list) or not isinstance(rows, list) or len(rows) != len(texts):
            return None
        if not all(_well_formed(row, len(strings)) for row in rows):
            return None  # a damaged entry: tokenize again
        return strings, rows

    def _spacy_tokenizer(self, texts: Sequence[str]) -> Any:
        """spaCy's tokenizer with the special cases ``texts`` and the expected texts need
        (:mod:`qualcode.matching.special_cases`); rebuilt only for a text it was not built for
        that needs another special case."""
        if self._spacy is not None and self._covered.issuperset(texts):
            return self._spacy
        wanted = [*self._expected, *texts]
        self._expected.clear()
        needed = special_cases(self.language).needed_by(wanted)
        if self._spacy is None or not needed <= self._rules:
            self._rules |= needed
            rules = special_cases(self.language).rules
            self._spacy = build_tokenizer(
                self.language, self.vocab, {string: rules[string] for string in self._rules}
            )
        self._covered.update(wanted)
        return self._spacy

    def _tokenize(self, texts: Sequence[str]) -> list[Any]:
        docs = list(self._spacy_tokenizer(texts).pipe(texts))
        path = self._path(texts)
        if path is not None:
            write_bytes_atomic(path, msgpack_bytes(self._table(docs)), durable=False)
        return docs

    def _table(self, docs: Sequence[Any]) -> dict[str, Any]:
        """The cache entry: the group's distinct words once, each Doc as indices into them."""
        from spacy.attrs import ORTH, SPACY

        columns = [doc.to_array([ORTH, SPACY]) for doc in docs]
        distinct, indices = distinct_words([column[:, 0] for column in columns])
        rows = [
            (index.tolist(), column[:, 1].astype(bool).tolist())
            for index, column in zip(indices, columns, strict=True)
        ]
        strings = self.vocab.strings
        return {"strings": [strings[orth] for orth in distinct.tolist()], "docs": rows}

    def _path(self, texts: Sequence[str]) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(self._salt)
        for text in texts:
            digest.update(text.encode("utf-8"))
            digest.update(b"\x00")
        return self.cache_dir / f"{digest.hexdigest()[:32]}.msgpack"
