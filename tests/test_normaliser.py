"""Matching keys: a golden file of Indonesian keys, degraded modes and environment warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.matching import normaliser as normaliser_module
from qualcode.matching.normaliser import Normaliser

GOLDEN = Path(__file__).parent / "data" / "id_keys_golden.tsv"


def test_indonesian_keys_match_the_golden_file() -> None:  # RELIABILITY C5, C12
    normaliser = Normaliser("id")
    rows = [line.split("\t") for line in GOLDEN.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(rows) >= 300
    changed = [
        f"{word}: {key} ({source}) -> {normaliser.explain(word)}"
        for word, key, source in rows
        if normaliser.explain(word) != (key, source)
    ]
    assert not changed, (
        "keys changed (regenerate with tests/data/make_id_keys_golden.py and review):\n"
        + "\n".join(changed)
    )


def test_keys_are_idempotent_on_the_golden_words() -> None:  # RELIABILITY C12
    normaliser = Normaliser("id")
    for line in GOLDEN.read_text(encoding="utf-8").splitlines()[1:]:
        key = line.split("\t")[1]
        assert normaliser.key(key) == key or normaliser.key(normaliser.key(key)) == normaliser.key(
            key
        )


def test_missing_lookup_data_degrades_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:  # F3
    monkeypatch.setattr(
        normaliser_module, "_load_table", lambda *a, **k: normaliser_module._Table(None, None)
    )
    normaliser = Normaliser("id")
    assert any("spacy-lookups-data is not installed" in w for w in normaliser.warnings)
    assert normaliser.key("membina") == "bina"  # Sastrawi still stems


def test_old_list_based_sastrawi_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:  # C13
    from Sastrawi.Dictionary import ArrayDictionary as module

    original = module.ArrayDictionary.__init__

    def as_list(self, words=None):  # type: ignore[no-untyped-def]
        original(self, words)
        self.words = list(self.words)  # what sastrawi 1.0.1 / PySastrawi 1.1 stored

    monkeypatch.setattr(module.ArrayDictionary, "__init__", as_list)
    normaliser = Normaliser("id")
    assert any("old Sastrawi" in w for w in normaliser.warnings)


def test_stored_base_keys_are_used_and_extended() -> None:
    store: dict[str, tuple[str, str]] = {"membina": ("planted", "stem")}
    normaliser = Normaliser("id", base_keys=store)
    assert (
        normaliser.key("membina") == "planted"
    )  # a stored key is trusted (the store is versioned)
    assert normaliser.key("dibina") == "bina"
    assert store["dibina"] == ("bina", "stem") and normaliser.new_base_keys == {
        "dibina": ("bina", "stem")
    }


def test_codebook_settings_apply_on_top_of_stored_keys() -> None:
    store = {"perbankan": ("bank", "override"), "pinjolnya": ("pinjolnya", "lower")}
    normaliser = Normaliser(
        "id",
        overrides={"perbankan": "keuangan"},
        protect=["Susi"],
        extra_roots=["pinjol"],
        base_keys=store,
    )
    assert normaliser.explain("Perbankan") == ("keuangan", "override")
    assert normaliser.explain("Susi") == ("susi", "protect")
    assert normaliser.key("pinjolnya") == "pinjol"  # re-stemmed: it holds a codebook root
    assert normaliser.key("meminjol") == "pinjol"  # meN- recodes the first letter


def test_english_keys() -> None:  # C14
    normaliser = Normaliser("en")
    assert [normaliser.key(w) for w in ["Strengthening", "Cooperatives", "counselling", "organised"]] == [
        "strengthen", "cooperative", "counsel", "organize",
    ]  # fmt: skip


def test_extra_roots_are_the_same_with_stored_keys() -> None:
    words = ["kerjasama", "pinjol", "pembinaan", "dibina", "rentenir", "koperasi", "gak", "ndak",
             "bekerjasama", "pinjolnya", "perbankan", "tahu", "berkoperasi", "memberdayakan"]  # fmt: skip
    fresh = Normaliser("id", extra_roots=words)
    stored = Normaliser("id").base_keys_for(words)  # what a previous run keeps
    assert Normaliser("id", extra_roots=words, base_keys=dict(stored)).extra_roots == (
        fresh.extra_roots
    )
    assert "kerjasama" in fresh.extra_roots and "pembinaan" not in fresh.extra_roots


def test_stored_keys_spare_stemming_the_keyword_roots_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from Sastrawi.Stemmer.Stemmer import Stemmer

    words = ["kerjasama", "pinjol", "pembinaan", "rentenir", "koperasi", "perbankan", "gak"]
    fresh = Normaliser("id", extra_roots=words)
    stored = Normaliser("id").base_keys_for(words)  # what a previous run keeps
    stemmed: list[str] = []
    real = Stemmer.stem_word
    monkeypatch.setattr(Stemmer, "stem_word", lambda self, w: (stemmed.append(w), real(self, w))[1])
    again = Normaliser("id", extra_roots=words, base_keys=dict(stored))
    assert again.extra_roots == fresh.extra_roots
    assert again._probed_by_slang == fresh._probed_by_slang
    # Sastrawi's verdict on a word is in its stored key unless that key came from the lemma or
    # slang table or a built-in fix: only those are stemmed again.
    assert {"kerjasama", "pinjol"}.isdisjoint(stemmed)
    assert all(stored[word][1] in ("lemma", "slang", "override") for word in stemmed), stemmed


@given(
    texts=st.lists(st.text(st.sampled_from("abKİΣσ \n\t-.é"), max_size=20), max_size=5),
    probes=st.lists(st.text(st.sampled_from("abkiσ"), max_size=3), max_size=40),
)
def test_probes_in_finds_what_a_search_of_each_run_finds(
    texts: list[str], probes: list[str]
) -> None:
    """Searching the whole lowered text (few probes) or its distinct runs (many) is the same."""
    runs = [run for text in texts for run in text.lower().split()]
    expected = {probe for probe in probes if any(probe in run for run in runs)}
    letters = {probe for probe in probes if probe}  # the empty probe is in any text
    assert normaliser_module.probes_in(texts, letters) == expected & letters
    many = sorted(letters | {f"zz{i}" for i in range(normaliser_module._FEW_PROBES + 1)})
    assert normaliser_module.probes_in(texts, many) == expected & letters


def test_roots_in_searches_only_the_probes_it_does_not_know(
    probe_searches: list[list[str]],
) -> None:
    normaliser = Normaliser("id", extra_roots=["kerjasama", "pinjol", "rapatanggota"])
    texts = ["Kami bekerjasama erat.", "Soal pinjolnya banyak."]
    known: dict[str, bool] = {}
    assert normaliser.roots_in(texts, known) == ("kerjasama", "pinjol")
    assert known == {"erjasama": True, "injol": True, "apatanggota": False}
    assert probe_searches == [["apatanggota", "erjasama", "injol"]]
    probe_searches.clear()
    assert normaliser.roots_in(texts, known) == ("kerjasama", "pinjol")
    assert probe_searches == []  # everything known
    more = Normaliser("id", extra_roots=["kerjasama", "pinjol", "rapatanggota", "lintahdarat"])
    assert more.roots_in(texts, known) == ("kerjasama", "pinjol")
    assert probe_searches == [["intahdarat"]]
    assert known["intahdarat"] is False
