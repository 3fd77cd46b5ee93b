"""Codebook validation: every problem reported at once, located, before any transcript is read."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook, parse_codebook
from qualcode.errors import CodebookError

from .conftest import REPO, SMALL_CODEBOOK, write


def problems(text: str) -> list[str]:
    with pytest.raises(CodebookError) as info:
        parse_codebook(textwrap.dedent(text).encode(), source="cb.yaml")
    return list(info.value.details)


def test_small_codebook_loads_with_defaults(small_codebook: Path) -> None:
    book = load_codebook(small_codebook)
    assert book.language == "id"
    assert [c.id for c in book.walk()][:3] == [
        "strategi",
        "strategi.kerjasama",
        "strategi.pembinaan",
    ]
    code = book.code("kendala.pesaing")
    assert code.min_hits == 1 and code.negation == "count"
    assert [k.label() for k in code.keywords] == ["rentenir", "pinjol*", "lintah darat", "KUR"]
    assert code.keywords[1].prefix and code.keywords[3].case_sensitive
    assert len(book.sha256) == 64 and book.path == str(small_codebook)


def test_all_problems_reported_at_once_with_lines_and_paths() -> None:
    details = problems(
        """\
        name: T
        language: id
        codes:
          - id: strategi
            name: S
            children:
              - id: strategi.a
                name: A
                keyword: [x]
              - id: other.b
                name: B
                keywords: [pembinaan, ""]
                patterns:
                  - [{LOWERX: bank}]
                negation: maybe
                color: red
                min_hits: 0
          - id: strategi
            name: dup
        """
    )
    text = "\n".join(details)
    assert (
        "cb.yaml:9: codes -> strategi -> children -> strategi.a -> keyword: unknown key 'keyword' (did you mean 'keywords'?)"
        in text
    )
    assert (
        "cb.yaml:10: codes -> strategi -> children -> other.b -> id: 'other.b' must start with its parent's id 'strategi.'"
        in text
    )
    assert "keywords -> 1 -> text: must not be empty" in text
    assert "patterns -> 0: invalid spaCy pattern" in text and "LOWERX" in text
    assert "negation: Input should be 'count', 'skip' or 'only'" in text
    assert "color: color must look like #1f77b4" in text
    assert "min_hits: Input should be greater than or equal to 1" in text
    assert "duplicate code id 'strategi'" in text
    assert len(details) == 8


def test_missing_required_fields_are_named() -> None:
    text = "\n".join(problems("codes:\n  - id: a\n"))
    assert "name: required but missing" in text
    assert "language: required but missing" in text
    assert "codes -> a -> name: required but missing" in text


def test_unknown_top_level_key_suggests() -> None:
    text = "\n".join(problems("name: T\nlanguage: id\nlangauge: id\ncodes: [{id: a, name: A}]\n"))
    assert "unknown key 'langauge' (did you mean 'language'?)" in text


def test_language_must_be_supported() -> None:
    assert "Input should be 'id' or 'en'" in "\n".join(
        problems("name: T\nlanguage: fr\ncodes: [{id: a, name: A}]\n")
    )


def test_invalid_yaml_is_one_located_line() -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(b"name: [unclosed\nlanguage: id\n", source="cb.yaml")
    assert info.value.message.startswith("cb.yaml:")
    assert "not valid YAML" in info.value.message


def test_not_utf8_and_not_a_mapping() -> None:
    with pytest.raises(CodebookError, match="not UTF-8"):
        parse_codebook(b"name: \xff\xfe\x00", source="cb.yaml")
    with pytest.raises(CodebookError, match="must be a YAML mapping"):
        parse_codebook(b"- a\n- b\n", source="cb.yaml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="codebook not found"):
        load_codebook(tmp_path / "nope.yaml")


def test_bom_and_numbers_as_text() -> None:
    book = parse_codebook(
        b"\xef\xbb\xbfname: T\nlanguage: en\nversion: 1.0\ncodes:\n  - id: a\n    name: 2024\n    keywords: [2024, s/d, (RAT)]\n"
    )
    assert book.version == "1.0"
    assert book.code("a").name == "2024"
    assert [k.text for k in book.code("a").keywords] == ["2024", "s/d", "(RAT)"]


def test_negation_accepts_booleans() -> None:
    book = parse_codebook(
        b"name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, negation: false}\n  - {id: b, name: B, negation: true}\n"
    )
    assert book.code("a").negation == "skip"
    assert book.code("b").negation == "count"


def test_wildcard_only_at_end() -> None:
    assert "only allowed once, at the end" in "\n".join(
        problems("name: T\nlanguage: id\ncodes: [{id: a, name: A, keywords: ['pin*jol']}]\n")
    )


@pytest.mark.parametrize("name", ["koperasi.yaml", "koperasi_en.yaml"])
def test_bundled_codebooks_are_valid(name: str) -> None:
    book = load_codebook(REPO / "codebooks" / name)
    ids = {c.id for c in book.walk()}
    leaves = {
        "strategi.kelembagaan", "strategi.kerjasama", "strategi.peran_aktif", "strategi.kesadaran",
        "strategi.swot", "kendala.internal.anggota", "kendala.internal.pengurus",
        "kendala.internal.pembina", "kendala.eksternal.pesaing", "kendala.eksternal.lainnya",
        "swot.kekuatan", "swot.kelemahan", "swot.peluang", "swot.ancaman",
    }  # fmt: skip
    assert {c.id for c in book.walk() if not c.children} == leaves
    assert {"strategi", "kendala", "kendala.internal", "kendala.eksternal", "swot"} <= ids
    for code in book.walk():
        assert code.description, code.id
        if not code.children:
            assert code.include and code.exclude and code.examples and code.has_rules, code.id
    assert {book.code(c).facets.get("swot") for c in ids if c.startswith("swot.")} == {
        "strength", "weakness", "opportunity", "threat",
    }  # fmt: skip
    assert book.code("kendala.internal.anggota").facets["factor"] == "internal"
    assert book.code("kendala.eksternal.pesaing").facets["factor"] == "external"


def test_small_codebook_text_is_valid(tmp_path: Path) -> None:
    load_codebook(write(tmp_path / "x.yaml", SMALL_CODEBOOK))


def test_yaml_booleans_get_a_quoting_hint() -> None:  # regression: `no` in a flow list became false
    text = "\n".join(
        problems(
            "name: T\nlanguage: en\ncodes: [{id: a, name: A, keywords: [no], not_within: [off]}]\n"
        )
    )
    assert "keywords -> 0: YAML read this as true/false; put the word in quotes" in text
    assert "not_within -> 0: YAML read this as true/false" in text
