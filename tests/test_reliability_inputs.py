"""Hostile and broken inputs, reader by reader, then all at once through `qualcode code`.

Every reader (.txt/.md decoding with front matter, .docx) and the codebook loader get the same
cases: empty, binary, truncated, wrongly encoded, CRLF/NFD, huge (over 1M characters) and
hostile. A case either reads (with the documented warning) or fails with one line that names the
file and the problem; in a run, the other files are still coded and the exit code is 3
(docs/reliability.md maps each test to its row of ../shared/RELIABILITY.md).
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import Result

from qualcode.codebook import load_codebook
from qualcode.errors import CodebookError, IngestError
from qualcode.ingest import read_document

from .conftest import REPO, SMALL_CODEBOOK, write

Invoke = Callable[..., Result]

TURNS = "Peneliti: Ada kerja sama?\nBu Rahmi: Ada kerja sama dengan bank. Café baru.\n"
HUGE_CHARS = 1_200_000


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    """A copy of the zip ``data`` with each member passed through ``change``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            new.writestr(item, change(item.filename, old.read(item)))
        for name, content in (extra or {}).items():
            new.writestr(name, content)
    return buffer.getvalue()


def with_doctype(name: str, data: bytes) -> bytes:
    if name != "word/document.xml":
        return data
    head, _, rest = data.partition(b"?>")
    laughs = b'<!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return head + b"?>" + laughs + rest


def cp1252_in_utf8_xml(name: str, data: bytes) -> bytes:
    return (
        data.replace("Café".encode(), "Café".encode("cp1252"))
        if name == "word/document.xml"
        else data
    )


def bomb_docx(megabytes: int) -> bytes:
    """A small .docx with a member that inflates to ``megabytes`` MB of zeros."""
    return rezip(
        docx_bytes("isi"), lambda _n, d: d, {"word/media/zeros.bin": bytes(megabytes * 1024 * 1024)}
    )


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def huge_turns(chars: int) -> str:
    turn = "Peneliti: Bagaimana kerja sama?\nBu Rahmi: Kerja sama dengan bank dan koperasi berjalan. Café.\n"
    return turn * (chars // len(turn) + 1)


ALIAS_BOMB_FRONT = "---\ninformant: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n---\nA: isi\n"
DEEP_FRONT = "---\ninformant: " + "[" * 5000 + "]" * 5000 + "\n---\nA: isi\n"

# (case, file name, bytes) -> None: read fine (checked below), or the error text expected.
TEXT_CASES: dict[str, tuple[str, bytes, str | None]] = {
    "empty": ("t.txt", b"", None),
    "whitespace": ("t.md", b" \n\t\r\n", None),
    "binary png": (
        "t.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "not a text file (it looks like a PNG image)",
    ),
    "binary nul": ("t.txt", b"Bu Rahmi: a\x00b\x00c", "not a text file (it contains NUL bytes"),
    "binary zip": (
        "t.md",
        b"PK\x03\x04\x14\x00\x00\x00",
        "not a text file (it looks like a ZIP archive)",
    ),
    "truncated utf-8": ("t.txt", TURNS.encode()[:-4] + "é".encode()[:1], None),
    "truncated front matter": (
        "t.txt",
        b"---\ninformant: Bu Rahmi\nBu Rahmi: isi\n",
        "front matter not closed",
    ),
    "cp1252": ("t.txt", TURNS.replace("kerja", "“kerja”").encode("cp1252"), None),
    "crlf nfd": ("t.txt", unicodedata.normalize("NFD", TURNS).replace("\n", "\r\n").encode(), None),
    "huge": ("t.txt", huge_turns(HUGE_CHARS).encode(), None),
    "hostile html": (
        "t.txt",
        b'Bu Rahmi: <script>alert(1)</script> "><img src=x onerror=alert(1)>\n',
        None,
    ),
    "front matter alias bomb": (
        "t.txt",
        ALIAS_BOMB_FRONT.encode(),
        "must be text or a list of texts",
    ),
    "front matter nested deeply": (
        "t.txt",
        DEEP_FRONT.encode(),
        "front matter is nested too deeply",
    ),
}

DOCX_CASES: dict[str, tuple[bytes, str | None]] = {
    "empty": (docx_bytes(), None),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "not a valid .docx file"),
    "empty file": (b"", "not a valid .docx file"),
    "truncated": (docx_bytes(*TURNS.splitlines())[:3000], "not a valid .docx file"),
    "odt renamed": (odt_bytes(), "not a valid .docx file"),
    "cp1252 bytes in utf-8 xml": (
        rezip(docx_bytes(*TURNS.splitlines()), cp1252_in_utf8_xml),
        "not a valid .docx file",
    ),
    "crlf nfd": (docx_bytes(*unicodedata.normalize("NFD", TURNS).splitlines()), None),
    "huge": (docx_bytes(*huge_turns(HUGE_CHARS).splitlines()), None),
    "entities": (rezip(docx_bytes("isi"), with_doctype), "declares a DOCTYPE or entities"),
}


