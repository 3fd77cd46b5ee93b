"""The stored base keys (word -> key from language data alone), kept between runs.

Stemming is the costliest step of normalisation, and a word's base key does not depend on the
codebook, so it is stored once per language-data fingerprint in the cache folder
(``keys-<fingerprint>.msgpack``) and reused by every later run, whatever the codebook.

The token patterns spaCy's validator found valid are stored the same way, per spaCy version
(``patterns-<version>.msgpack``), so that loading an unchanged pattern need not import spaCy.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.fileio import msgpack_bytes, read_msgpack, write_bytes_atomic

BaseKeys = dict[str, tuple[str, str]]


def key_store_path(cache_dir: Path, fingerprint: str) -> Path:
    return cache_dir / f"keys-{fingerprint}.msgpack"


def load_base_keys(cache_dir: Path | None, fingerprint: str) -> BaseKeys:
    """The stored keys, or an empty dict when there are none (or the file is unreadable)."""
    if cache_dir is None:
        return {}
    data = read_msgpack(key_store_path(cache_dir, fingerprint))
    if not isinstance(data, dict):
        return {}
    try:
        return {str(word): (str(pair[0]), str(pair[1])) for word, pair in data.items()}
    except (TypeError, IndexError, KeyError):  # a damaged store: stem again
        return {}


def save_base_keys(cache_dir: Path | None, fingerprint: str, keys: BaseKeys) -> None:
    """Write the whole store (sorted, so the file is deterministic)."""
    if cache_dir is None:
        return
    data = {word: list(keys[word]) for word in sorted(keys)}
    write_bytes_atomic(key_store_path(cache_dir, fingerprint), msgpack_bytes(data), durable=False)


def _patterns_path(cache_dir: Path) -> Path:
    from qualcode.matching.tokens import spacy_version

    return cache_dir / f"patterns-{spacy_version()}.msgpack"


def load_valid_patterns(cache_dir: Path | None) -> set[str]:
    """The token patterns (as :func:`~qualcode.codebook.loader.pattern_text`) this spaCy
    version found valid in earlier runs; empty without a cache or a readable store."""
    if cache_dir is None:
        return set()
    data = read_msgpack(_patterns_path(cache_dir))
    if not isinstance(data, list) or not all(isinstance(text, str) for text in data):
        return set()
    return set(data)


def save_valid_patterns(cache_dir: Path | None, patterns: set[str]) -> None:
    if cache_dir is None:
        return
    write_bytes_atomic(_patterns_path(cache_dir), msgpack_bytes(sorted(patterns)), durable=False)
