"""`qualcode agree`: two hand-coded sheets, codings.csv, and reviews files; table, csv and json."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import write

Invoke = Callable[..., Result]

# Krippendorff's (2011) binary example for code x over ten segments; code y is never used.
CODER_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
CODER_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def sheet(path: Path, marks: list[int], extra: str = "") -> Path:
    lines = ["document,segment,codes"]
    lines += [f"a.txt,{n},{'x' if m else ''}" for n, m in enumerate(marks, start=1)]
    return write(path, "\n".join(lines) + "\n" + extra)


@pytest.fixture
def coders(tmp_path: Path) -> tuple[Path, Path]:
    return sheet(tmp_path / "a.csv", CODER_A), sheet(tmp_path / "b.csv", CODER_B)


def test_two_coders_json_values_and_edge_cases(
    coders: tuple[Path, Path], cli_invoke: Invoke
) -> None:
    result = cli_invoke(
        "agree", "a.csv", "b.csv", "--code", "x", "--code", "y", "--gold", "A", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["units"] == 10 and data["codes"] == ["x", "y"]
    x, y = data["per_code"]
    assert (x["both"], x["only_a"], x["only_b"], x["neither"]) == (1, 1, 3, 5)
    assert x["percent_agreement"] == 60.0
    assert x["kappa"] == pytest.approx(0.04 / 0.44, abs=1e-6)
    assert x["alpha"] == pytest.approx(0.095238, abs=1e-6)  # Krippendorff's worked example
    assert y == {**y, "percent_agreement": 100.0, "kappa": None, "alpha": None}
    assert data["mean"]["codes_with_kappa"] == 1
    scores = data["evaluation"]["per_code"][0]
    assert (scores["tp"], scores["fp"], scores["fn"]) == (1, 3, 1)
    assert (scores["precision"], scores["recall"]) == (0.25, 0.5)
    assert scores["f1"] == pytest.approx(1 / 3, abs=1e-6)
    assert [(d["segment"], d["only_a"], d["only_b"]) for d in data["disagreements"]] == [
        (1, [], ["x"]), (3, [], ["x"]), (6, [], ["x"]), (9, ["x"], []),
    ]  # fmt: skip
    again = cli_invoke(
        "agree", "a.csv", "b.csv", "--code", "x", "--code", "y", "--gold", "A", "--format", "json"
    )
    assert again.stdout == result.stdout  # deterministic


def test_table_and_csv_say_undefined_never_nan(
    coders: tuple[Path, Path], cli_invoke: Invoke, tmp_path: Path
) -> None:
    table = cli_invoke("agree", "a.csv", "b.csv", "--code", "x", "--code", "y", "--gold", "B",
                       "--disagreements", "diff.csv")  # fmt: skip
    assert "a.csv (hand-coded sheet)" in table.stdout
    assert "10 segments in 1 document(s), 2 code(s)" in table.stdout
    assert "60.0%" in table.stdout and "0.091" in table.stdout and "0.095" in table.stdout
    assert "undefined" in table.stdout and "nan" not in table.stdout.lower()
    assert "A against B as the reference" in table.stdout
    assert "Segments where A and B differ (4)" in table.stdout
    diff = list(
        csv.DictReader(io.StringIO((tmp_path / "diff.csv").read_text(encoding="utf-8-sig")))
    )
    assert [(r["segment"], r["only_a"], r["only_b"]) for r in diff][-1] == ("9", "x", "")

    out = cli_invoke("agree", "a.csv", "b.csv", "--code", "x", "--code", "y", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["code"] for r in rows] == ["x", "y", "overall", "mean"]
    assert rows[1]["kappa"] == "undefined" and rows[1]["alpha"] == "undefined"
    assert "nan" not in out.stdout.lower()
    assert float(rows[0]["alpha"]) == pytest.approx(0.095238, abs=1e-6)


def test_perfect_agreement_and_no_variation(tmp_path: Path, cli_invoke: Invoke) -> None:
    sheet(tmp_path / "a.csv", CODER_A)
    sheet(tmp_path / "same.csv", CODER_A)
    sheet(tmp_path / "none1.csv", [0] * 10)
    sheet(tmp_path / "none2.csv", [0] * 10)
    same = json.loads(cli_invoke("agree", "a.csv", "same.csv", "--format", "json").stdout)
    assert (same["overall"]["kappa"], same["overall"]["alpha"]) == (1.0, 1.0)
    assert "A and B agree on every segment." in cli_invoke("agree", "a.csv", "same.csv").stdout
    empty = json.loads(cli_invoke("agree", "none1.csv", "none2.csv", "--format", "json").stdout)
    assert empty["codes"] == [] and empty["overall"]["percent_agreement"] is None
    assert "undefined" in cli_invoke("agree", "none1.csv", "none2.csv").stdout


def test_sheet_with_one_row_per_code_and_partial_documents(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "a.csv", "document,segment,codes\na.txt,1,x\na.txt,1,y\na.txt,2,\nb.txt,1,x\n")
    write(tmp_path / "b.csv", "document,segment,codes\na.txt,1,x; y\na.txt,2,\n")
    result = cli_invoke("agree", "a.csv", "b.csv", "--format", "json")
    data = json.loads(result.stdout)
    assert data["units"] == 2 and data["left_out_documents"] == {"a": ["b.txt"], "b": []}
    assert data["overall"]["percent_agreement"] == 100.0
    assert "left out: document(s) only A covers: b.txt" in result.stderr


def test_codings_and_reviews_against_a_sheet(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(
        tmp_path / "t" / "w.txt",
        "Peneliti: Apa?\nBu: Kami bekerja sama.\nPeneliti: Lalu?\nBu: Banyak rentenir.\n"
        "Peneliti: Oh.\nBu: Ya.\n",
    )
    cli_invoke("code", "t", "-c", str(small_codebook), "-o", "out", "-q")
    write(tmp_path / "gold.csv", "document,segment,codes\nw.txt,2,strategi.kerjasama\nw.txt,4,\n")
    result = json.loads(
        cli_invoke("agree", "out", "gold.csv", "--gold", "B", "--format", "json").stdout
    )
    assert result["a"] == {"path": "out/codings.csv", "kind": "codings"}
    assert result["units"] == 3  # informant turns 2, 4, 6 from segments.csv, the sheet's 2 and 4
    assert result["codes"] == ["strategi.kerjasama", "kendala.pesaing"]  # codebook order
    assert [(d["segment"], d["only_a"]) for d in result["disagreements"]] == [
        (4, ["kendala.pesaing"])
    ]
    assert result["evaluation"]["micro"]["precision"] == 0.5

    write(
        tmp_path / "reviews.csv", "document,segment,code,decision\nw.txt,4,kendala.pesaing,reject\n"
    )
    reviewed = cli_invoke("agree", "reviews.csv", "gold.csv", "--format", "json")
    data = json.loads(reviewed.stdout)
    assert data["a"]["kind"] == "reviews" and data["disagreements"] == []
    assert "1 rejected" in " ".join(data["notes"])
    # machine vs researcher: the reviews file applies to the codings.csv on the other side
    versus = json.loads(
        cli_invoke("agree", "out/codings.csv", "reviews.csv", "--format", "json").stdout
    )
    assert [(d["segment"], d["only_a"]) for d in versus["disagreements"]] == [
        (4, ["kendala.pesaing"])
    ]

    cli_invoke("code", "t", "-c", str(small_codebook), "-o", "out2", "-q")
    ambiguous = cli_invoke("agree", "reviews.csv", "gold.csv", expect_exit=1)
    assert "--apply-to" in ambiguous.stderr and "Traceback" not in ambiguous.output
    cli_invoke("agree", "reviews.csv", "gold.csv", "--apply-to", "out2")


def test_unusable_inputs_are_clear_errors(tmp_path: Path, cli_invoke: Invoke) -> None:
    write(tmp_path / "a.csv", "document,segment,codes\na.txt,1,x\n")
    write(tmp_path / "other.csv", "document,segment,codes\nb.txt,1,x\n")
    write(tmp_path / "weird.csv", "foo,bar\n1,2\n")
    assert (
        "no document in common" in cli_invoke("agree", "a.csv", "other.csv", expect_exit=1).stderr
    )
    assert "not a codings.csv" in cli_invoke("agree", "a.csv", "weird.csv", expect_exit=1).stderr
    assert "file not found" in cli_invoke("agree", "a.csv", "missing.csv", expect_exit=1).stderr
