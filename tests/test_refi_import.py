"""REFI-QDA import: samples from other tools, lenient reading with named warnings, round trips."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from qualcode.codebook import load_codebook, parse_codebook
from qualcode.refi.codebook_build import build_codebook, write_codebook
from qualcode.refi.qdc_read import read_qdc
from qualcode.refi.qdc_write import codebook_qdc
from qualcode.refi.qdpx_import import import_project
from qualcode.refi.qdpx_read import read_qdpx
from qualcode.store import read_csv

from .conftest import SMALL_CODEBOOK, write
from .test_refi_export import FULL_CODEBOOK, make_output_folder

Invoke = Callable[..., Result]
SAMPLES = Path(__file__).parent / "data" / "refi_qda" / "samples"
G = "4F1C2B3A-0000-4000-8000-{:012d}"


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def codes_of(data: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    found: list[tuple[str, str, str]] = []

    def visit(codes: list[dict], parent: str) -> None:  # type: ignore[type-arg]
        for code in codes:
            found.append((code["id"], code["name"], parent))
            visit(code.get("children", []), code["id"])

    visit(data["codes"], "")
    return found


# --- samples -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "codes", "warning"),
    [
        (
            "atlasti23_codebook.qdc",
            1,
            "xsi:schemaLocation names namespace 'urn:QDA-XML:codebook:0:4'",
        ),
        ("openqda_example_codebook_invalid_guids.qdc", 44, "44 invalid GUIDs (e.g. 'c001'"),
        ("taguette_style_codebook_empty_sets.qdc", 3, "empty <Sets/>"),
        ("qc_demo.qdpx", 262, "a project (.qdpx), not a code book: its code book was read"),
    ],
)
def test_every_sample_imports_as_a_codebook_with_a_named_warning(
    sample: str, codes: int, warning: str, tmp_path: Path, cli_invoke: Invoke
) -> None:
    shutil.copy(SAMPLES / sample, tmp_path / sample)
    result = cli_invoke("import", "qdc", sample, "-o", "codebook.yaml", "--language", "en")
    assert warning in result.stderr
    book = load_codebook(tmp_path / "codebook.yaml")
    assert len(list(book.walk())) == codes and book.language == "en"


def test_atlas_sample_keeps_description_colour_and_set() -> None:
    book = read_qdc(SAMPLES / "atlasti23_codebook.qdc")
    data = build_codebook(book, name="atlas", language="en").data
    assert data["codes"] == [
        {"id": "code1", "name": "code1", "description": "description", "color": "#46AA00",
         "facets": {"set": "code group 1"}},
    ]  # fmt: skip


def test_openqda_sample_keeps_the_hierarchy_with_slug_ids() -> None:
    book = read_qdc(SAMPLES / "openqda_example_codebook_invalid_guids.qdc")
    data = build_codebook(book, name="openqda", language="en").data
    found = codes_of(data)
    assert ("negativ_aufgeregt", "Negativ/Aufgeregt", "") in found
    assert (
        "negativ_aufgeregt.hurt_personally_offended",
        "Hurt (personally offended)",
        "negativ_aufgeregt",
    ) in found
    assert (
        data["codes"][0]["description"]
        == "All emotions with negative valence and positive arousal."
    )


def test_qc_demo_project_imports_transcripts_codings_and_gold(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    shutil.copy(SAMPLES / "qc_demo.qdpx", tmp_path / "qc.qdpx")
    result = cli_invoke("import", "qdpx", "qc.qdpx", "-o", "imp", "--language", "en")
    assert "Imported 2 transcripts and 205 codings by cp" in result.stdout
    assert "1 source(s) without codings are left out of gold.csv" in result.stderr
    assert sorted(p.name for p in (tmp_path / "imp" / "transcripts").iterdir()) == [
        "admin-1.txt",
        "board_2017.txt",
    ]
    codings = read_csv(tmp_path / "imp" / "codings.csv")
    assert list(codings.columns) == ["document", "start", "end", "code", "coder", "text", "memo"]
    board = (tmp_path / "imp" / "transcripts" / "board_2017.txt").read_text(encoding="utf-8")
    first = codings.iloc[0]
    assert (first["document"], first["start"], first["end"]) == ("board_2017.txt", 320, 400)
    assert board[320:400] == first["text"] and first["text"].startswith("This district goal")
    gold = read_csv(tmp_path / "imp" / "gold.csv")
    assert list(gold.columns) == ["document", "segment", "codes", "text"]
    assert set(gold["document"]) == {"board_2017.txt"}
    ids = {c.id for c in load_codebook(tmp_path / "imp" / "codebook.yaml").walk()}
    assert {c for cell in gold["codes"] for c in cell.split("; ") if c} <= ids


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_output_folder(tmp_path_factory.mktemp("coded"))


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [SMALL_CODEBOOK, FULL_CODEBOOK], ids=["small", "full"])
def test_codebook_yaml_to_qdc_to_yaml_keeps_tree_texts_and_rules(text: str, tmp_path: Path) -> None:
    original = parse_codebook(text.encode("utf-8"))
    write(tmp_path / "book.qdc", codebook_qdc(original).decode("utf-8"))
    built = build_codebook(
        read_qdc(tmp_path / "book.qdc"), name=original.name, language=original.language
    )
    assert built.warnings == []
    back = write_codebook(built, tmp_path / "back.yaml")
    fields = ("id", "name", "description", "include", "exclude", "examples", "color", "facets",
              "keywords", "patterns", "not_within", "negation", "min_hits")  # fmt: skip
    for before, after in zip(original.walk(), back.walk(), strict=True):
        assert before.model_dump(include=set(fields)) == after.model_dump(include=set(fields))
        assert [c.id for c in before.children] == [c.id for c in after.children]


def test_output_folder_to_qdpx_to_folder_keeps_documents_offsets_codings(
    coded: Path,
    tmp_path: Path,
    cli_invoke: Invoke,
) -> None:
    from qualcode.ingest import read_document
    from qualcode.refi.output_folder import read_output_folder

    cli_invoke("export", "qdpx", str(coded), "-o", "p.qdpx")
    result = cli_invoke("import", "qdpx", "p.qdpx", "-o", "imp")
    assert "Imported 2 transcripts" in result.stdout
    original = read_output_folder(coded)
    imported = tmp_path / "imp" / "transcripts"
    for record in original.documents:
        document = read_document(imported / record.name, name=record.name)
        assert document.body == record.body
        assert dict(document.attributes) == record.attributes
    codings = read_csv(tmp_path / "imp" / "codings.csv")
    got = sorted(
        zip(codings["document"], codings["start"], codings["end"], codings["code"], strict=True)
    )
    want = sorted((c.document, c.start, c.end, c.code) for c in original.codings)
    assert got == want
    assert set(codings["coder"]) == {"qualcode auto-coder"}
    assert (
        load_codebook(tmp_path / "imp" / "codebook.yaml").codes
        == load_codebook(coded / "codebook.yaml").codes
    )


def test_imported_gold_sheet_lines_up_with_qualcode_code(
    coded: Path,
    tmp_path: Path,
    cli_invoke: Invoke,
) -> None:
    cli_invoke("export", "qdpx", str(coded), "-o", "p.qdpx")
    cli_invoke("import", "qdpx", "p.qdpx", "-o", "imp")
    result = cli_invoke(
        "code",
        "imp/transcripts",
        "-c",
        "imp/codebook.yaml",
        "-o",
        "recoded",
        "--gold",
        "imp/gold.csv",
    )
    assert "micro" in result.stdout
    before = read_csv(coded / "codings.csv")
    after = read_csv(tmp_path / "recoded" / "codings.csv")
    assert before.equals(after)  # same segments, same codes: the gold sheet scores 1.0
    gold = read_csv(tmp_path / "imp" / "gold.csv")
    segments = read_csv(tmp_path / "recoded" / "segments.csv")
    informant = segments[segments["speaker_type"] == "informant"]
    assert list(zip(gold["document"], gold["segment"], strict=True)) == list(
        zip(informant["document"], informant["segment"], strict=True)
    )
    assert list(gold["codes"]) == list(informant["codes"])


# --- lenient reading -----------------------------------------------------------------------


def nvivo_like_project() -> bytes:
    """Braced GUIDs, the 0:4 namespace, an inner .qde with another name, an empty .txt beside
    the .docx (as NVivo writes it), a CRLF text file, cases with variables, notes."""
    import docx

    document = docx.Document()
    for line in ("Interviewer: How do you cooperate?", "Rina: We cooperate with the bank."):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    crlf = "Ana: Caf\u0065\u0301 talk.\r\nAna: We meet every week.\r\n"
    start = crlf.index("We meet")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:4" name="NVivo study" origin="NVivo 14">
  <Users><User guid="{{{G.format(1)}}}" name="Siti"/></Users>
  <CodeBook><Codes>
    <Code guid="{{{G.format(2)}}}" name="Themes" isCodable="false">
      <Code guid="{{{G.format(3)}}}" name="Cooperation" isCodable="true" color="#0F0">
        <Description>Working together.</Description>
        <NoteRef targetGUID="{G.format(9)}"/>
      </Code>
      <Code guid="c-regular" name="Regularity" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables><Variable guid="{G.format(20)}" name="Age" typeOfVariable="Integer"/></Variables>
  <Cases>
    <Case guid="{G.format(21)}" name="Rina">
      <VariableValue>
        <VariableRef targetGUID="{G.format(20)}"/><IntegerValue>41</IntegerValue>
      </VariableValue>
      <SourceRef targetGUID="{{{G.format(4)}}}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{{{G.format(4)}}}" name="Rina.docx" plainTextPath="internal://{G.format(5)}.txt"
                richTextPath="internal://{G.format(6)}.docx">
      <PlainTextSelection guid="{G.format(7)}" startPosition="41" endPosition="67"
                          creatingUser="{G.format(1)}">
        <Description>bank cooperation</Description>
        <Coding guid="{G.format(8)}"><CodeRef targetGUID="{G.format(3)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{G.format(10)}" name="Ana" plainTextPath="relative:///ana.txt">
      <PlainTextSelection guid="{G.format(11)}" startPosition="{start}" endPosition="{start + 18}">
        <Coding guid="{G.format(12)}" creatingUser="{G.format(1)}">
          <CodeRef targetGUID="c-regular"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="{G.format(13)}" path="internal://x.jpg"/>
  </Sources>
  <Notes><Note guid="{G.format(9)}">
    <PlainTextContent>Seen in every interview.</PlainTextContent>
  </Note></Notes>
  <Sets/>
</Project>
"""
    return zip_bytes({
        "NVivo Project.qde": qde,
        f"sources/{G.format(5)}.txt": b"",
        f"sources/{G.format(6)}.docx": buffer.getvalue(),
        "sources/ana.txt": crlf.encode("utf-8"),
    })  # fmt: skip


