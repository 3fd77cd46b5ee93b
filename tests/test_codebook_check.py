"""`qualcode codebook check`: advice on keys, stems and rules; exit 0 for advice, 1 for errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import REPO, SMALL_CODEBOOK, write

Invoke = Callable[..., Result]

CHECK_INTERVIEW = """\
Peneliti: Apa strategi dinas?
Bu Rahmi: Kami bekerja sama dengan perbankan dan membina anggota.
Peneliti: Lalu?
Bu Rahmi: Penguatan kelembagaan dinas, pembinaannya rutin untuk anggota.
Bu Rahmi: Anggota banyak yang pasif.
Bu Rahmi: Anggota DPRD pernah datang.
Bu Rahmi: Anggota juga pinjam ke rentenir dan pinjolnya banyak.
Bu Rahmi: Ada bank keliling setiap pagi, anggota tergoda.
Bu Rahmi: Kerjasama dengan kelurahan juga jalan.
Bu Rahmi: Tidak ada pembinaan dari provinsi.
Bu Rahmi: Rapat anggota tahunan jarang.
Bu Rahmi: Terima kasih.
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The check of the small codebook against CHECK_INTERVIEW (one matcher for the module)."""
    from qualcode.analysis.codebook_check import check_codebook
    from qualcode.codebook import load_codebook
    from qualcode.ingest import read_document
    from qualcode.matching import CodebookMatcher
    from qualcode.matching.expansion import keyword_expansions

    root = tmp_path_factory.mktemp("check")
    book = load_codebook(write(root / "uji.yaml", SMALL_CODEBOOK))
    document = read_document(write(root / "wawancara.txt", CHECK_INTERVIEW))
    matcher = CodebookMatcher(book)
    return check_codebook(matcher, keyword_expansions(book, matcher), [document])


def test_shared_key_is_advice(checked) -> None:  # type: ignore[no-untyped-def]
    [shared] = checked.by_kind("shared_key")
    assert "'bina'" in shared.message and "kendala.pembina" in shared.message


def test_dead_rules_are_the_rules_with_no_hit(checked) -> None:  # type: ignore[no-untyped-def]
    dead = {(a.code, a.rule) for a in checked.by_kind("dead_rule")}
    assert ("strategi.kerjasama", "keyword: lintas sektor") in dead
    assert ("kendala.pesaing", "keyword: lintah darat") in dead
    assert ("strategi.kesadaran", "keyword: berkoperasi") in dead
    # a rule that matched only through its joined spelling is alive ("kerja sama" -> Kerjasama)
    assert ("strategi.kerjasama", "keyword: kerja sama") not in dead
    assert ("kendala.pesaing", "pattern: bank keliling") not in dead


def test_shadowed_rule_is_not_called_dead(checked) -> None:  # type: ignore[no-untyped-def]
    # "kelembagaan" matches only inside "Penguatan kelembagaan" (the longer hit of its code wins)
    [shadowed] = checked.by_kind("shadowed")
    assert shadowed.rule == "keyword: kelembagaan"
    assert "inside a longer match" in shadowed.message
    assert ("strategi.pembinaan", "keyword: kelembagaan") not in {
        (a.code, a.rule) for a in checked.by_kind("dead_rule")
    }


def test_too_broad_rule(checked) -> None:  # type: ignore[no-untyped-def]
    [broad] = checked.by_kind("too_broad")
    assert broad.code == "kendala.anggota" and broad.rule == "keyword: anggota"
    assert "of 10 informant turns" in broad.message


def test_codes_that_coded_nothing(checked) -> None:  # type: ignore[no-untyped-def]
    assert [a.code for a in checked.by_kind("coded_nothing")] == ["strategi.kesadaran"]
    assert checked.coded_turns["kendala.anggota"] >= 5
    assert checked.informant_turns == 10


def test_rule_statistics(checked) -> None:  # type: ignore[no-untyped-def]
    rows = {(r.code, r.rule): r for r in checked.rules}
    anggota = rows[("kendala.anggota", "keyword: anggota")]
    assert anggota.turns == 7 and anggota.counted == 6  # one is inside "anggota DPRD"
    assert rows[("kendala.pesaing", "keyword: pinjol*")].hits == 1


def test_rule_name_strips_the_spelling_note() -> None:
    from qualcode.analysis.codebook_check import rule_name

    assert rule_name("keyword: kerja sama (joined: kerjasama)") == "keyword: kerja sama"
    assert rule_name("keyword: kerjasama (split: kerja sama)") == "keyword: kerjasama"
    assert rule_name("pattern: bank (keliling)") == "pattern: bank (keliling)"


# --- over-stemming -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def normaliser():  # type: ignore[no-untyped-def]
    from qualcode.matching.normaliser import Normaliser

    return Normaliser("id")


def test_over_stemmed_berikan_without_the_builtin_fix(normaliser) -> None:  # type: ignore[no-untyped-def]
    from qualcode.analysis.overstemming import over_stemmed
    from qualcode.matching.normaliser import Normaliser

    bare = Normaliser("id")
    for table in (bare.overrides, getattr(bare, "builtin_overrides", {})):
        for word in ("berikan", "relawan"):
            table.pop(word, None)
    berikan = over_stemmed("berikan", bare)
    assert berikan is not None and berikan.key == "ikan" and berikan.other == "beri"
    relawan = over_stemmed("relawan", bare)
    assert relawan is not None and relawan.key == "rawan" and relawan.other == ""
    # with the built-in fix the key is right, so no advice
    assert over_stemmed("berikan", normaliser) is None


@pytest.mark.parametrize(
    "word",
    ["pembinaan", "kemitraan", "pengurus", "bekerja", "pedagang", "petugas", "berkoperasi",
     "penyuluhan", "pemasaran", "pengawasan", "menyadarkan", "berperan", "sekali", "koperasi",
     "ogah-ogahan", "sakit-sakitan", "koperasi-koperasi"],
)  # fmt: skip
def test_regular_derivations_are_not_over_stemmed(normaliser, word: str) -> None:  # type: ignore[no-untyped-def]
    from qualcode.analysis.overstemming import over_stemmed

    assert over_stemmed(word, normaliser) is None


def test_over_stemming_is_rare_on_the_bundled_transcripts(normaliser) -> None:  # type: ignore[no-untyped-def]
    """A sweep over every word of the demo interviews: advice must stay rare to stay useful."""
    from qualcode.analysis.overstemming import over_stemmed

    text = " ".join(p.read_text("utf-8") for p in (REPO / "transcripts").glob("*.txt"))
    words = set(re.findall(r"[a-z]+", text.lower()))
    flagged = sorted(w for w in words if over_stemmed(w, normaliser))
    assert len(words) > 500
    assert len(flagged) <= 5, flagged


def test_check_cli_reports_over_stemmed_keyword(tmp_path: Path, cli_invoke: Invoke) -> None:
    # spaCy's lemma table maps virus -> visa and sekati -> kati (measured with
    # spacy-lookups-data 1.0.5); both would match unrelated words
    book = write(
        tmp_path / "cb.yaml",
        "name: x\nlanguage: id\ncodes:\n  - id: a\n    name: A\n    keywords: [virus, sekati]\n",
    )
    result = cli_invoke("codebook", "check", str(book))
    assert "over-stemmed (2)" in result.stdout
    assert "'virus' -> 'visa' looks over-stemmed ('visa' is a different word" in result.stdout
    assert "write {text: virus, exact: true}" in result.stdout
    assert "'sekati' -> 'kati' looks over-stemmed ('sekati' also reads as 'sekat')" in result.stdout
    assert "write overrides: {sekati: sekat} or {text: sekati, exact: true}" in result.stdout


# --- the command -------------------------------------------------------------------------------


def test_check_cli_exit_0_with_advice(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "transcripts" / "w.txt", CHECK_INTERVIEW)
    result = cli_invoke("codebook", "check", str(small_codebook), "transcripts", "--rules")
    out = result.stdout
    assert "valid — 8 codes" in out
    assert "Tried on 1 transcript(s), 10 informant turns" in out
    assert "shared key (1)" in out and "dead rule (" in out and "too broad (1)" in out
    assert "strategi.kesadaran (1 of 1 rules): berkoperasi" in out
    assert "keyword: anggota" in out and "70%" in out  # the --rules table, not wrapped


def test_check_broad_threshold_option(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "transcripts" / "w.txt", CHECK_INTERVIEW)
    result = cli_invoke("codebook", "check", str(small_codebook), "transcripts", "--broad", "0.8")
    assert "too broad" not in result.stdout


def test_check_cli_exit_1_with_located_errors(tmp_path: Path, cli_invoke: Invoke) -> None:
    book = write(
        tmp_path / "bad.yaml",
        "name: x\nlanguage: id\ncodes:\n  - id: a\n    name: A\n    keywordz: [b]\n",
    )
    result = cli_invoke("codebook", "check", str(book), expect_exit=1)
    assert "bad.yaml:6: codes -> a -> keywordz: unknown key 'keywordz'" in result.stderr
    assert "did you mean 'keywords'" in result.stderr


def test_check_cli_exit_3_for_an_unreadable_transcript(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "transcripts" / "w.txt", CHECK_INTERVIEW)
    (tmp_path / "transcripts" / "broken.docx").write_bytes(b"not a zip")
    result = cli_invoke("codebook", "check", str(small_codebook), "transcripts", expect_exit=3)
    assert "broken.docx" in result.stderr
    assert "dead rule" in result.stdout  # the advice is still given


def test_check_accepts_a_spreadsheet_codebook(tmp_path: Path, cli_invoke: Invoke) -> None:
    sheet = write(tmp_path / "cb.csv", "id,name,keywords\nbina,Pembinaan,pembinaan; binaan\n")
    result = cli_invoke("codebook", "check", str(sheet))
    assert "valid — 1 codes" in result.stdout
    assert "redundant (1)" in result.stdout  # binaan -> bina, like pembinaan


def test_check_on_the_bundled_study(cli_invoke: Invoke) -> None:
    codebook = REPO / "codebooks" / "koperasi.yaml"
    result = cli_invoke("codebook", "check", str(codebook), str(REPO / "transcripts"))
    assert "valid —" in result.stdout
    assert re.search(r"Tried on \d+ transcript\(s\), \d+ informant turns", result.stdout)
