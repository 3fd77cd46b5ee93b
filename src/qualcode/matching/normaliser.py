"""One matching key per word: the normalised form keywords and transcripts are compared on.

Indonesian: lowercase -> slang table (gak -> tidak) -> codebook override -> protected word ->
spaCy lookup lemma -> Sastrawi stem (plain ``[a-z]+(-[a-z]+)*`` words only). English: lowercase ->
British -> American spelling -> override -> protected -> lookup lemma. Results are cached per word.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from qualcode.errors import MatchingError

PLAIN_WORD = re.compile(r"^[a-z]+(-[a-z]+)*$")
#: A word in running text (letters or digits, hyphenated parts kept together).
WORD = re.compile(r"\w+(?:-\w+)*")

#: Colloquial forms missing from spacy-lookups-data's ``id_lexeme_norm``.
ID_SLANG_EXTRA = {
    "ga": "tidak",
    "gk": "tidak",
    "ndak": "tidak",
    "kagak": "tidak",
    "blm": "belum",
    "dgn": "dengan",
    "sdh": "sudah",
    "utk": "untuk",
    "tp": "tapi",
}

#: Known Sastrawi over-stemmings (measured; PySastrawi #4/#13/#26); a codebook's own
#: ``overrides`` take precedence.
ID_STEM_FIXES = {
    "perbankan": "bank",
    "berikan": "beri",
    "memberikan": "beri",
    "diberikan": "beri",
    "relawan": "relawan",
    "menangis": "tangis",
    "pengen": "ingin",
    "bekasi": "bekasi",
    "bali": "bali",
    "tahu": "tahu",  # the lemma table maps it to "beri"
    "pemilu": "pemilu",
}

#: Where a key came from, for explanations.
SOURCES = ("slang", "override", "protect", "lemma", "stem", "lower")

_CACHE_LIMIT = 500_000


class _Table:
    """A spacy-lookups-data table, with plain-dict extras on top."""

    def __init__(
        self, table: Mapping[str, Any] | None = None, extra: Mapping[str, str] | None = None
    ) -> None:
        self._table = dict(table or {})
        self._table.update(extra or {})
        self.size = len(self._table)

    def values(self) -> list[str]:
        """Every value (the table's and the extras'), strings only."""
        return [v for v in self._table.values() if isinstance(v, str)]

    def get(self, word: str) -> str | None:
        value = self._table.get(word)
        return value if isinstance(value, str) else None


@functools.cache
def lookups_table(language: str, table: str) -> dict[str, Any] | None:
    """A table of spacy-lookups-data (None when it is not installed or has no such table).

    Found through the package's ``spacy_lookups`` entry points and read from its files, as
    spaCy's ``load_lookups`` does, so that a run that needs no tokenizing never imports spaCy.
    Read once per process and shared: callers must not change it.
    """
    files = _lookups_files(language)
    if table not in files:
        return None
    path = Path(str(files[table]))
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    elif path.with_name(path.name + ".gz").exists():
        with gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8") as stream:
            data = json.load(stream)
    else:
        return None
    return data if isinstance(data, dict) else None


@functools.cache
def _lookups_files(language: str) -> dict[str, Any]:
    """The language's table files, by table name, as spacy-lookups-data registers them."""
    from importlib import metadata

    try:
        entries = metadata.distribution("spacy-lookups-data").entry_points
    except metadata.PackageNotFoundError:
        return {}
    for entry in entries:
        if entry.group == "spacy_lookups" and entry.name == language:
            try:
                files = entry.load()
            except ImportError:
                return {}
            return dict(files) if isinstance(files, dict) else {}
    return {}


def _load_table(language: str, table: str, extra: Mapping[str, str] | None = None) -> _Table:
    return _Table(lookups_table(language, table), extra)


