"""The bundled study end to end: demo transcripts, both codebooks, and the held-out evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.analysis.evaluation import Evaluation, evaluate, read_gold
from qualcode.runner import CodingOptions, CodingResult, code_transcripts

from .conftest import REPO

#: The target from the Core issue, on interviews nobody tuned the codebook to.
HELDOUT_MICRO_F1 = 0.75


def run(paths: list[Path], codebook: Path, out: Path) -> CodingResult:
    return code_transcripts(paths, codebook, out, CodingOptions(cache_dir=None))


def scored(result: CodingResult, gold: Path) -> Evaluation:
    leaves = [c.id for c in result.codebook.walk() if not c.children]
    predicted = [(c.document, c.segment, c.code) for c in result.codings]
    return evaluate(predicted, read_gold(gold), leaves)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> CodingResult:
    out = tmp_path_factory.mktemp("demo")
    return run([REPO / "transcripts"], REPO / "codebooks" / "koperasi.yaml", out)


def test_demo_codes_every_transcript_without_failures(demo: CodingResult) -> None:
    assert demo.failures == []
    names = {d.name for d in demo.documents}
    assert {"kepala_bidang.txt", "ppkl_satu.txt", "ppkl_dua.md", "pengurus_koperasi.docx"} <= names
    for document in demo.documents:
        if document.name.startswith("en/"):
            continue
        assert len(document.body.split()) >= 1500, document.name
        assert {"informant", "role", "date"} <= set(document.attributes), document.name
    coded = {c.code for c in demo.codings}
    leaves = {c.id for c in demo.codebook.walk() if not c.children}
    assert coded == leaves, f"codes never applied on the demo: {sorted(leaves - coded)}"


def test_demo_quotes_slice_their_documents(demo: CodingResult) -> None:
    bodies = {d.name: d.body for d in demo.documents}
    for hit in demo.hits:
        assert bodies[hit.document][hit.start : hit.end] == hit.matched
    for coding in demo.codings:
        assert bodies[coding.document][coding.start : coding.end] == coding.text


def test_heldout_micro_f1_meets_the_target(tmp_path: Path) -> None:
    result = run([REPO / "evaluation" / "heldout"], REPO / "codebooks" / "koperasi.yaml", tmp_path)
    evaluation = scored(result, REPO / "evaluation" / "heldout_gold.csv")
    assert evaluation.units >= 50
    assert evaluation.micro.f1 is not None
    print(f"held-out micro-F1 {evaluation.micro.f1:.3f} macro-F1 {evaluation.macro.f1}")
    assert evaluation.micro.f1 >= HELDOUT_MICRO_F1


def test_dev_gold_lines_up_with_the_demo(demo: CodingResult) -> None:
    gold = read_gold(REPO / "evaluation" / "dev_gold.csv")
    informant = {
        (s.document, s.number) for d in demo.documents for s in d.segments if not s.is_interviewer
    }
    assert set(gold) <= informant


def test_english_codebook_on_the_english_interview(tmp_path: Path) -> None:
    result = run([REPO / "transcripts" / "en"], REPO / "codebooks" / "koperasi_en.yaml", tmp_path)
    assert result.failures == []
    assert len({c.code for c in result.codings}) >= 6
