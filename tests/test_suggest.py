"""`qualcode suggest` and the keyness statistics behind it."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from .conftest import REPO, SMALL_CODEBOOK, write

Invoke = Callable[..., Result]

SUGGEST_INTERVIEW = """\
Peneliti: Ceritakan strateginya.
Bu Rahmi: Kami kerja sama dengan kelurahan dan bank daerah untuk pelatihan.
Bu Rahmi: Kerjasama dengan kelurahan sangat membantu, bank daerah juga.
Bu Rahmi: Program CSR bank daerah lewat kerja sama kelurahan.
Bu Rahmi: Anggota jarang rapat, simpanan macet.
Bu Rahmi: Anggota tidak datang rapat tahunan.
Bu Rahmi: Rapat anggota sepi sekali.
Bu Rahmi: Simpanan wajib anggota tidak dibayar.
Bu Rahmi: Ketua pindah kota, sekretaris pindah kota juga.
Bu Rahmi: Kantor tutup, papan nama hilang, kantor kosong.
"""


def _run(*args: str) -> Result:
    from qualcode.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder of `qualcode code` for SUGGEST_INTERVIEW (coded once per module)."""
    root = tmp_path_factory.mktemp("suggest")
    book = write(root / "uji.yaml", SMALL_CODEBOOK)
    write(root / "transcripts" / "rahmi.txt", SUGGEST_INTERVIEW)
    _run("code", str(root / "transcripts"), "-c", str(book), "-o", str(root / "out"), "-q")
    return root / "out"


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_candidates_for_a_code(coded: Path, tmp_path: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("suggest", "strategi.kerjasama", str(coded), "--csv", "s.csv")
    assert "Candidate keywords for strategi.kerjasama: 3 of 9 informant turns" in result.stdout
    rows = read_rows(tmp_path / "s.csv")
    mine = {r["term"]: r for r in rows if r["table"] == "code"}
    assert {"lurah", "bank", "daerah", "bank daerah"} <= set(mine)
    assert mine["lurah"]["seen_as"] == "kelurahan (3)"
    assert (mine["bank"]["in"], mine["bank"]["out"], mine["bank"]["turns"]) == ("3", "0", "3")
    assert mine["bank daerah"]["kind"] == "phrase"
    assert mine["kerja sama"]["keyword_of"] == "this code"  # a stop word inside a keyword phrase
    scores = [float(r["score"]) for r in rows if r["table"] == "code"]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    # stop words, numbers and very short words are never candidates
    assert not {"dan", "dengan", "untuk", "juga"} & set(mine)


def test_uncoded_turns_table(coded: Path, tmp_path: Path, cli_invoke: Invoke) -> None:
    result = cli_invoke("suggest", "strategi.kerjasama", str(coded), "--csv", "s.csv")
    assert "uncoded informant turns" in result.stdout
    uncoded = {r["term"] for r in read_rows(tmp_path / "s.csv") if r["table"] == "uncoded"}
    assert {"kantor", "pindah", "kota"} <= uncoded


def test_top_min_count_and_method(coded: Path, tmp_path: Path, cli_invoke: Invoke) -> None:
    cli_invoke(
        "suggest", "strategi.kerjasama", str(coded), "--top", "2", "--min-count", "3",
        "--method", "logodds", "--csv", "s.csv",
    )  # fmt: skip
    rows = [r for r in read_rows(tmp_path / "s.csv") if r["table"] == "code"]
    assert len(rows) == 2 and all(int(r["in"]) >= 3 for r in rows)


def test_review_decisions_are_honoured(coded: Path, tmp_path: Path, cli_invoke: Invoke) -> None:
    reviews = write(
        tmp_path / "reviews.csv",
        "document,segment,code,decision\n"
        "rahmi.txt,4,strategi.kerjasama,reject\n"  # the CSR turn
        "rahmi.txt,9,strategi.kerjasama,add\n"  # the "pindah kota" turn
        "rahmi.txt,10,strategi.kerjasama,accepted\n",  # no proposal there: accept changes nothing
    )
    result = cli_invoke(
        "suggest", "strategi.kerjasama", str(coded), "--reviews", str(reviews), "--csv", "s.csv"
    )
    assert "Honouring 3 review decision(s)" in result.stdout
    assert "3 of 9 informant turns" in result.stdout
    mine = {r["term"] for r in read_rows(tmp_path / "s.csv") if r["table"] == "code"}
    assert {"pindah", "kota"} <= mine and "csr" not in mine


def test_reviews_beside_the_folder_are_found(
    tmp_path_factory: pytest.TempPathFactory, cli_invoke: Invoke
) -> None:
    root = tmp_path_factory.mktemp("beside")
    book = write(root / "uji.yaml", SMALL_CODEBOOK)
    write(root / "transcripts" / "rahmi.txt", SUGGEST_INTERVIEW)
    _run("code", str(root / "transcripts"), "-c", str(book), "-o", str(root / "out"), "-q")
    write(root / "reviews.csv", "document,segment,code,decision\nrahmi.txt,2,kendala.anggota,add\n")
    result = cli_invoke("suggest", "kendala.anggota", str(root / "out"))
    assert "Honouring 1 review decision(s)" in result.stdout
    assert "5 of 9 informant turns" in result.stdout


def test_unknown_code_and_folder(coded: Path, tmp_path: Path, cli_invoke: Invoke) -> None:
    assert "no code 'nope'" in cli_invoke("suggest", "nope", str(coded), expect_exit=1).stderr
    result = cli_invoke("suggest", "strategi", str(tmp_path / "missing"), expect_exit=1)
    assert "no such folder" in result.stderr


def test_suggest_on_the_bundled_study(tmp_path: Path, cli_invoke: Invoke) -> None:
    transcripts = REPO / "transcripts"
    codebook = REPO / "codebooks" / "koperasi.yaml"
    cli_invoke("code", str(transcripts), "-c", str(codebook), "-o", "out", "-q", "--no-decisions")
    cli_invoke("suggest", "strategi.kerjasama", "out", "--csv", "s.csv")
    rows = [r for r in read_rows(tmp_path / "s.csv") if r["table"] == "code"]
    assert rows and all(float(r["score"]) > 0 for r in rows)
    assert any(r["keyword_of"] == "this code" for r in rows)


# --- keyness -----------------------------------------------------------------------------------


def test_log_likelihood_known_value() -> None:
    from qualcode.analysis.keyness import log_likelihood

    assert log_likelihood(10, 0, 100, 100) == pytest.approx(20 * math.log(2))
    assert log_likelihood(0, 10, 100, 100) == pytest.approx(-20 * math.log(2))
    assert log_likelihood(5, 5, 100, 100) == 0.0


def test_keyness_ranks_and_filters() -> None:
    from qualcode.analysis.keyness import keyness

    target = {"bank": 6, "anggota": 2, "rapat": 1}
    reference = {"anggota": 10, "rapat": 8, "bank": 0}
    for method in ("g2", "logodds"):
        rows = keyness(target, reference, method=method, min_count=2)
        assert [r.term for r in rows] == ["bank", "anggota"]
        assert rows[0].score > 0 > rows[1].score
    with pytest.raises(ValueError):
        keyness(target, reference, method="chi2")


counts = st.integers(min_value=0, max_value=500)


@given(a=counts, b=counts, extra_c=counts, extra_d=counts)
def test_g2_sign_flips_with_the_sides(a: int, b: int, extra_c: int, extra_d: int) -> None:
    from qualcode.analysis.keyness import log_likelihood

    c, d = a + extra_c, b + extra_d
    forward, backward = log_likelihood(a, b, c, d), log_likelihood(b, a, d, c)
    assert forward == pytest.approx(-backward, abs=1e-9) or forward == backward == 0.0
    if c and d and a / c > b / d:
        assert forward > 0


@given(a=counts, b=counts, extra_c=counts, extra_d=counts)
def test_log_odds_sign_flips_with_the_sides(a: int, b: int, extra_c: int, extra_d: int) -> None:
    from qualcode.analysis.keyness import log_odds_z

    c, d = a + extra_c, b + extra_d
    prior, total = float(a + b), float(c + d)
    forward = log_odds_z(a, b, c, d, prior, total)
    assert forward == pytest.approx(-log_odds_z(b, a, d, c, prior, total), abs=1e-9)
