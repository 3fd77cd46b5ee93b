"""spaCy's tokenizer built with only the special cases the texts need tokenizes them as the full
one does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.ingest import find_transcripts, read_document
from qualcode.matching.special_cases import build_tokenizer, special_cases
from qualcode.matching.tokens import CachedTokenizer, blank_pipeline

REPO = Path(__file__).resolve().parent.parent


def _tokens(tokenizer: object, texts: list[str]) -> list[list[tuple[str, str]]]:
    docs = tokenizer.pipe(texts)  # type: ignore[attr-defined]
    return [[(t.text, t.whitespace_) for t in doc] for doc in docs]


def _same_as_full(language: str, texts: list[str]) -> None:
    full = blank_pipeline(language).tokenizer
    cases = special_cases(language)
    needed = cases.needed_by(texts)
    small = build_tokenizer(
        language, full.vocab, {string: cases.rules[string] for string in needed}
    )
    assert _tokens(small, texts) == _tokens(full, texts)


def _some_cases(language: str) -> list[str]:
    rules = sorted(special_cases(language).rules)
    return [*rules[:: max(1, len(rules) // 400)], "dll.", "a.", ":)", "anak-anak", "Dr. med"]


_WORDS = ["kata", "Koperasi", "RAT", "(", ")", ".", ",", "-", "'s", "n't", "http://x.id/a",
          "2024", "e.g.", "Jl.", "dsb", "—", "...", ":", "😀", "a"]  # fmt: skip
_pieces = {
    language: st.sampled_from([*_some_cases(language), *_WORDS]) for language in ("id", "en")
}
_gaps = st.sampled_from(["", " ", "  ", "\xa0", "-", "."])


@pytest.mark.parametrize("language", ["id", "en"])
def test_transcripts_tokenize_as_with_every_special_case(language: str) -> None:
    folder = REPO / "transcripts" / ("en" if language == "en" else "")
    texts = [
        " ".join(s.text.split("\n"))
        for path, name in find_transcripts([folder])
        for s in read_document(path, name=name).segments
    ]
    assert texts
    _same_as_full(language, texts)


@pytest.mark.parametrize("language", ["id", "en"])
@given(data=st.data())
def test_generated_texts_tokenize_as_with_every_special_case(
    language: str, data: st.DataObject
) -> None:
    texts = data.draw(
        st.lists(
            st.lists(st.tuples(_pieces[language], _gaps), min_size=1, max_size=12).map(
                lambda parts: "".join(p + g for p, g in parts)
            ),
            min_size=1,
            max_size=3,
        )
    )
    _same_as_full(language, texts)


def test_a_case_in_the_text_is_always_found() -> None:
    cases = special_cases("id")
    for string in _some_cases("id"):
        assert string in cases.needed_by([f"xx {string} yy"])
    assert len(cases.needed_by(["Koperasi itu aktif."])) < len(cases.rules) // 20


def test_the_tokenizer_is_built_once_for_the_expected_texts(tmp_path: Path) -> None:
    tokenizer = CachedTokenizer("id", tmp_path)
    tokenizer.expect(["anak-anak dll. di sini", "Koperasi aktif"])
    first = tokenizer._spacy_tokenizer(["Koperasi aktif"])
    assert tokenizer._spacy_tokenizer(["anak-anak dll. di sini"]) is first  # no rebuild
    assert {"anak-anak", "dll."} <= tokenizer._rules
    # A text outside the expected ones that needs another special case rebuilds it.
    assert tokenizer._spacy_tokenizer(["bapak-bapak"]) is not first
    assert "bapak-bapak" in tokenizer._rules


def test_long_texts_are_hashed_in_overlapping_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    import qualcode.matching.special_cases as module

    texts = ["anak-anak dll. di sini " * 50, "Koperasi aktif :) bapak-bapak", "x"]
    whole = special_cases("id").needed_by(texts)
    monkeypatch.setattr(module, "_WINDOW", 7)
    assert special_cases("id").needed_by(texts) == whole