def test_nvivo_like_project_is_read_with_a_warning_per_deviation(tmp_path: Path) -> None:
    write(tmp_path / "n.qdpx", "")
    (tmp_path / "n.qdpx").write_bytes(nvivo_like_project())
    project = read_qdpx(tmp_path / "n.qdpx")
    warnings = "\n".join(project.warnings)
    for expected in (
        "the project file is 'NVivo Project.qde', not 'project.qde'",
        "<Project> uses 'urn:QDA-XML:project:0:4', not 'urn:QDA-XML:project:1.0'",
        "GUIDs written in braces",
        "1 invalid GUID ('c-regular'",
        "plain text empty; text taken from 'internal://",
        "path 'relative:///ana.txt' is external; read from archive member 'sources/ana.txt'",
        "1 <PictureSource> element(s) skipped",
        "empty <Sets/>",
        "colour(s) in 3-digit form (#0F0)",
    ):
        assert expected in warnings
    result = import_project(project, tmp_path / "out", source=tmp_path / "n.qdpx")
    rina = (tmp_path / "out" / "transcripts" / "Rina.txt").read_text(encoding="utf-8")
    assert rina.startswith("---\ncase: Rina\nAge: '41'\n---\nInterviewer: How do you cooperate?\n")
    rows = {(r.document, r.code): r for r in result.codings}
    assert rows[("Rina.txt", "themes.cooperation")].text == "We cooperate with the bank"
    assert rows[("Rina.txt", "themes.cooperation")].coder == "Siti"
    assert rows[("Rina.txt", "themes.cooperation")].memo == "bank cooperation"
    ana = rows[("Ana.txt", "themes.regularity")]
    assert ana.text == "We meet every week"  # CRLF and NFC changes mapped across
    assert (
        (tmp_path / "out" / "transcripts" / "Ana.txt")
        .read_text(encoding="utf-8")
        .startswith("Ana: Caf\u00e9")
    )
    data = yaml.safe_load((tmp_path / "out" / "codebook.yaml").read_text(encoding="utf-8"))
    cooperation = data["codes"][0]["children"][0]
    assert cooperation["description"] == "Working together.\n\nSeen in every interview."
    assert cooperation["color"] == "#00FF00"
    gold = read_csv(tmp_path / "out" / "gold.csv")
    assert list(zip(gold["document"], gold["segment"], gold["codes"], strict=True)) == [
        ("Ana.txt", 1, ""),
        ("Ana.txt", 2, "themes.regularity"),
        ("Rina.txt", 2, "themes.cooperation"),
    ]


