"""Re-coding after a codebook edit matches only the codes the edit changed (the hit cache)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import srsly
from click.testing import Result

from qualcode.matching.engine import CodebookMatcher
from qualcode.runner import CodingOptions, code_transcripts
from tests.conftest import write

Invoke = Callable[..., Result]

TRANSCRIPT = """\
Peneliti: Apa strategi dinas?
Bu Rahmi: Kami bekerja sama dengan perbankan, juga ada pembinaan rutin.
Peneliti: Kendalanya?
Bu Rahmi: Anggota tidak aktif, banyak rentenir dan pinjol. Anggota DPRD juga datang.
"""
OUTPUTS = ("segments.csv", "codings.csv", "hits.csv")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, frozenset[str] | None]]:
    """Every (document, codes) the matcher really matched, cache hits aside."""
    seen: list[tuple[str, frozenset[str] | None]] = []
    original = CodebookMatcher.match_document

    def spy(self: CodebookMatcher, document, codes=None):  # type: ignore[no-untyped-def]
        seen.append((document.name, None if codes is None else frozenset(codes)))
        return original(self, document, codes)

    monkeypatch.setattr(CodebookMatcher, "match_document", spy)
    return seen


def _code(root: Path, codebook: Path, out: str, cache: bool = True) -> None:
    options = CodingOptions(cache_dir=root / "cache" if cache else None)
    code_transcripts([root / "t"], codebook, root / out, options)


def _same_as_uncached(root: Path, codebook: Path, out: str) -> None:
    _code(root, codebook, out + "-nocache", cache=False)
    for name in OUTPUTS:
        assert (root / out / name).read_bytes() == (root / (out + "-nocache") / name).read_bytes()


def _project(root: Path, small_codebook: Path) -> Path:
    write(root / "t" / "a.txt", TRANSCRIPT)
    write(root / "t" / "b.txt", TRANSCRIPT.replace("pinjol", "lintah darat"))
    codebook = root / "cb.yaml"
    codebook.write_text(small_codebook.read_text(encoding="utf-8"), encoding="utf-8")
    return codebook


def _edit(codebook: Path, old: str, new: str) -> None:
    text = codebook.read_text(encoding="utf-8")
    assert old in text
    codebook.write_text(text.replace(old, new), encoding="utf-8")


def test_an_unchanged_codebook_matches_nothing_again(
    tmp_path: Path, small_codebook: Path, calls: list[tuple[str, frozenset[str] | None]]
) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    assert sorted(name for name, _ in calls) == ["a.txt", "b.txt"]
    calls.clear()
    _code(tmp_path, codebook, "two")
    assert calls == []
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_keyword_edit_rematches_only_its_code(
    tmp_path: Path, small_codebook: Path, calls: list[tuple[str, frozenset[str] | None]]
) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    calls.clear()
    _edit(codebook, "keywords: [rentenir,", "keywords: [aktif, rentenir,")
    _code(tmp_path, codebook, "two")
    assert sorted(calls) == [
        ("a.txt", frozenset({"kendala.pesaing"})),
        ("b.txt", frozenset({"kendala.pesaing"})),
    ]
    _same_as_uncached(tmp_path, codebook, "two")


def test_a_changed_transcript_is_matched_again_and_only_it(
    tmp_path: Path, small_codebook: Path, calls: list[tuple[str, frozenset[str] | None]]
) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    calls.clear()
    write(tmp_path / "t" / "b.txt", TRANSCRIPT.replace("rentenir", "kemitraan"))
    _code(tmp_path, codebook, "two")
    assert [name for name, _ in calls] == ["b.txt"]
    _same_as_uncached(tmp_path, codebook, "two")


def test_a_normaliser_change_rematches_every_code(
    tmp_path: Path, small_codebook: Path, calls: list[tuple[str, frozenset[str] | None]]
) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    calls.clear()
    _edit(codebook, "  perbankan: bank\n", "  perbankan: bank\n  rutin: pembinaan\n")
    _code(tmp_path, codebook, "two")
    codes = {code for _, matched in calls for code in matched or ()}
    assert len(calls) == 2 and "strategi.kerjasama" in codes and "kendala.anggota" in codes
    _same_as_uncached(tmp_path, codebook, "two")


def test_a_damaged_hit_entry_is_matched_again(tmp_path: Path, small_codebook: Path) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    for path in (tmp_path / "cache" / "hits").glob("*.msgpack"):
        entry = srsly.msgpack_loads(path.read_bytes())
        path.write_bytes(srsly.msgpack_dumps({key: [["x"]] for key in entry}))
    _code(tmp_path, codebook, "two")
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_rematched_phrase_code_is_matched_on_cached_words_without_docs(
    tmp_path: Path, small_codebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcode.matching.tokens import CachedTokenizer

    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    rebuilt: list[int] = []
    original = CachedTokenizer._docs_from_table

    def spy(self: CachedTokenizer, strings, rows):  # type: ignore[no-untyped-def]
        rebuilt.append(len(rows))
        return original(self, strings, rows)

    monkeypatch.setattr(CachedTokenizer, "_docs_from_table", spy)
    exact = "keywords: [{text: berkoperasi, exact: true}]"
    _edit(codebook, exact, exact.replace("[", "[rutin, "))
    _code(tmp_path, codebook, "two")
    assert rebuilt == []  # keywords only: matched on the cached words
    _same_as_uncached(tmp_path, codebook, "two")
    _edit(codebook, "keywords: [rentenir,", "keywords: [rutin,")
    _code(tmp_path, codebook, "three")
    # kendala.pesaing has token patterns (pinjol*): its turns are rebuilt as spaCy Docs
    assert rebuilt == [2, 2]
    _same_as_uncached(tmp_path, codebook, "three")


def test_a_cached_rerun_after_a_keyword_edit_does_not_import_spacy(
    tmp_path: Path, small_codebook: Path
) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    _edit(codebook, "keywords: [kerja sama,", "keywords: [kerja sama, rutin,")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from qualcode.runner import CodingOptions, code_transcripts\n"
        "root = Path(sys.argv[1])\n"
        "options = CodingOptions(cache_dir=root / 'cache')\n"
        "code_transcripts([root / 't'], root / 'cb.yaml', root / 'two', options)\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True)
    _same_as_uncached(tmp_path, codebook, "two")


def test_a_new_keyword_root_rematches_every_code_only_where_it_can_change_a_word(
    tmp_path: Path, small_codebook: Path, calls: list[tuple[str, frozenset[str] | None]]
) -> None:
    codebook = _project(tmp_path, small_codebook)
    write(tmp_path / "t" / "b.txt", TRANSCRIPT + "Bu Rahmi: Soal rapatanggotanya juga.\n")
    _code(tmp_path, codebook, "one")
    calls.clear()
    # "rapat anggota" makes "rapatanggota" a root: it can change the key of a word of b.txt only
    _edit(codebook, "keywords: [anggota]", "keywords: [anggota, rapat anggota]")
    _code(tmp_path, codebook, "two")
    matched = dict(calls)
    assert matched["a.txt"] == {"kendala.anggota"}
    assert len(matched["b.txt"] or ()) == 8  # b.txt: every code of the codebook again
    _same_as_uncached(tmp_path, codebook, "two")
    coded = (tmp_path / "two" / "hits.csv").read_text(encoding="utf-8-sig")
    assert "rapatanggotanya" in coded


def test_min_hits_and_names_rematch_nothing(
    tmp_path: Path, small_codebook: Path, calls: list[tuple[str, frozenset[str] | None]]
) -> None:
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    calls.clear()
    _edit(codebook, "min_hits: 1", "min_hits: 2")
    _edit(codebook, "name: Pesaing", "name: Saingan")
    _code(tmp_path, codebook, "two")
    assert calls == []
    _same_as_uncached(tmp_path, codebook, "two")
    assert (tmp_path / "two" / "codings.csv").read_bytes() != (
        tmp_path / "one" / "codings.csv"
    ).read_bytes()  # min_hits 2 drops single-hit codings of kendala.anggota


def test_the_summary_says_what_the_cache_gave(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    codebook = _project(tmp_path, small_codebook)

    def cache_line() -> str:
        output = cli_invoke("code", "t", "-c", str(codebook), "-o", "out", "--no-report").output
        return next(line for line in output.splitlines() if line.startswith("Cache:"))

    assert cache_line() == "Cache: nothing reused (a first run, or every document changed)"
    assert cache_line() == "Cache: 2 of 2 documents reused whole"
    _edit(codebook, "keywords: [anggota]", "keywords: [anggota, aktif]")
    write(tmp_path / "t" / "b.txt", TRANSCRIPT + "Bu Rahmi: Satu lagi.\n")
    assert cache_line() == (
        "Cache: 0 of 2 documents reused whole; 1 matched in full (new or changed); "
        "matched again: kendala.anggota"
    )
    quiet = cli_invoke("code", "t", "-c", str(codebook), "-o", "out", "-q", "--no-report")
    assert "Cache" not in quiet.output


def test_a_documents_root_probes_are_searched_once(
    tmp_path: Path, small_codebook: Path, probe_searches: list[list[str]]
) -> None:
    """Which roots can change a document's words is kept (probes/): a re-run searches for no
    probe, an edit that brings a new root searches only for its probe, a damaged file is
    searched again; the outputs are those of a run without cache."""
    codebook = _project(tmp_path, small_codebook)
    _code(tmp_path, codebook, "one")
    assert len(probe_searches) == 2 and probe_searches[0] == probe_searches[1]  # a.txt, b.txt
    assert "erjasama" in probe_searches[0]
    probe_searches.clear()
    _code(tmp_path, codebook, "two")
    assert probe_searches == []
    _edit(codebook, "keywords: [anggota]", "keywords: [anggota, rapat anggota]")
    _code(tmp_path, codebook, "three")
    assert probe_searches == [["apatanggota"], ["apatanggota"]]
    _same_as_uncached(tmp_path, codebook, "three")
    probe_searches.clear()
    for entry in (tmp_path / "cache" / "probes").iterdir():
        entry.write_bytes(b"\xc1 damaged")
    _code(tmp_path, codebook, "four")
    assert len(probe_searches) == 2
    assert "apatanggota" in probe_searches[0] and "erjasama" in probe_searches[0]
    _same_as_uncached(tmp_path, codebook, "four")
