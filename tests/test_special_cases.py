"""spaCy's tokenizer built with only the special cases the texts need tokenizes them as the full
one does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.ingest import find_transcripts, read_document
from qualcode.matching.special_cases import (
    PrefixSearch,
    build_tokenizer,
    language_defaults,
    special_cases,
    top_level_alternatives,
)
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


def _spacy_prefix_regex(language: str) -> re.Pattern[str]:
    from spacy import util

    return util.compile_prefix_regex(language_defaults(language).prefixes)


def _span(found: re.Match[str] | None) -> tuple[int, int] | None:
    return None if found is None else found.span()


_PREFIX_TEXT = st.lists(
    st.sampled_from(["(", '"', "<", "a", ">", " ", "b", "/", "$", "US$", "…", ".", "..", "Rp",
                     "x", "1", "2", "+", "-", "'", "«", "<a href=x>", "<br/>", "<b />", "kata"]),
    max_size=8,
).map("".join)  # fmt: skip


@pytest.mark.parametrize("language", ["id", "en"])
@given(text=_PREFIX_TEXT)
def test_prefix_search_finds_what_spacys_search_finds(language: str, text: str) -> None:
    regex = _spacy_prefix_regex(language)
    fast = PrefixSearch(regex)
    assert fast._safe  # the split, not the fallback, is what is tested here
    assert _span(fast(text)) == _span(regex.search(text))


def test_prefix_search_finds_the_indonesian_html_prefix_anywhere_as_spacy_does() -> None:
    regex = _spacy_prefix_regex("id")  # its last alternative, <a([^>]+)>, has no "^"
    for text in ["kata<a href=x>", "<a href=x>", "x<b/>", "(kata", "kata"]:
        assert _span(PrefixSearch(regex)(text)) == _span(regex.search(text)), text


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^a|b", [r"^a", "b"]),
        (r"^(a|b)|c", [r"^(a|b)", "c"]),
        (r"[|]|\||(?:x|y)", [r"[|]", r"\|", r"(?:x|y)"]),
        (r"[]|]|z", [r"[]|]", "z"]),
        (r"[^]|]|z", [r"[^]|]", "z"]),
        (r"[\]|]|z", [r"[\]|]", "z"]),
        (r"a(?=b|c)|d", [r"a(?=b|c)", "d"]),
        (r"(?<=[(|])x|y", [r"(?<=[(|])x", "y"]),
        ("^<(b|i)\\s?/>|<a([^>]+)>", ["^<(b|i)\\s?/>", "<a([^>]+)>"]),
        ("(a|b", None),
        ("a)|b", None),
        ("[ab", None),
    ],
)
def test_top_level_alternatives_split_outside_groups_sets_and_escapes(
    pattern: str, expected: list[str] | None
) -> None:
    assert top_level_alternatives(pattern) == expected


@pytest.mark.parametrize("language", ["id", "en"])
def test_spacys_prefix_regex_splits_into_its_anchored_prefixes(language: str) -> None:
    prefixes = language_defaults(language).prefixes
    alternatives = top_level_alternatives(_spacy_prefix_regex(language).pattern)
    assert alternatives is not None
    assert sum(a.startswith("^") for a in alternatives) == len([p for p in prefixes if p.strip()])
    floating = [a for a in alternatives if not a.startswith("^")]
    assert floating == (["<a([^>]+)>"] if language == "id" else [])


def test_prefix_regexes_that_cannot_be_split_are_searched_as_they_are() -> None:
    for pattern, flags in [("^a|(b)\\1", 0), ("^a|b", re.MULTILINE), ("(?m)^a|b", 0),
                           ("^a|(?m:^b)", 0), ("^a|(?x: b )", 0)]:  # fmt: skip
        regex = re.compile(pattern, flags)
        fast = PrefixSearch(regex)
        assert not fast._safe, pattern
        for text in ["a", "xa", "xbb", "x\nb", "b"]:
            assert _span(fast(text)) == _span(regex.search(text))
