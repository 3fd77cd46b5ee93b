"""The token cache rebuilds exactly the Docs spaCy's tokenizer gives (words, spaces, offsets)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.matching.tokens import CachedTokenizer

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