def check_read(document_path: Path, name: str) -> None:
    document = read_document(document_path, name=name)
    for segment in document.segments:
        assert document.body[segment.start : segment.end] == segment.text
    assert "\r" not in document.body
    assert unicodedata.is_normalized("NFC", document.body)


@pytest.mark.parametrize("case", list(TEXT_CASES))
def test_A_text_reader_cases_read_or_fail_naming_the_file(tmp_path: Path, case: str) -> None:
    filename, data, error = TEXT_CASES[case]
    path = tmp_path / filename
    path.write_bytes(data)
    if error is None:
        check_read(path, f"dir/{filename}")
        return
    with pytest.raises(IngestError) as excinfo:
        read_document(path, name=f"dir/{filename}")
    assert excinfo.value.message.startswith(f"dir/{filename}: ")
    assert error in excinfo.value.message


def test_A_text_reader_warnings_and_encodings(tmp_path: Path) -> None:
    def read(case: str):  # type: ignore[no-untyped-def]
        filename, data, _ = TEXT_CASES[case]
        return read_document(write_bytes(tmp_path / case / filename, data))

    assert read("empty").warnings == ("no text",) and read("whitespace").segments == ()
    truncated = read("truncated utf-8")
    assert truncated.body.endswith("\ufffd") and "invalid UTF-8 byte" in truncated.warnings[0]
    assert read("cp1252").encoding == "cp1252" and "“kerja”" in read("cp1252").body
    lf = read_document(write_bytes(tmp_path / "lf" / "t.txt", TURNS.encode()))
    assert read("crlf nfd").body == lf.body and read("crlf nfd").segments == lf.segments
    huge = read("huge")
    assert len(huge.body) > 1_000_000 and len(huge.segments) > 20_000
    assert huge.segments[-1].end == len(huge.body.rstrip())  # global offsets to the very end
    assert "<script>" in read("hostile html").segments[0].text  # kept as text; escaped on output


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(DOCX_CASES))
def test_B_docx_reader_cases_read_or_fail_naming_the_file(tmp_path: Path, case: str) -> None:
    data, error = DOCX_CASES[case]
    path = write_bytes(tmp_path / "t.docx", data)
    if error is None:
        check_read(path, "t.docx")
        return
    with pytest.raises(IngestError) as excinfo:
        read_document(path, name="wawancara.docx")
    assert excinfo.value.message.startswith("wawancara.docx: ")
    assert error in excinfo.value.message


