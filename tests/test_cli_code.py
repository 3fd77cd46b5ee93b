"""`qualcode code` and `qualcode codebook show`, run in-process on temporary projects."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import write

Invoke = Callable[..., Result]

INTERVIEW = """\
---
title: Wawancara PPKL
informant: Bu Rahmi
role: PPKL
date: 2024-03-12
interviewer: Peneliti
---
Peneliti: Apa strategi dinas? Ada kerja sama?
[00:01:05] Bu Rahmi: Kami bekerja sama dengan perbankan.
Juga pembinaan rutin, tapi anggota banyak yang pasif.
Peneliti: Kendalanya?
Bu Rahmi: =SUM(A1) itu bercanda. Banyak rentenir dan pinjol. Anggota DPRD datang.
Peneliti: Terima kasih.
Bu Rahmi: Sama-sama.
"""


def project(tmp_path: Path, small_codebook: Path) -> Path:
    write(tmp_path / "transcripts" / "ppkl.txt", INTERVIEW)
    write(
        tmp_path / "transcripts" / "sub" / "plain.md",
        "Tidak ada pembinaan sama sekali.\n\nKoperasi jalan.\n",
    )
    return tmp_path


def read_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_code_writes_the_four_outputs(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    result = cli_invoke("code", "transcripts", "--codebook", str(small_codebook), "--out", "out")
    assert "strategi.kerjasama" in result.stdout
    assert "2 documents" in result.stdout
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        "segments.csv", "codings.csv", "hits.csv", "run.json", "codebook.yaml", "documents.jsonl",
        "report.html", "codings.xlsx",
    }  # fmt: skip
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").split("\n")
    documents = [json.loads(line) for line in lines if line]
    assert [d["document"] for d in documents] == ["ppkl.txt", "sub/plain.md"]
    assert documents[0]["body"] == INTERVIEW.split("---\n", 2)[2]
    assert documents[0]["attributes"]["role"] == "PPKL"

    segments = read_rows(out / "segments.csv")
    assert list(segments[0])[:10] == [
        "document", "segment", "speaker", "speaker_type", "timestamp", "start", "end", "coded", "codes", "text",
    ]  # fmt: skip
    assert {"title", "informant", "role", "date", "interviewer"} <= set(segments[0])
    ppkl = [r for r in segments if r["document"] == "ppkl.txt"]
    assert [r["segment"] for r in ppkl] == ["1", "2", "3", "4", "5", "6"]
    assert ppkl[1]["timestamp"] == "00:01:05" and ppkl[1]["speaker"] == "Bu Rahmi"
    assert ppkl[1]["text"].endswith("banyak yang pasif.")  # continuation line joined to its turn
    assert ppkl[0]["speaker_type"] == "interviewer" and ppkl[0]["coded"] == "no"
    assert ppkl[0]["codes"] == ""  # the question mentions kerja sama but is never coded
    assert ppkl[1]["codes"] == "strategi.kerjasama; strategi.pembinaan; kendala.anggota"
    assert ppkl[1]["date"] == "2024-03-12"
    assert ppkl[3]["text"].startswith("'=SUM(A1)")  # neutralised formula
    assert [r["document"] for r in segments if r["document"] != "ppkl.txt"] == ["sub/plain.md"] * 2

    codings = read_rows(out / "codings.csv")
    assert list(codings[0]) == [
        "document", "segment", "speaker", "start", "end", "code", "origin", "hits", "matched", "text",
        "memo",
    ]  # fmt: skip
    first = codings[0]
    assert (first["document"], first["segment"], first["code"], first["origin"]) == (
        "ppkl.txt", "2", "strategi.kerjasama", "auto",
    )  # fmt: skip
    assert first["matched"] == "bekerja sama; perbankan" or first["matched"] == "bekerja sama"
    plain = [c for c in codings if c["document"] == "sub/plain.md"]
    assert [(c["segment"], c["code"]) for c in plain] == [
        ("1", "kendala.pembina"),
        ("1", "strategi.pembinaan"),
    ] or [(c["segment"], c["code"]) for c in plain] == [
        ("1", "strategi.pembinaan"),
        ("1", "kendala.pembina"),
    ]

    hits = read_rows(out / "hits.csv")
    assert list(hits[0]) == [
        "document",
        "segment",
        "code",
        "start",
        "end",
        "matched",
        "rule",
        "key",
        "status",
    ]
    bodies = {"ppkl.txt": INTERVIEW.split("---\n", 2)[2]}
    for hit in hits:
        if hit["document"] in bodies:
            assert bodies[hit["document"]][int(hit["start"]) : int(hit["end"])] == hit["matched"]
    dprd = [h for h in hits if h["matched"] == "Anggota" and h["segment"] == "4"]
    assert dprd and dprd[0]["status"] == "not_within"

    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["versions"]["qualcode"]
    assert run["codebook"]["sha256"] == hashlib.sha256(small_codebook.read_bytes()).hexdigest()
    assert [i["document"] for i in run["inputs"]] == ["ppkl.txt", "sub/plain.md"]
    assert (
        run["inputs"][0]["sha256"]
        == hashlib.sha256((tmp_path / "transcripts" / "ppkl.txt").read_bytes()).hexdigest()
    )
    assert run["options"]["unit"] == "turn"
    assert run["summary"]["documents"] == 2 and run["failures"] == []


def test_same_inputs_give_byte_identical_outputs(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "a")
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "b")
    for name in ("segments.csv", "codings.csv", "hits.csv", "run.json", "codebook.yaml",
                 "documents.jsonl"):  # fmt: skip
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_inputs_are_never_modified(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out")
    assert {p: p.read_bytes() for p in files} == before


def test_a_bad_file_is_reported_and_the_others_still_coded(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    (tmp_path / "transcripts" / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (tmp_path / "transcripts" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", expect_exit=3
    )
    assert "2 transcript(s) could not be read" in result.stderr
    assert "broken.docx" in result.stderr and "image.txt" in result.stderr
    assert "image.txt: image.txt" not in result.stderr
    assert "Traceback" not in result.output
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert [f["document"] for f in run["failures"]] == ["broken.docx", "image.txt"]
    assert run["summary"]["documents"] == 2


def test_bad_codebook_stops_before_reading_transcripts(tmp_path: Path, cli_invoke: Invoke) -> None:
    write(tmp_path / "t" / "a.txt", "A: kerja sama\n")
    write(
        tmp_path / "cb.yaml",
        "name: T\nlanguage: id\ncodes:\n  - id: a\n    name: A\n    keyword: [x]\n",
    )
    result = cli_invoke("code", "t", "-c", "cb.yaml", "-o", "out", expect_exit=1)
    assert "Error: cb.yaml: 1 problem in the codebook" in result.stderr
    assert (
        "cb.yaml:6: codes -> a -> keyword: unknown key 'keyword' (did you mean 'keywords'?)"
        in result.stderr
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_inputs_and_empty_folder(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    result = cli_invoke("code", "nowhere", "-c", str(small_codebook), "-o", "out", expect_exit=1)
    assert "nowhere" in result.stderr and "Traceback" not in result.output
    (tmp_path / "empty").mkdir()
    result = cli_invoke("code", "empty", "-c", str(small_codebook), "-o", "out", expect_exit=1)
    assert "no transcripts found" in result.stderr


def test_missing_required_option_is_a_usage_error(cli_invoke: Invoke) -> None:
    result = cli_invoke("code", "x", expect_exit=2)
    assert "--codebook" in result.output


def test_unit_and_interviewer_options(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(
        tmp_path / "t" / "a.txt", "Tanya: Ada kerja sama?\nJawab: Ada kerja sama. Juga pembinaan.\n"
    )
    cli_invoke(
        "code",
        "t",
        "-c",
        str(small_codebook),
        "-o",
        "out",
        "--unit",
        "sentence",
        "--interviewer",
        "Tanya",
    )
    segments = read_rows(tmp_path / "out" / "segments.csv")
    assert [(r["speaker"], r["speaker_type"], r["text"]) for r in segments] == [
        ("Tanya", "interviewer", "Ada kerja sama?"),
        ("Jawab", "informant", "Ada kerja sama."),
        ("Jawab", "informant", "Juga pembinaan."),
    ]
    assert [r["codes"] for r in segments] == ["", "strategi.kerjasama", "strategi.pembinaan"]


def test_output_that_would_overwrite_an_input_is_refused(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "t" / "a.txt", "A: kerja sama\n")
    write(
        tmp_path / "out" / "codebook.yaml",
        "name: T\nlanguage: id\ncodes: [{id: a, name: A, keywords: [kerja sama]}]\n",
    )
    result = cli_invoke("code", "t", "-c", "out/codebook.yaml", "-o", "out", expect_exit=1)
    assert "would overwrite this input" in result.stderr


def test_gold_sheet_prints_precision_and_recall(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    write(
        tmp_path / "gold.csv",
        "document,segment,codes\nppkl.txt,2,strategi.kerjasama\nppkl.txt,4,kendala.pesaing\nppkl.txt,6,\n",
    )
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", "--gold", "gold.csv"
    )
    assert "Against the gold sheet (3 segments)" in result.stdout
    assert "micro" in result.stdout and "macro" in result.stdout


def test_codebook_show_lists_expansions_and_warnings(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    result = cli_invoke("codebook", "show", str(small_codebook))
    assert "strategi.kerjasama" in result.stdout
    assert "kerja sama -> kerja sama" in result.stdout
    assert "joined: kerjasama -> kerjasama" in result.stdout
    assert "pembinaan -> bina" in result.stdout
    assert "key 'bina' is shared by codes kendala.pembina, strategi.pembinaan" in result.stderr


def test_codebook_show_warns_on_stop_words_and_short_keys(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    write(
        tmp_path / "cb.yaml",
        "name: T\nlanguage: id\ncodes:\n  - {id: a, name: A, keywords: [yang, xy]}\n",
    )
    result = cli_invoke("codebook", "show", "cb.yaml")
    assert "'yang' is a stop word" in result.stderr
    assert "'xy' is shorter than 3 letters" in result.stderr


def test_help_is_instant_without_spacy_or_pandas() -> None:
    code = "import sys, qualcode.cli; assert 'spacy' not in sys.modules and 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_cached_rerun_with_its_report_does_not_import_spacy(
    tmp_path: Path, small_codebook: Path
) -> None:
    project(tmp_path, small_codebook)
    script = (
        "import sys\n"
        "from qualcode.cli import main\n"
        "main(sys.argv[1:], standalone_mode=False)\n"
        "print('spacy' in sys.modules)\n"
    )
    args = ["code", "transcripts", "-c", str(small_codebook), "-o", "out", "-q", "--jobs", "1"]
    run = [sys.executable, "-c", script, *args]
    first = subprocess.run(run, cwd=tmp_path, check=True, capture_output=True, text=True)
    assert first.stdout.strip().endswith("True")  # the first run tokenizes
    again = subprocess.run(run, cwd=tmp_path, check=True, capture_output=True, text=True)
    assert again.stdout.strip().endswith("False")  # start-up without spaCy (~0.5 s)
    assert (tmp_path / "out" / "report.html").is_file()


def test_jobs_and_cache_give_identical_outputs(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qualcode.runner._FORK_ROWS", 0)  # --jobs 2 writes in two processes
    project(tmp_path, small_codebook)
    for number in range(6):
        write(
            tmp_path / "transcripts" / f"extra_{number}.txt",
            INTERVIEW.replace("Bu Rahmi", f"Informan {number}"),
        )
    cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "cold", "--jobs", "1", "--no-cache"
    )
    cli_invoke(
        "code",
        "transcripts",
        "-c",
        str(small_codebook),
        "-o",
        "two",
        "--jobs",
        "2",
        "--cache-dir",
        "cache",
    )
    assert list((tmp_path / "cache" / "tokens").glob("*.msgpack"))
    assert list((tmp_path / "cache").glob("keys-*.msgpack"))
    cli_invoke(
        "code",
        "transcripts",
        "-c",
        str(small_codebook),
        "-o",
        "warm",
        "--jobs",
        "1",
        "--cache-dir",
        "cache",
    )
    cli_invoke(
        "code",
        "transcripts",
        "-c",
        str(small_codebook),
        "-o",
        "warm2",
        "--jobs",
        "2",
        "--cache-dir",
        "cache",
    )
    for name in ("segments.csv", "codings.csv", "hits.csv", "run.json", "documents.jsonl"):
        cold = (tmp_path / "cold" / name).read_bytes()
        for other in ("two", "warm", "warm2"):
            assert (tmp_path / other / name).read_bytes() == cold, (other, name)


def test_a_codebook_edit_reuses_the_cache_and_sees_new_roots(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "t" / "a.txt", "A: Banyak pinjolnya di sini, juga bank.\n")
    write(
        tmp_path / "cb.yaml", "name: T\nlanguage: id\ncodes: [{id: a, name: A, keywords: [bank]}]\n"
    )
    cli_invoke("code", "t", "-c", "cb.yaml", "-o", "out")
    write(
        tmp_path / "cb.yaml",
        "name: T\nlanguage: id\ncodes: [{id: a, name: A, keywords: [pinjol]}]\n",
    )
    cli_invoke("code", "t", "-c", "cb.yaml", "-o", "out")
    codings = read_rows(tmp_path / "out" / "codings.csv")
    assert [c["matched"] for c in codings] == ["pinjolnya"]


def test_a_corrupt_cache_is_ignored(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out")
    for path in (tmp_path / "out" / ".qualcode-cache").rglob("*.msgpack"):
        path.write_bytes(b"\x00garbage")
    first = (tmp_path / "out" / "codings.csv").read_bytes()
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out")
    assert (tmp_path / "out" / "codings.csv").read_bytes() == first


def test_documents_in_another_language_are_listed_not_coded(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    write(
        tmp_path / "transcripts" / "en.txt",
        "---\nlanguage: en\n---\nA: cooperation and kerja sama\n",
    )
    result = cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out")
    assert "not coded: en.txt: written in 'en', the codebook in 'id'" in result.stderr
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["skipped"] == [
        {"document": "en.txt", "reason": "written in 'en', the codebook in 'id'"}
    ]
    assert "en.txt" not in (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8-sig")


def test_unwritable_output_fails_before_coding(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    write(tmp_path / "out", "not a folder")
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", expect_exit=1
    )
    assert result.stderr.startswith("Error: out: cannot write output here")
    assert "Traceback" not in result.output


def test_no_report_skips_and_removes_a_stale_report(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out")
    assert (tmp_path / "out" / "report.html").exists()
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", "--no-report"
    )
    assert "Not written (--no-report): report.html, codings.xlsx" in result.stdout
    assert (
        not (tmp_path / "out" / "report.html").exists()
        and not (tmp_path / "out" / "codings.xlsx").exists()
    )
    assert (tmp_path / "out" / "codings.csv").exists()


def test_regression_a_cache_dir_that_is_a_file_fails_up_front_in_one_line(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    # Bug: the run got as far as tokenizing, then failed naming an internal cache file.
    project(tmp_path, small_codebook)
    write(tmp_path / "afile", "not a folder\n")
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", "--cache-dir", "afile",
        expect_exit=1,
    )  # fmt: skip
    assert result.stderr.startswith("Error: afile: cannot write the cache here (")
    assert "Traceback" not in result.output and "tokens" not in result.stderr
    assert not (tmp_path / "out" / "segments.csv").exists()


def test_a_cached_rerun_without_the_report_imports_no_spacy_numpy_or_python_docx(
    tmp_path: Path, small_codebook: Path
) -> None:
    """Cache files are read with the msgpack package and the lookup tables with the json module:
    srsly's import alone pulls in numpy (about 0.1 s of a 0.5 s re-run); a .docx's text comes
    from the cache, without python-docx."""
    import docx

    project(tmp_path, small_codebook)
    word = docx.Document()
    word.add_paragraph("Bu Sari: Kami bekerja sama dengan dinas.")
    word.save(str(tmp_path / "transcripts" / "word.docx"))
    script = (
        "import sys\n"
        "from qualcode.cli import main\n"
        "main(sys.argv[1:], standalone_mode=False)\n"
        "print(sorted(m for m in ('spacy', 'numpy', 'srsly', 'pandas', 'docx') if m in sys.modules))\n"
    )
    args = ["code", "transcripts", "-c", str(small_codebook), "-o", "out", "-q", "--no-report"]
    run = [sys.executable, "-c", script, *args]
    first = subprocess.run(run, cwd=tmp_path, check=True, capture_output=True, text=True)
    assert "'spacy'" in first.stdout and "'docx'" in first.stdout  # the first run reads it all
    again = subprocess.run(run, cwd=tmp_path, check=True, capture_output=True, text=True)
    assert again.stdout.strip().endswith("[]")


def test_regression_a_failed_transcript_was_named_twice(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    project(tmp_path, small_codebook)
    (tmp_path / "transcripts" / "nul.txt").write_bytes(b"abc\x00def")
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", expect_exit=3
    )
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert any(line.startswith("nul.txt: not a text file (it contains NUL") for line in lines)
    assert "nul.txt: nul.txt" not in result.stderr


@pytest.mark.parametrize("command", ["code", "kwic", "check"])
@pytest.mark.parametrize("codec", ["nonsense", "base64"])
def test_an_unknown_encoding_is_a_usage_error_before_any_transcript_is_read(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke, command: str, codec: str
) -> None:
    project(tmp_path, small_codebook)
    args = {
        "code": ["code", "transcripts", "-c", str(small_codebook), "-o", "out"],
        "kwic": ["kwic", "bina", "transcripts"],
        "check": ["codebook", "check", str(small_codebook), "transcripts"],
    }[command]
    result = cli_invoke(*args, "--encoding", codec, expect_exit=2)
    assert f"Invalid value for '--encoding': unknown text encoding '{codec}'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
