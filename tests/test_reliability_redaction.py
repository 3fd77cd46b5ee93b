"""`qualcode code --redact`: informants get stable pseudonyms in every output; the key stays out.

The leak test greps every file of the output folder (the workbook and an exported .qdpx
unzipped too) for every original name; offsets must still slice the (redacted) bodies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.ingest import read_document
from qualcode.models import INFORMANT, Document, Segment
from qualcode.redaction import KEY_FILE, Redactor, core_name

from .conftest import write

Invoke = Callable[..., Result]

RAHMI = """\
---
title: Wawancara Bu Rahmi Susanti
informant: Ibu Hj. Rahmi Susanti, S.E.
role: PPKL
redact: [Pak Camat Joko, Mbak Wulan]
interviewer: Peneliti
---
Peneliti: Selamat pagi, Bu Rahmi. Apa strategi dinas? Ada kerja sama?
[00:01:05] Bu Rahmi: Kami bekerja sama dengan perbankan. Pak Camat Joko juga membantu.
Juga pembinaan rutin, kata Mbak Wulan, tapi anggota banyak yang pasif.
Peneliti: Kendalanya, bu rahmi?
Bu Rahmi: Banyak rentenir dan pinjol. Susanti itu nama keluarga saya. Hasilnya indah.
"""
HENDRA = """\
---
title: Wawancara PPKL
informant: Bapak Hendra Saputra
interviewer: Peneliti
---
Peneliti: Pak Hendra, bagaimana pembinaan koperasi?
Pak Hendra: Pembinaan kurang. Bu Rahmi sudah tahu. Saya, Hendra, kerja sama dengan bank.
Pak Hendra: Anggota DPRD datang, pak hendra senang.
"""
NAMES = ("Rahmi", "Susanti", "Hendra", "Saputra", "Joko", "Wulan")


def make_project(root: Path) -> None:
    write(root / "transcripts" / "wawancara_bu_rahmi.txt", RAHMI)
    write(root / "transcripts" / "ppkl" / "hendra.md", HENDRA)
    write(
        root / "transcripts" / "umum.txt",
        "Informan 2: Kerja sama lintas sektor. Bu Rahmi datang.\n",
    )
    write(
        root / "reviews.csv",
        "document,segment,code,decision,memo,text_sha256,quote,prefix,suffix\n"
        "umum.txt,1,strategi.kerjasama,accept,Kata Bu Rahmi ini penting,,,,\n"
        "umum.txt,1,kode.hilang,add,Pak Hendra menyebut ini,,Kerja sama dengan Hendra,,\n",
    )


def files_text(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text; xlsx and qdpx members unzipped."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    texts[f"{path.name}!{member}"] = archive.read(member).decode("utf-8", "replace")
                    texts[f"{path.name}!{member} (name)"] = member
        else:
            texts[str(path.relative_to(folder))] = data.decode("utf-8", "replace")
        texts[f"{path.relative_to(folder)} (name)"] = str(path.relative_to(folder))
    return texts


def leaks(folder: Path, names: tuple[str, ...] = NAMES) -> list[str]:
    pattern = re.compile(rf"(?<![^\W_])(?:{'|'.join(names)})(?![^\W_])", re.IGNORECASE)
    return [
        f"{name}: {m.group()!r}"
        for name, text in files_text(folder).items()
        for m in pattern.finditer(text)
    ]


@pytest.fixture(scope="module")
def redacted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from qualcode.cli import main

    root = tmp_path_factory.mktemp("redact")
    make_project(root)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        runner = CliRunner()
        for out in ("out", "again"):
            result = runner.invoke(main, ["code", "transcripts", "-c", str(small_codebook_path(root)), "-o", out,
                                          "--redact", "--decisions", "reviews.csv", "--redaction-key", f"key_{out}.csv"])  # fmt: skip
            assert result.exit_code == 0, result.output
        assert "Redaction key (keep it private" in result.output
        result = runner.invoke(main, ["export", "qdpx", "out", "-o", "out/project.qdpx"])
        assert result.exit_code == 0, result.output
    finally:
        os.chdir(cwd)
    return root


def small_codebook_path(root: Path) -> Path:
    from .conftest import SMALL_CODEBOOK

    return write(root / "codebooks" / "uji.yaml", SMALL_CODEBOOK)


def test_redact_leaves_no_original_name_in_any_output(redacted: Path) -> None:
    out = redacted / "out"
    names = {name.split(" (name)")[0].split("!")[0] for name in files_text(out)}
    assert {"report.html", "codings.xlsx", "project.qdpx", "segments.csv", "codings.csv", "hits.csv",
            "run.json", "documents.jsonl", "codebook.yaml", "orphaned_decisions.csv"} <= names  # fmt: skip
    assert leaks(out) == []
    assert not list(out.rglob("*key*")) and not (out / ".qualcode-cache").exists()


def test_redact_keeps_offsets_exact_and_coding_the_same(redacted: Path) -> None:
    from qualcode.store import read_csv

    bodies = {}
    for line in (redacted / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bodies[record["document"]] = record["body"]
    assert sorted(bodies) == ["ppkl/informan_1.md", "umum.txt", "wawancara_informan_3.txt"]
    segments = read_csv(redacted / "out" / "segments.csv")
    for document, start, end, text in zip(segments["document"], segments["start"], segments["end"],
                                          segments["text"], strict=True):  # fmt: skip
        assert bodies[document][start:end] == text
    hits = read_csv(redacted / "out" / "hits.csv")
    for document, start, end, matched in zip(hits["document"], hits["start"], hits["end"], hits["matched"],
                                             strict=True):  # fmt: skip
        assert bodies[document][start:end] == matched
    speakers = set(segments["speaker"])
    assert {"Peneliti", "Informan 1", "Informan 2", "Informan 3"} <= speakers
    codes = set(read_csv(redacted / "out" / "codings.csv")["code"])
    assert {"strategi.kerjasama", "kendala.pesaing"} <= codes


def test_redact_pseudonyms_are_stable_and_the_key_lists_every_name(redacted: Path) -> None:
    for path in sorted((redacted / "out").iterdir()):
        if path.is_file() and path.name != "project.qdpx":
            assert path.read_bytes() == (redacted / "again" / path.name).read_bytes(), path.name
    key = (redacted / "key_out.csv").read_bytes()
    assert key == (redacted / "key_again.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(key.decode("utf-8-sig"))))
    assert list(rows[0]) == ["pseudonym", "original", "found_as", "document"]
    by_original = {row["original"]: row["pseudonym"] for row in rows}
    # Informan 2 is a label already in umum.txt: not a name, and its number is not handed out.
    assert by_original["Bapak Hendra Saputra"] == by_original["Pak Hendra"] == "Informan 1"
    assert by_original["Ibu Hj. Rahmi Susanti, S.E."] == by_original["Bu Rahmi"] == "Informan 3"
    assert (
        by_original["Pak Camat Joko"] == "Informan 4" and by_original["Mbak Wulan"] == "Informan 5"
    )
    files = {row["original"]: row["pseudonym"] for row in rows if row["found_as"] == "file name"}
    assert files == {"ppkl/hendra.md": "ppkl/informan_1.md",
                     "wawancara_bu_rahmi.txt": "wawancara_informan_3.txt"}  # fmt: skip
    run = json.loads((redacted / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["options"]["redact"] is True
    inputs = {entry["document"]: entry for entry in run["inputs"]}
    assert inputs["wawancara_informan_3.txt"]["attributes"] == {
        "title": "Wawancara Informan 3", "informant": "Informan 3, S.E.", "role": "PPKL",
        "interviewer": "Peneliti",
    }  # fmt: skip
    assert inputs["wawancara_informan_3.txt"]["path"] == ""  # the path names her too
    assert inputs["umum.txt"]["path"].endswith("transcripts/umum.txt")


def test_redact_replaces_names_in_running_text(redacted: Path) -> None:
    from qualcode.store import read_csv

    texts = " ".join(read_csv(redacted / "out" / "segments.csv")["text"])
    assert "Informan 3 itu nama keluarga saya. Hasilnya indah." in texts
    assert "Kendalanya, Informan 3?" in texts  # a full name matches in any case
    assert "Saya, Informan 1, kerja sama" in texts and "Informan 1 senang" in texts
    assert "Informan 4 juga membantu" in texts and "kata Informan 5," in texts


def test_redact_orphaned_decisions_and_memos_carry_no_names(redacted: Path) -> None:
    orphans = (redacted / "out" / "orphaned_decisions.csv").read_text(encoding="utf-8-sig")
    assert "kode.hilang" in orphans and "Informan 1 menyebut ini" in orphans
    assert "Kerja sama dengan Informan 1" in orphans
    codings = (redacted / "out" / "codings.csv").read_text(encoding="utf-8-sig")
    assert "Kata Informan 3 ini penting" in codings


def test_redaction_key_is_refused_inside_the_output_folder_or_on_an_input(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    make_project(tmp_path)
    base = ("code", "transcripts", "-c", str(small_codebook), "-o", "out", "--redact")
    result = cli_invoke(*base, "--redaction-key", "out/key.csv", expect_exit=1)
    assert "inside the output folder" in result.stderr and not (tmp_path / "out").exists()
    result = cli_invoke(*base, "--redaction-key", "transcripts/umum.txt", expect_exit=1)
    assert "would overwrite this input" in result.stderr
    result = cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out",
                        "--redaction-key", "k.csv", expect_exit=2)  # fmt: skip
    assert "--redaction-key needs --redact" in result.output
    cli_invoke(*base, "-q")
    assert (tmp_path / KEY_FILE).is_file()  # default: beside the output folder
    assert not (tmp_path / "out" / ".qualcode-cache").exists()


def test_redact_warns_about_an_old_cache_in_the_output_folder(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    make_project(tmp_path)
    cli_invoke("code", "transcripts", "-c", str(small_codebook), "-o", "out", "--no-report", "-q")
    assert (tmp_path / "out" / ".qualcode-cache").is_dir()
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", "--redact", "--no-report"
    )
    assert ".qualcode-cache may hold unredacted text" in result.stderr


def doc(name: str, speakers: list[str], attributes: dict[str, str]) -> Document:
    segments = tuple(
        Segment(name, i + 1, s, "", 0, 0, "", "interviewer" if s == "Peneliti" else INFORMANT)
        for i, s in enumerate(speakers)
    )
    return Document(name=name, body="", segments=segments, attributes=attributes)


def test_core_names_and_pseudonym_order() -> None:
    assert core_name("Ibu Hj. Rahmawati, S.E., M.M.") == "Rahmawati"
    assert core_name("Bu Rahmi (Ketua)") == "Rahmi"
    assert core_name("Bapak H. Syahrani") == "Syahrani"
    redactor = Redactor.from_documents([
        doc("b.txt", ["Peneliti", "Bu Ani", "A", "Informan 1"], {"informant": "Ani Lestari"}),
        doc("a.txt", ["Peneliti", "Kak Budi", "Pak Tono"], {"redact": "Sari, Pak Dedi"}),
    ])  # fmt: skip
    pseudonyms = {row.original: row.pseudonym for row in redactor.key_rows()}
    assert pseudonyms == {
        "Kak Budi": "Informan 2", "Pak Tono": "Informan 3", "Sari": "Informan 4", "Pak Dedi": "Informan 5",
        "Ani Lestari": "Informan 6", "Ani": "Informan 6", "Lestari": "Informan 6", "Bu Ani": "Informan 6",
    }  # fmt: skip
    assert "Peneliti" not in pseudonyms and "A" not in pseudonyms  # interviewer, too short
    assert redactor.text(
        "Peneliti: Bu Ani?\nBu Ani: ya, bu ani. Ani dan ani-ani, Lestari; lestari.\n"
    ) == (
        "Peneliti: Informan 6?\nInforman 6: ya, Informan 6. Informan 6 dan Informan 6-Informan 6, Informan 6; lestari.\n"
    )
    assert redactor.text("Pak\nTono") == "Pak\nInforman 3"  # never across a line break
    assert Redactor.from_documents([doc("a.txt", ["Peneliti"], {})]).text("Bu Ani") == "Bu Ani"


NAME = st.sampled_from(
    ["Rahmi", "Bu Rahmi", "bu rahmi", "RAHMI", "Pak Joko Widodo", "Joko", "Ibu Hj. Rahmi"]
)
FILLER = st.text(alphabet=st.sampled_from(list("abc ,.!?\né")), max_size=12)


@settings(deadline=None, max_examples=80)
@given(parts=st.lists(st.tuples(FILLER, NAME), max_size=8), tail=FILLER)
def test_redacted_body_keeps_offsets_exact_and_no_full_name_survives(
    parts: list[tuple[str, str]], tail: str
) -> None:
    from tempfile import TemporaryDirectory

    body = "".join(f"{filler} {name} " for filler, name in parts) + tail
    text = (
        f"---\ninformant: Bu Rahmi\nredact: Pak Joko Widodo\n---\nBu Rahmi: {body}\nPeneliti: ok\n"
    )
    with TemporaryDirectory() as folder:
        path = Path(folder) / "t.txt"
        path.write_text(text, encoding="utf-8")
        plain = read_document(path)
        redactor = Redactor.from_documents([plain])
        document = read_document(path, redactor=redactor.text)
    for segment in document.segments:
        assert document.body[segment.start : segment.end] == segment.text
    assert re.search(r"(?i)(?<!\w)(rahmi|joko widodo)(?!\w)", document.body) is None
    assert re.search(r"(?<!\w)Joko(?!\w)", document.body) is None
    assert {s.speaker for s in document.segments} <= {"Informan 1", "Peneliti"}


@pytest.mark.browser
def test_E2_redacted_report_loads_offline_in_chromium_without_names(redacted: Path) -> None:
    from .cdp import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed (CI installs it in .ci/run)")
        pytest.skip("chromium not installed: apt-get install chromium (CI installs it)")
    report = redacted / "out" / "report.html"
    with Browser(chromium) as browser:
        page = browser.open(report.as_uri())
        assert page.requests() == [report.as_uri()]
        assert page.console_problems() == []
        shown = page.evaluate("document.documentElement.outerHTML + document.body.innerText")
    assert "Informan 3" in shown
    assert re.search(rf"(?i)(?<!\w)({'|'.join(NAMES)})(?!\w)", shown) is None