class Normaliser:
    """Computes matching keys for one language and one codebook's overrides/protect list.

    A word's *base* key depends only on the language data (slang table, lemma table, Sastrawi,
    the built-in stem fixes); it can be kept across runs in ``base_keys`` (see
    :mod:`qualcode.matching.cache`). The codebook's ``overrides``, ``protect`` and extra roots
    are applied on top, so editing a codebook never invalidates the stored base keys.
    """

    def __init__(
        self,
        language: str,
        *,
        overrides: Mapping[str, str] | None = None,
        protect: Iterable[str] = (),
        extra_roots: Iterable[str] = (),
        base_keys: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        if language not in ("id", "en"):
            raise MatchingError(f"unsupported language {language!r}; use 'id' or 'en'")
        self.language = language
        self.warnings: list[str] = []
        self.builtin_overrides = dict(ID_STEM_FIXES) if language == "id" else {}
        self.overrides = {k.lower(): v.lower() for k, v in (overrides or {}).items()}
        self.protect = frozenset(w.lower() for w in protect)
        self._lemmas = _load_table(language, "lemma_lookup")
        self._norms = _load_table(
            language, "lexeme_norm", ID_SLANG_EXTRA if language == "id" else None
        )
        if not self._lemmas.size:
            self.warnings.append(
                "spacy-lookups-data is not installed: lemma lookup is off "
                "(install it with `pip install spacy-lookups-data`)"
            )
        self._stemmer: Any = None
        self._extended: Any = None
        self._base_roots: frozenset[str] = frozenset()
        self.extra_roots: tuple[str, ...] = ()
        self._root_probes: re.Pattern[str] | None = None
        self._probed_by_slang: frozenset[str] = frozenset()
        self.base_keys: dict[str, tuple[str, str]] = base_keys if base_keys is not None else {}
        if language == "id":
            self._build_stemmers(extra_roots)
        self.new_base_keys: dict[str, tuple[str, str]] = {}
        self._cache: dict[str, str] = {}

    def _build_stemmers(self, extra_roots: Iterable[str]) -> None:
        try:
            from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
            from Sastrawi.Stemmer.Stemmer import Stemmer
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        except ImportError:
            raise MatchingError(
                "PySastrawi is not installed; install it with `pip install 'PySastrawi>=1.2'`"
            ) from None
        from qualcode.matching import sastrawi_regex

        sastrawi_regex.install()  # the same stems, without a regex compiled per word
        words = [w for w in StemmerFactory().get_words() if w]
        self._base_roots = frozenset(words)
        dictionary = ArrayDictionary(words)
        if not isinstance(dictionary.words, dict):
            self.warnings.append(
                "an old Sastrawi (list dictionary, ~400x slower) is installed; "
                "run `pip uninstall sastrawi PySastrawi && pip install 'PySastrawi>=1.2'`"
            )
        self._stemmer = Stemmer(dictionary)
        # A keyword's own word that Sastrawi leaves alone (kerjasama, pinjol) becomes a root of
        # an extended stemmer, so its affixed forms (bekerjasama, pinjolnya) reduce to it.
        self.extra_roots = tuple(
            sorted(
                {
                    root
                    for root in (r.lower() for r in extra_roots)
                    if PLAIN_WORD.match(root)
                    and "-" not in root
                    and root not in self._base_roots
                    and not self._known_to_stem(root)
                    and (self._known_to_stay(root) or self._stemmer.stem_word(root) == root)
                }
            )
        )
        if self.extra_roots:
            extended = ArrayDictionary(words)
            extended.add_words(self.extra_roots)
            self._extended = Stemmer(extended)
            # meN-/peN- recode a root's first letter (pinjol -> meminjol): probe without it.
            probes = sorted({r[1:] for r in self.extra_roots}, key=lambda p: (-len(p), p))
            self._root_probes = re.compile("|".join(re.escape(p) for p in probes))
            # A slang form is replaced by its standard form before the probe: a root whose probe
            # is in a standard form may change the key of a word that does not show it.
            # (A probe is letters only: found in the joined values only if found in one.)
            standard = "\n".join(self._norms.values())
            self._probed_by_slang = frozenset(r for r in self.extra_roots if r[1:] in standard)

    def _known_to_stem(self, word: str) -> bool:
        """Whether the stored base keys show that Sastrawi changes this plain lowercase word
        (a key from the "stem" branch of :meth:`_base_explain`, the word not slang), which
        spares stemming it again (about 0.3 ms a word)."""
        known = self.base_keys.get(word)
        return known is not None and known[1] == "stem" and self._norms.get(word) is None

    def _known_to_stay(self, word: str) -> bool:
        """Whether the stored base keys show that Sastrawi leaves this plain lowercase word as
        it is: its key is itself from the "lower" branch of :meth:`_base_explain` (not slang,
        no lemma, no override, and Sastrawi's stem the word: Sastrawi returns a dictionary
        word or the word itself, never an empty one)."""
        return self.base_keys.get(word) == (word, "lower")

    def is_root(self, word: str) -> bool:
        """Whether ``word`` is in Sastrawi's own root dictionary (the codebook's roots aside)."""
        return word.lower() in self._base_roots

    def key(self, word: str) -> str:
        """The matching key of a word as it stands in the text."""
        cached = self._cache.get(word)
        if cached is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[word] = self.explain(word)[0]
        return cached

    def explain(self, word: str) -> tuple[str, str]:
        """``(key, source)`` for a word, source being one of :data:`SOURCES`."""
        lower = word.lower()
        if lower in self.overrides:
            return self.overrides[lower], "override"
        norm = self._norms.get(lower) or lower
        if norm in self.overrides:
            return self.overrides[norm], "override"
        if lower in self.protect or norm in self.protect:
            return norm, "protect"
        if self._root_probes is not None and self._root_probes.search(norm):
            return self._base_explain(lower, self._extended)
        known = self.base_keys.get(lower)
        if known is None:
            known = self.new_base_keys[lower] = self._base_explain(lower, self._stemmer)
            self.base_keys[lower] = known
        return known

    def base_keys_for(self, words: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Base ``(key, source)`` of lowercased words (language data only, no codebook)."""
        return {word: self._base_explain(word, self._stemmer) for word in words}

    def add_base_keys(self, keys: Mapping[str, tuple[str, str]]) -> None:
        """Take base keys computed elsewhere (e.g. by worker processes) as if computed here."""
        fresh = {word: pair for word, pair in keys.items() if word not in self.base_keys}
        self.base_keys.update(fresh)
        self.new_base_keys.update(fresh)

    def _base_explain(self, lower: str, stemmer: Any) -> tuple[str, str]:
        """The key from language data alone (no codebook), for a lowercased word."""
        if lower in self.builtin_overrides:
            return self.builtin_overrides[lower], "override"
        norm = self._norms.get(lower) or lower
        source = "slang" if norm != lower else "lower"
        if norm in self.builtin_overrides:
            return self.builtin_overrides[norm], "override"
        if self.language == "en":
            if norm.startswith("'"):
                return norm, source
            lemma = self._lemmas.get(norm) or self._lemmas.get(lower)
            return (lemma, "lemma") if lemma and lemma != norm else (norm, source)
        if not PLAIN_WORD.match(norm):
            return norm, source
        lemma = self._lemmas.get(norm)
        if lemma and PLAIN_WORD.match(lemma):
            return str(stemmer.stem_word(lemma)) or lemma, "lemma"
        stem = str(stemmer.stem_word(norm))
        if stem and stem != norm:
            return stem, "stem"
        return norm, source

    def roots_in(
        self, texts: Iterable[str], known: dict[str, bool] | None = None
    ) -> tuple[str, ...]:
        """The codebook's extra roots that can decide the key of a word of ``texts``.

        Only a word that holds a root's probe (the root without its first letter) is stemmed
        with the extended stemmer, so the other roots cannot change any key of ``texts``.
        ``known`` holds, probe by probe, what earlier searches of the same texts found: only
        the other probes are searched, and what is found is added to it.
        """
        if not self.extra_roots:
            return ()
        known = {} if known is None else known
        probes = {root[1:] for root in self.extra_roots if root not in self._probed_by_slang}
        unknown = sorted(probes - known.keys())
        if unknown:
            found = probes_in(texts, unknown)
            known.update((probe, probe in found) for probe in unknown)
        return tuple(
            root for root in self.extra_roots if root in self._probed_by_slang or known[root[1:]]
        )

    @property
    def base_fingerprint(self) -> str:
        return base_fingerprint(self.language)

    @property
    def fingerprint(self) -> str:
        """A hash of everything that decides keys, codebook settings included."""
        return self._settings_hash(extra_roots=list(self.extra_roots))

    @property
    def settings_fingerprint(self) -> str:
        """A hash of what decides keys apart from the extra roots (see :meth:`roots_in`)."""
        return self._settings_hash()

    def _settings_hash(self, **more: object) -> str:
        settings = {
            "base": self.base_fingerprint,
            "overrides": sorted(self.overrides.items()),
            "protect": sorted(self.protect),
            **more,
        }
        return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:16]


#: Up to this many probes, :func:`probes_in` searches the whole lowered text (lowering is 20x
#: cheaper than gathering distinct runs, a search of it about 3x dearer: measured).
_FEW_PROBES = 32


def probes_in(texts: Iterable[str], probes: Collection[str]) -> set[str]:
    """The ``probes`` (letters only) found in ``texts``, lowercased.

    A probe cannot span whitespace, so the whole lowered text and its distinct lowered runs of
    non-space characters hold the same probes: the first is searched for a few probes, the
    second (shorter, dearer to gather) for many.
    """
    if len(probes) <= _FEW_PROBES:
        lowered = "\n".join(texts).lower()
    else:
        lowered = "\n".join(lowered_runs(texts))
    return {probe for probe in probes if probe in lowered}


def lowered_runs(texts: Iterable[str]) -> set[str]:
    """The distinct runs of non-space characters of ``texts``, lowercased."""
    runs: set[str] = set()
    for text in texts:
        runs.update(text.lower().split())
    return runs


@functools.cache
def base_fingerprint(language: str) -> str:
    """A hash of the language data that decides base keys (names the stored key file)."""
    from qualcode.versions import package_version

    settings = {
        "format": 1,
        "language": language,
        "builtin_overrides": sorted(ID_STEM_FIXES.items()) if language == "id" else [],
        "slang": sorted(ID_SLANG_EXTRA.items()) if language == "id" else [],
        "spacy-lookups-data": package_version("spacy-lookups-data", missing="-"),
        "PySastrawi": package_version("PySastrawi", missing="-"),
    }
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:16]


def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words for the language."""
    if language == "id":
        from spacy.lang.id.stop_words import STOP_WORDS
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)
