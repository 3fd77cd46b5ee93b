"""Stem-aware matching: keywords, exact/prefix keywords, patterns, not_within, negation, offsets."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qualcode.codebook import parse_codebook
from qualcode.matching import CodebookMatcher
from qualcode.models import COUNTED, NEGATED, NOT_NEGATED, NOT_WITHIN, Document, Hit, Segment


def document(*turns: str, name: str = "t.txt") -> Document:
    """A document whose informant turns are ``turns``, each on its own line."""
    body = "\n".join(turns)
    segments, start = [], 0
    for number, text in enumerate(turns, start=1):
        segments.append(Segment(name, number, "Informan", "", start, start + len(text), text))
        start += len(text) + 1
    return Document(name, body, tuple(segments))


def hits_for(matcher: CodebookMatcher, *turns: str) -> list[Hit]:
    doc = document(*turns)
    hits = matcher.match_document(doc)
    for hit in hits:
        assert doc.body[hit.start : hit.end] == hit.matched
    return hits


def matched(hits: list[Hit], code: str, status: str = COUNTED) -> list[str]:
    return [h.matched for h in hits if h.code == code and h.status == status]


def matcher_for(yaml_text: str) -> CodebookMatcher:
    return CodebookMatcher(parse_codebook(textwrap.dedent(yaml_text).encode()))


def test_word_forms_of_bina_all_match(small_matcher: CodebookMatcher) -> None:  # C1
    hits = hits_for(small_matcher, "Kami membina, dibina, pembinaannya, Pembinaan dan binaan.")
    assert matched(hits, "strategi.pembinaan") == [
        "membina", "dibina", "pembinaannya", "Pembinaan", "binaan",
    ]  # fmt: skip
    assert {h.key for h in hits if h.code == "strategi.pembinaan"} == {"bina"}
    assert {h.rule for h in hits if h.code == "strategi.pembinaan"} == {"keyword: pembinaan"}


def test_capitalised_sentence_start_matches(small_matcher: CodebookMatcher) -> None:  # C2
    hits = hits_for(small_matcher, "Penguatan kelembagaan itu penting.")
    assert matched(hits, "strategi.pembinaan") == ["Penguatan kelembagaan"]


def test_overlapping_keywords_count_once_longest_wins(small_matcher: CodebookMatcher) -> None:  # C9
    hits = [
        h
        for h in hits_for(small_matcher, "Penguatan kelembagaan dinas.")
        if h.code == "strategi.pembinaan"
    ]
    assert len(hits) == 1 and hits[0].rule == "keyword: penguatan kelembagaan"


def test_reduplication_matches_either_way() -> None:  # C3
    matcher = matcher_for(
        """\
        name: T
        language: id
        codes:
          - {id: a, name: A, keywords: [koperasi, pengurus, hak]}
        """
    )
    hits = hits_for(matcher, "koperasi-koperasi, Koperasi-koperasi, pengurus-pengurus, hak-haknya")
    assert matched(hits, "a") == [
        "koperasi-koperasi", "Koperasi-koperasi", "pengurus", "pengurus", "hak", "haknya",
    ]  # fmt: skip


def test_exact_keyword_does_not_broaden(small_matcher: CodebookMatcher) -> None:  # C4
    hits = hits_for(small_matcher, "Hidup berkoperasi itu baik, koperasi kami kecil.")
    assert matched(hits, "strategi.kesadaran") == ["berkoperasi"]


def test_stem_keyword_berkoperasi_is_flagged_as_broad() -> None:  # C4
    from qualcode.matching.expansion import keyword_expansions

    book = parse_codebook(
        b"name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [berkoperasi]}\n"
    )
    report = keyword_expansions(book)
    (expansion,) = report.expansions
    assert expansion.spellings[0][1] == "koperasi"
    assert any("berkoperasi -> koperasi" in s for s in expansion.sources)


def test_overrides_and_protected_words(small_matcher: CodebookMatcher) -> None:  # C5
    key = small_matcher.normaliser.key
    assert [key(w) for w in ["perbankan", "berikan", "Bali", "Bekasi", "relawan", "Susi"]] == [
        "bank", "beri", "bali", "bekasi", "relawan", "susi",
    ]  # fmt: skip


def test_no_false_hit_for_ikan_from_berikan() -> None:  # C5
    matcher = matcher_for("name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [ikan]}\n")
    assert matched(hits_for(matcher, "Tolong berikan datanya. Ikan bakar enak."), "a") == ["Ikan"]


def test_non_ascii_tokens_are_lowercased_not_stemmed(small_matcher: CodebookMatcher) -> None:  # C6
    key = small_matcher.normaliser.key
    assert key("Café") == "café"
    assert key("naïve") == "naïve"
    assert key("Rp5.000.000") == "rp5.000.000"
    text = "café naïve ±40 Rp5.000.000"
    doc = small_matcher.make_doc(text)
    assert [t.text for t in doc] == [t.text for t in small_matcher.nlp.make_doc(text)]
    assert [t.norm_ for t in doc][:2] == ["café", "naïve"]


def test_slang_is_standardised() -> None:  # C7
    matcher = matcher_for(
        "name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [tidak aktif, sudah bubar]}\n"
    )
    hits = hits_for(matcher, "Koperasinya gak aktif, udah bubar. Nggak aktif juga.")
    assert matched(hits, "a") == ["gak aktif", "udah bubar", "Nggak aktif"]


def test_kerja_sama_spellings(small_matcher: CodebookMatcher) -> None:  # C8
    hits = hits_for(
        small_matcher, "Kerja sama, kerjasama, bekerjasama, bekerja sama, Kerjasamanya."
    )
    assert matched(hits, "strategi.kerjasama") == [
        "Kerja sama", "kerjasama", "bekerjasama", "bekerja sama", "Kerjasamanya",
    ]  # fmt: skip


def test_one_word_compound_keyword_matches_split_spelling() -> None:  # C8
    matcher = matcher_for(
        "name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [kerjasama]}\n"
    )
    hits = hits_for(matcher, "Ada kerja sama dan kerjasama.")
    assert matched(hits, "a") == ["kerja sama", "kerjasama"]
    assert hits[0].rule == "keyword: kerjasama (split: kerja sama)"


def test_phrases_match_across_a_line_break_but_not_across_turns(
    small_matcher: CodebookMatcher,
) -> None:  # C10
    hits = hits_for(small_matcher, "Kami kerja\nsama dengan bank.", "Soal kerja", "sama saja.")
    assert matched(hits, "strategi.kerjasama") == ["kerja\nsama"]


def test_not_within(small_matcher: CodebookMatcher) -> None:
    hits = hits_for(small_matcher, "Anggota DPRD datang, tapi anggota koperasi tidak.")
    assert matched(hits, "kendala.anggota") == ["anggota"]
    assert matched(hits, "kendala.anggota", NOT_WITHIN) == ["Anggota"]


def test_negation_skip_and_only(small_matcher: CodebookMatcher) -> None:
    hits = hits_for(
        small_matcher,
        "Tidak ada kerja sama. Belum pernah ada pembinaan. Kemitraan jalan, pembinaan rutin.",
    )
    assert matched(hits, "strategi.kerjasama") == ["Kemitraan"]
    assert matched(hits, "strategi.kerjasama", NEGATED) == ["kerja sama"]
    assert matched(hits, "kendala.pembina") == ["pembinaan"]
    assert matched(hits, "kendala.pembina", NOT_NEGATED) == ["pembinaan"]
    assert matched(hits, "strategi.pembinaan") == ["pembinaan", "pembinaan"]


def test_negation_stops_at_punctuation_and_uses_slang(small_matcher: CodebookMatcher) -> None:
    hits = hits_for(small_matcher, "Gak, kerja sama ada. Nggak ada kerja sama.")
    assert matched(hits, "strategi.kerjasama") == ["kerja sama"]
    assert matched(hits, "strategi.kerjasama", NEGATED) == ["kerja sama"]


def test_prefix_wildcard_exact_case_and_patterns(small_matcher: CodebookMatcher) -> None:
    hits = hits_for(
        small_matcher,
        "Pinjol, pinjolnya, rentenir, lintah darat, KUR bukan kur, bank keliling, bank-keliling.",
    )
    got = matched(hits, "kendala.pesaing")
    assert got == [
        "Pinjol",
        "pinjolnya",
        "rentenir",
        "lintah darat",
        "KUR",
        "bank keliling",
        "bank-keliling",
    ]
    rules = {h.matched: h.rule for h in hits}
    assert rules["pinjolnya"] == "keyword: pinjol*"
    assert rules["bank keliling"] == "pattern: bank keliling"


def test_min_hits_and_codings() -> None:
    matcher = matcher_for(
        "name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [bank], min_hits: 2}\n"
    )
    doc = document("Bank saja.", "Bank dan perbankan.")
    hits, codings = matcher.code_document(doc)
    assert [h.segment for h in hits] == [1, 2, 2]
    assert [(c.segment, c.hits, c.matched) for c in codings] == [(2, 2, ("Bank", "perbankan"))]


def test_interviewer_turns_are_never_coded(small_matcher: CodebookMatcher) -> None:
    text = "Apakah ada kerja sama?"
    doc = Document(
        "t.txt", text, (Segment("t.txt", 1, "Peneliti", "", 0, len(text), text, "interviewer"),)
    )
    assert small_matcher.match_document(doc) == []


def test_english_lemmas_lowercase_and_british_spelling() -> None:  # C14
    matcher = matcher_for(
        """\
        name: T
        language: en
        codes:
          - {id: a, name: A, keywords: [strengthen, cooperative, counseling, partnership]}
        """
    )
    hits = hits_for(matcher, "Strengthening Cooperatives through counselling and partnerships.")
    assert matched(hits, "a") == ["Strengthening", "Cooperatives", "counselling", "partnerships"]


def test_cached_and_uncached_keys_agree_and_are_idempotent(
    small_matcher: CodebookMatcher,
) -> None:  # C12
    normaliser = small_matcher.normaliser
    words = ["membina", "Pembinaannya", "kerjasamanya", "perbankan", "gak", "koperasi-koperasi"]
    first = [normaliser.key(w) for w in words]
    assert first == [normaliser.explain(w)[0] for w in words]
    assert first == [normaliser.key(w) for w in words]
    assert [normaliser.key(k) for k in first] == first


_word = st.sampled_from(
    ["kerja", "sama", "kerjasama", "pembinaan", "dibina", "anggota", "DPRD", "tidak", "gak",
     "pinjol", "bank", "keliling", "lintah", "darat", "café", "😀", "Penguatan", "kelembagaan",
     ",", ".", "-", "rentenir", "KUR", "koperasi-koperasi"]
)  # fmt: skip
_sep = st.sampled_from([" ", "  ", "\n", " \n ", "\t"])


@given(
    turns=st.lists(
        st.lists(st.tuples(_word, _sep), min_size=1, max_size=12), min_size=1, max_size=4
    )
)
def test_hits_always_slice_to_their_quote_and_stay_in_their_segment(
    small_matcher: CodebookMatcher, turns: list[list[tuple[str, str]]]
) -> None:
    texts = ["".join(w + s for w, s in turn).strip() or "x" for turn in turns]
    doc = document(*texts)
    bounds = {s.number: (s.start, s.end) for s in doc.segments}
    for hit in small_matcher.match_document(doc):
        assert doc.body[hit.start : hit.end] == hit.matched
        start, end = bounds[hit.segment]
        assert start <= hit.start < hit.end <= end


def test_codebook_roots_do_not_leak_between_codebooks(tmp_path: Path) -> None:
    one = matcher_for("name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [pinjol]}\n")
    two = matcher_for("name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [bank]}\n")
    assert one.normaliser.key("pinjolnya") == "pinjol"
    assert two.normaliser.key("pinjolnya") != "pinjol"