def test_plain_text_content_and_a_bare_qde_are_read(tmp_path: Path) -> None:
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="P">
  <CodeBook><Codes><Code guid="{G.format(1)}" name="A" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{G.format(2)}" name="inline">
    <PlainTextContent>Ana: hello there. Bye now.</PlainTextContent>
    <Coding guid="{G.format(3)}"><CodeRef targetGUID="{G.format(1)}"/></Coding>
    <Coding guid="{G.format(4)}"><CodeRef targetGUID="{G.format(99)}"/></Coding>
  </TextSource></Sources></Project>"""
    write(tmp_path / "p.qde", qde)
    project = read_qdpx(tmp_path / "p.qde")
    assert "a bare .qde file" in project.warnings[0]
    assert project.sources[0].text == "Ana: hello there. Bye now."
    selections = project.sources[0].selections
    assert [(s.start, s.end) for s in selections] == [(0, 26)]  # a coding of the whole source
    result = import_project(project, tmp_path / "out", source=tmp_path / "p.qde", unit="sentence")
    assert f"codings of 1 code(s) not in the code book skipped ({G.format(99)})" in result.warnings
    gold = read_csv(tmp_path / "out" / "gold.csv")
    assert list(zip(gold["segment"], gold["codes"], strict=True)) == [(1, "a"), (2, "a")]


def test_import_refuses_a_transcripts_folder_with_other_files(
    tmp_path: Path, cli_invoke: Invoke
) -> None:
    shutil.copy(SAMPLES / "qc_demo.qdpx", tmp_path / "qc.qdpx")
    write(tmp_path / "imp" / "transcripts" / "mine.txt", "A: b\n")
    result = cli_invoke("import", "qdpx", "qc.qdpx", "-o", "imp", expect_exit=1)
    assert "already holds mine.txt" in result.stderr and "Traceback" not in result.output


def test_unsafe_source_names_become_safe_file_names(tmp_path: Path) -> None:
    from qualcode.refi.qdpx_import import _file_names
    from qualcode.refi.qdpx_read import ImportedSource

    names = ["../../etc/passwd", "/abs/a.docx", "C:\\x\\b.pdf", ".hidden", "CON", "a.txt", "A.txt"]
    sources = [ImportedSource(str(i), name, "x") for i, name in enumerate([*names, "q?.md"])]
    assert list(_file_names(sources).values()) == [
        "etc/passwd.txt", "abs/a.txt", "C_/x/b.txt", "_.hidden.txt", "_CON.txt", "a.txt",
        "A (2).txt", "q_.md",
    ]  # fmt: skip


def test_missing_and_broken_source_files_are_skipped_with_warnings(tmp_path: Path) -> None:
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources>
  <TextSource guid="{G.format(1)}" name="gone" plainTextPath="internal://gone.txt"/>
  <TextSource guid="{G.format(2)}" name="broken" plainTextPath="internal://empty.txt"
              richTextPath="internal://broken.docx"/>
  <TextSource guid="{G.format(3)}" name="far" plainTextPath="absolute:///etc/hostname"/>
</Sources></Project>"""
    path = tmp_path / "p.qdpx"
    path.write_bytes(
        zip_bytes({"project.qde": qde, "sources/empty.txt": b"", "sources/broken.docx": b"PK"})
    )
    warnings = "\n".join(read_qdpx(path).warnings)
    assert "source 'gone': path 'internal://gone.txt' not found; source skipped" in warnings
    assert "source 'broken' (internal://broken.docx): not a valid .docx file" in warnings
    assert "source 'broken': its text is empty; skipped" in warnings
    assert "path 'absolute:///etc/hostname': absolute paths are not followed" in warnings