def test_B12_docx_zip_bomb_is_refused_by_declared_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real cap is 200 MB (tests/test_ingest_docx.py builds one); a 1 MB cap shows the same path cheaply.
    monkeypatch.setattr("qualcode.ingest.docx_reader.MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    path = write_bytes(tmp_path / "bomb.docx", bomb_docx(8))
    assert path.stat().st_size < 100_000
    with pytest.raises(
        IngestError, match=r"^bomb\.docx: not a valid \.docx file \(it would decompress to 8 MB"
    ):
        read_document(path, name="bomb.docx")


CODEBOOK_BOMB = (
    "name: T\nlanguage: id\n"
    + "".join(
        f"{level}: &{level} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
        for level, prev in zip("abcdefghi", ["", *"abcdefgh"], strict=True)
    )
    + "codes:\n  - {id: x, name: X, keywords: *i}\n"
)

CODEBOOK_CASES: dict[str, tuple[bytes, str | None]] = {
    "empty": (b"", "a codebook must be a YAML mapping"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "codebook is not UTF-8"),
    "truncated": (
        SMALL_CODEBOOK.encode()[: SMALL_CODEBOOK.index("keywords: [pembinaan") + 15],
        "not valid YAML",
    ),
    "cp1252": (
        SMALL_CODEBOOK.replace("Uji", "Uji “café”").encode("cp1252"),
        "not UTF-8 (bad byte at offset",
    ),
    "alias bomb": (CODEBOOK_BOMB.encode(), "expand to more than 1,000,000 values"),
    "recursive alias": (
        b"name: T\nlanguage: id\ncodes: &a [*a]\n",
        "refers to a value that contains it",
    ),
    "deep nesting": (
        b"name: T\nlanguage: id\ncodes: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "not valid YAML",
    ),
}


@pytest.mark.parametrize("case", list(CODEBOOK_CASES))
def test_C11_codebook_loader_cases_fail_naming_the_file(tmp_path: Path, case: str) -> None:
    data, error = CODEBOOK_CASES[case]
    path = write_bytes(tmp_path / "cb.yaml", data)
    start = time.perf_counter()
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(path)
    assert time.perf_counter() - start < 10  # the alias bomb is refused, never expanded
    message = "\n".join([excinfo.value.message, *excinfo.value.details])
    assert message.startswith(str(path)) and error in message


def test_C11_codebook_with_crlf_nfd_and_bom_equals_the_plain_one(tmp_path: Path) -> None:
    plain = load_codebook(write(tmp_path / "a.yaml", SMALL_CODEBOOK.replace("Uji", "Uji café")))
    odd = SMALL_CODEBOOK.replace("Uji", unicodedata.normalize("NFD", "Uji café")).replace(
        "\n", "\r\n"
    )
    other = load_codebook(write_bytes(tmp_path / "b.yaml", b"\xef\xbb\xbf" + odd.encode()))
    assert other.model_dump(exclude={"path", "sha256"}) == plain.model_dump(
        exclude={"path", "sha256"}
    )


def test_C11_huge_codebook_over_1m_characters_loads(tmp_path: Path) -> None:
    lines = ["name: Besar", "language: id", "codes:"]
    for number in range(2000):
        lines += [f"  - id: c{number}", f"    name: Kode {number}", f"    description: {'panjang ' * 60}",
                  "    keywords: [" + ", ".join(f"kata{number}x{k}" for k in range(5)) + "]"]  # fmt: skip
    path = write(tmp_path / "big.yaml", "\n".join(lines) + "\n")
    assert path.stat().st_size > 1_000_000
    assert len(list(load_codebook(path).walk())) == 2000


def test_A7_regression_nfd_keyword_in_the_codebook_matched_nothing(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    # Bug: a keyword typed in NFD (macOS) never matched, since transcripts are NFC before matching.
    nfd, nfc = unicodedata.normalize("NFD", "café"), "café"
    write(
        tmp_path / "cb.yaml",
        f"name: T\nlanguage: id\ncodes:\n  - {{id: a, name: A, keywords: [{nfd}]}}\n",
    )
    write(tmp_path / "t" / "x.txt", f"A: Kami buka {nfd} baru.\nB: Kami buka {nfc} baru.\n")
    cli_invoke("code", "t", "-c", "cb.yaml", "-o", "out", "--no-report", "-q")
    codings = (tmp_path / "out" / "codings.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [line.split(",")[:6] for line in codings] == [
        ["x.txt", "1", "A", "3", "23", "a"], ["x.txt", "2", "B", "27", "47", "a"],
    ]  # fmt: skip


def test_D5_crlf_and_bom_copies_have_the_same_body_hash_and_codings(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke
) -> None:
    write(tmp_path / "a" / "t.txt", TURNS)
    write_bytes(tmp_path / "b" / "t.txt", b"\xef\xbb\xbf" + TURNS.replace("\n", "\r\n").encode())
    for side in "ab":
        cli_invoke(
            "code", side, "-c", str(small_codebook), "-o", f"out_{side}", "--no-report", "-q"
        )
    runs = [
        json.loads((tmp_path / f"out_{s}" / "run.json").read_text(encoding="utf-8")) for s in "ab"
    ]
    assert runs[0]["inputs"][0]["body_sha256"] == runs[1]["inputs"][0]["body_sha256"]
    assert runs[0]["inputs"][0]["sha256"] != runs[1]["inputs"][0]["sha256"]
    for name in ("codings.csv", "hits.csv", "segments.csv"):
        assert (tmp_path / "out_a" / name).read_bytes() == (tmp_path / "out_b" / name).read_bytes()


def hostile_folder(root: Path) -> dict[str, str | None]:
    """A folder of transcripts, good and bad; returns name -> expected error (None: coded)."""
    folder = root / "transcripts"
    expected: dict[str, str | None] = {}
    for number in range(3):
        write(folder / f"baik_{number}.txt", TURNS)
        expected[f"baik_{number}.txt"] = None
    for case, (filename, data, error) in TEXT_CASES.items():
        if case == "huge":
            continue  # the scale tests take the huge ones
        name = f"{case.replace(' ', '_')}{Path(filename).suffix}"
        write_bytes(folder / "teks" / name, data)
        expected[f"teks/{name}"] = error
    for case, (data, error) in DOCX_CASES.items():
        if case == "huge":
            continue
        name = f"{case.replace(' ', '_')}.docx"
        write_bytes(folder / "word" / name, data)
        expected[f"word/{name}"] = error
    write_bytes(folder / "word" / "bomb.docx", bomb_docx(8))
    expected["word/bomb.docx"] = "it would decompress to 8 MB"
    return expected


def digests(root: Path) -> dict[Path, str]:
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_F1_hostile_folder_every_failure_listed_with_its_reason_and_the_rest_coded(
    tmp_path: Path, small_codebook: Path, cli_invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qualcode.ingest.docx_reader.MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    expected = hostile_folder(tmp_path)
    before = digests(tmp_path / "transcripts")
    result = cli_invoke(
        "code", "transcripts", "-c", str(small_codebook), "-o", "out", expect_exit=3
    )
    failing = {name: error for name, error in expected.items() if error is not None}
    assert f"{len(failing)} transcript(s) could not be read" in result.stderr
    assert "Traceback" not in result.output
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    failures = {f["document"]: f["error"] for f in run["failures"]}
    assert set(failures) == set(failing)
    for name, error in failing.items():
        assert failures[name].startswith(f"{name}: ") and error in failures[name], name
        assert name in result.stderr
    coded = {entry["document"]: entry for entry in run["inputs"]}
    assert set(coded) == {name for name, error in expected.items() if error is None}
    assert coded["teks/cp1252.txt"]["encoding"] == "cp1252"  # A3: recorded
    assert coded["teks/empty.txt"]["warnings"] == ["no text"]  # A1: listed
    assert coded["word/empty.docx"]["warnings"] == ["no text"]
    assert "invalid UTF-8 byte" in coded["teks/truncated_utf-8.txt"]["warnings"][0]  # A4
    assert "teks/empty.txt: no text" in result.stderr
    assert run["summary"]["failed"] == len(failing)
    assert (tmp_path / "out" / "report.html").is_file()
    assert digests(tmp_path / "transcripts") == before  # inputs never modified


def test_F1_exit_codes_are_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`3` the run finished but" in readme and "`1` an error stopped the run" in readme


def test_F4_c_locale_and_cp1252_console_do_not_crash(tmp_path: Path, small_codebook: Path) -> None:
    write(tmp_path / "t" / "wawancara_café.txt", "Bu Rahmi: kerja sama 😀 中文 “ok” — ya.\n")
    write_bytes(tmp_path / "t" / "gambar_中.txt", b"\x89PNG\r\n\x1a\n\x00")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "cp1252"}
    env.pop("PYTHONUTF8", None)
    qualcode = Path(sys.executable).parent / "qualcode"
    command = [str(qualcode), "code", "t", "-c", str(small_codebook), "-o", "out", "--no-cache"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=False)
    assert done.returncode == 3, done.stderr.decode("cp1252", "replace")
    assert b"Traceback" not in done.stderr + done.stdout
    assert b"gambar_" in done.stderr and b"not a text file" in done.stderr
    segments = (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8-sig")
    assert "wawancara_café.txt" in segments and "😀 中文" in segments


def opens_text_without_encoding(node: ast.Call) -> bool:
    """Whether a call opens a file in text mode without naming the encoding."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    keywords = {k.arg: k.value for k in node.keywords}
    if "encoding" in keywords or name not in ("open", "read_text", "write_text"):
        return False
    if name == "read_text":
        return not node.args  # Path.read_text(encoding)
    if name == "write_text":
        return len(node.args) < 2  # Path.write_text(data, encoding)
    method = isinstance(func, ast.Attribute)  # Path.open(mode) or ZipFile.open(member)
    mode = keywords.get("mode") or (
        node.args[0 if method else 1] if len(node.args) > (0 if method else 1) else None
    )
    if method and node.args and not isinstance(node.args[0], ast.Constant):
        return False  # archive.open(member): bytes
    return not (isinstance(mode, ast.Constant) and "b" in str(mode.value))


def test_F4_every_text_open_names_its_encoding() -> None:
    """`open()`, `Path.open/read_text/write_text()` in text mode always say which encoding."""
    missing = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for path in sorted((REPO / "src" / "qualcode").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and opens_text_without_encoding(node)
    ]
    assert missing == []
