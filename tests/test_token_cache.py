"""The token cache rebuilds exactly the Docs spaCy's tokenizer gives (words, spaces, offsets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.matching.tokens import CachedTokenizer, blank_pipeline

TEXTS = [
    "Koperasi   yang tidak aktif,  ya   pak.",
    "",
    "   ",
    "pembinaannya dibina—membina (RAT) 2024!",
    "émigré naïve café\u00a0teh",
    "dua  spasi\tdan tab",
]


def _shape(doc: object) -> list[tuple[str, str, int]]:
    return [(t.text, t.whitespace_, t.idx) for t in doc]  # type: ignore[attr-defined]


def test_cached_docs_equal_fresh_docs(tmp_path: Path) -> None:
    fresh = CachedTokenizer("id").docs(TEXTS)
    writer = CachedTokenizer("id", tmp_path)
    first = writer.docs(TEXTS)  # tokenizes and writes the entry
    assert list((tmp_path / "tokens").glob("*.msgpack"))
    again = CachedTokenizer("id", tmp_path).docs(TEXTS)  # read back from the entry
    for a, b, c, text in zip(fresh, first, again, TEXTS, strict=True):
        assert _shape(a) == _shape(b) == _shape(c)
        assert c.text == text


def test_a_changed_text_misses_the_cache(tmp_path: Path) -> None:
    CachedTokenizer("id", tmp_path).docs(["satu dua"])
    docs = CachedTokenizer("id", tmp_path).docs(["satu tiga"])
    assert [t.text for t in docs[0]] == ["satu", "tiga"]
    assert len(list((tmp_path / "tokens").glob("*.msgpack"))) == 2


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(alphabet=st.sampled_from("ab -.,\n\t éK1"), max_size=30), max_size=5))
def test_cache_round_trip_keeps_every_token(tmp_path_factory: object, texts: list[str]) -> None:
    folder = tmp_path_factory.mktemp("tok")  # type: ignore[attr-defined]
    CachedTokenizer("id", folder).docs(texts)
    fresh = CachedTokenizer("id").docs(texts)
    cached = CachedTokenizer("id", folder).docs(texts)
    assert [_shape(d) for d in cached] == [_shape(d) for d in fresh]


def _lexicon(language: str) -> list[str]:
    if language == "id":
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        return [w for w in StemmerFactory().get_words() if w.isalpha() and w.isascii()]
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    return sorted(v for v in table.values() if isinstance(v, str) and v.isalpha() and v.isascii())


@pytest.mark.parametrize("language", ["id", "en"])
def test_plain_words_are_split_exactly_as_spacy_tokenizes_them(language: str) -> None:
    """The shortcut that spares building the tokenizer for plain keywords gives its tokens."""
    words = _lexicon(language)[:20000]
    texts = [*words, *(w.upper() for w in words[:2000]), *(w.capitalize() for w in words[:2000])]
    texts += [f"{a} {b}" for a, b in zip(words[:2000], words[2000:4000], strict=True)]
    texts += ["im", "youll", "xD", "dont", "kerja  sama", "rp", "dll"]  # exceptions, double space
    tokenizer = CachedTokenizer(language)
    nlp = blank_pipeline(language)
    expected = [[t.text for t in nlp.make_doc(text)] for text in texts]
    assert tokenizer.words_many(texts) == expected


def test_a_damaged_entry_is_tokenized_again(tmp_path: Path) -> None:
    import srsly

    texts = ["satu dua tiga", "empat lima"]
    CachedTokenizer("id", tmp_path).docs(texts)
    (entry,) = (tmp_path / "tokens").glob("[0-9a-f]*.msgpack")
    good = srsly.msgpack_loads(entry.read_bytes())
    broken = [
        {**good, "docs": [[[0, 99], [True, False]], good["docs"][1]]},  # index past the words
        {**good, "docs": [[[0, 1], [True]], good["docs"][1]]},  # a space flag missing
        {**good, "docs": [["x"], good["docs"][1]]},
    ]
    for damaged in broken:
        entry.write_bytes(srsly.msgpack_dumps(damaged))
        tokenizer = CachedTokenizer("id", tmp_path)
        assert tokenizer.cached_table(texts) is None
        assert _shape_all(tokenizer.docs(texts)) == _shape_all(CachedTokenizer("id").docs(texts))


def _shape_all(docs: list[object]) -> list[list[tuple[str, str, int]]]:
    return [_shape(doc) for doc in docs]
