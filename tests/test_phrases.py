"""Phrase rules matched on cached words (no spaCy Doc) give exactly what spaCy's matchers give."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.codebook import load_codebook, parse_codebook
from qualcode.codebook.loader import pattern_text
from qualcode.errors import CodebookError
from qualcode.matching import CodebookMatcher
from qualcode.matching.normaliser import lookups_table
from qualcode.matching.phrases import PREFIX, PhraseIndex, is_punct, phrase_pattern
from qualcode.matching.tokens import CachedTokenizer, blank_pipeline
from tests.conftest import SMALL_CODEBOOK
from tests.test_matching import document

# The small codebook without its token pattern: keywords (stem, exact, case-sensitive, prefix),
# phrases, not_within, both negation modes; every rule can be matched on cached words.
PHRASES_ONLY = SMALL_CODEBOOK.split("        patterns:")[0] + (
    "      - id: kendala.lain\n"
    "        name: Lain\n"
    "        keywords: [bank keli*, {text: Bank Keliling, exact: true}, tidak aktif]\n"
)

_word = st.sampled_from(
    ["kerja", "sama", "Kerja", "kerjasama", "bekerja", "kemitraan", "lintas", "sektor",
     "pembinaan", "dibina", "Pembinaannya", "berkoperasi", "Berkoperasi", "anggota", "DPRD",
     "rentenir", "pinjol", "pinjolnya", "PINJOL", "lintah", "darat", "KUR", "kur", "Kur",
     "tidak", "nggak", "bukan", "aktif", "bank", "Bank", "keliling", "Keliling", "kelilingnya",
     "perbankan", "Susi", "penguatan", "kelembagaan", "café", ",", ".", "-", "—", "(", ")",
     "...", "?!", "RAT.", "ya"]
)  # fmt: skip
_sep = st.sampled_from([" ", " ", "  ", "\n", "", ", ", "-"])
_turns = st.lists(st.lists(st.tuples(_word, _sep), min_size=1, max_size=14), min_size=1, max_size=4)


def _texts(turns: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(w + s for w, s in turn).strip() or "x" for turn in turns]


def _both_ways(codebook_text: str, texts: list[str], codes: set[str] | None = None) -> None:
    """Match ``texts`` with spaCy's Docs (first run, filling the token cache), then again from
    the cache on cached words: the hits must be the same."""
    codebook = parse_codebook(codebook_text.encode("utf-8"))
    doc = document(*texts)
    with tempfile.TemporaryDirectory() as cache:
        matcher = CodebookMatcher(codebook, tokenizer=CachedTokenizer("id", Path(cache)))
        assert matcher._subset(codes).phrases is not None  # the cached-words path applies
        fresh = matcher.match_document(doc, codes)
        assert list((Path(cache) / "tokens").glob("*.msgpack"))
        cached = matcher.match_document(doc, codes)
    assert cached == fresh


@given(turns=_turns)
def test_cached_words_give_the_hits_spacy_docs_give(turns: list[list[tuple[str, str]]]) -> None:
    _both_ways(PHRASES_ONLY, _texts(turns))


@given(turns=_turns)
def test_cached_words_give_the_hits_of_some_codes(turns: list[list[tuple[str, str]]]) -> None:
    # The full small codebook has a token pattern; codes without one still use cached words.
    _both_ways(SMALL_CODEBOOK, _texts(turns), {"kendala.anggota", "strategi.kerjasama"})


def test_known_cases_match_on_cached_words() -> None:
    texts = [
        "Kami bekerja sama, kerjasama, kerja-sama dengan Bank Keliling dan bank kelilingnya.",
        "Anggota DPRD datang; anggota tidak aktif. Tidak ada pembinaan, nggak pembinaan.",
        "Pinjol, pinjolnya, PINJOL dan KUR, kur; lintah  darat\nlintah darat.",
    ]
    _both_ways(PHRASES_ONLY, texts)


def test_a_rule_with_a_token_pattern_or_a_repeated_phrase_keeps_spacy() -> None:
    small = CodebookMatcher(parse_codebook(SMALL_CODEBOOK.encode("utf-8")))
    assert small._subset(None).phrases is None  # "bank keliling" is a token pattern
    assert small._subset({"kendala.pesaing"}).phrases is None
    # No keyword compiles to one phrase twice today; if one did, which variant a hit names
    # would follow spaCy's internal order, so its code would keep spaCy's matchers.
    matcher = CodebookMatcher(parse_codebook(PHRASES_ONLY.encode("utf-8")))
    first = next(i for i, v in enumerate(matcher.variants) if v.words == ("anggota",))
    matcher.variants.append(matcher.variants[first])
    matcher._variant_code.append(matcher._variant_code[first])
    assert matcher._subset({"kendala.anggota"}).phrases is None
    assert matcher._subset({"strategi.kerjasama"}).phrases is not None


def test_prefix_keywords_become_prefix_patterns_and_user_patterns_do_not() -> None:
    matcher = CodebookMatcher(parse_codebook(SMALL_CODEBOOK.encode("utf-8")))
    compared = [phrase_pattern(v) for v in matcher.variants if v.matcher == "TOKENS"]
    assert (PREFIX, ("pinjol",)) in compared
    assert None in compared  # the user's token pattern (bank keliling)


def test_phrase_index_finds_overlapping_and_nested_matches() -> None:
    index = PhraseIndex(
        [
            (0, "NORM", ("a", "b")),
            (1, "NORM", ("a",)),
            (2, "LOWER", ("b", "c")),
            (3, PREFIX, ("c",)),
        ]
    )
    words = ["a", "b", "C", "cc"]
    starts = [index.starting(w, str.lower) for w in words]
    assert sorted(index.matches(words, starts, str.lower)) == [
        (0, 0, 2), (1, 0, 1), (2, 1, 3), (3, 2, 3), (3, 3, 4),
    ]  # fmt: skip


def test_is_punct_is_spacys_flag() -> None:
    vocab = blank_pipeline("id").vocab
    texts = [chr(c) for c in range(0x21, 0x3100) if unicodedata.category(chr(c))[0] != "C"]
    texts += ["...", "?!", "—-", "a.", ".a", "''", "RAT.", "(", "))", "1,5", "%"]
    assert [is_punct(t) for t in texts] == [vocab[t].is_punct for t in texts]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("table", ["lemma_lookup", "lexeme_norm"])
def test_lookup_tables_are_the_ones_spacy_loads(language: str, table: str) -> None:
    from spacy.lookups import load_lookups

    ours = lookups_table(language, table)
    assert ours  # spacy-lookups-data is a dependency
    theirs = load_lookups(language, [table]).get_table(table)
    assert len(ours) == len(theirs)
    assert all(theirs.get(word) == value for word, value in ours.items())
    assert lookups_table(language, "no_such_table") is None
    assert lookups_table("xx", table) is None


def test_known_valid_patterns_are_not_checked_again(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(SMALL_CODEBOOK, encoding="utf-8")
    known: set[str] = set()
    load_codebook(path, valid_patterns=known)
    pattern = [{"LOWER": "bank"}, {"IS_PUNCT": True, "OP": "?"}, {"LOWER": "keliling"}]
    assert known == {pattern_text(pattern)}
    # An invalid pattern is still reported, and never stored as valid.
    path.write_text(SMALL_CODEBOOK.replace('OP: "?"', 'OP: "??"'), encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path, valid_patterns=known)
    assert any("invalid spaCy pattern" in line for line in caught.value.details)
    assert len(known) == 1


def test_special_cases_are_kept_in_the_cache(tmp_path: Path) -> None:
    texts = ["kerja sama", "dll", "Bank Keliling", "kerja-sama", "tdk"]
    plain = CachedTokenizer("id").words_many(texts)
    assert CachedTokenizer("id", tmp_path).words_many(texts) == plain
    stored = list((tmp_path / "tokens").glob("special-*.msgpack"))
    assert len(stored) == 1
    assert CachedTokenizer("id", tmp_path).words_many(texts) == plain  # read back
