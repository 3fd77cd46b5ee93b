"""REFI-QDA export: every file validates against the XSDs, and exports are deterministic."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from qualcode.codebook import load_codebook, parse_codebook
from qualcode.refi.guids import make_guid
from qualcode.refi.output_folder import read_output_folder
from qualcode.refi.qdc_write import code_guid, codebook_qdc
from qualcode.refi.qdpx_write import project_qde, project_qdpx

from .conftest import REPO, SMALL_CODEBOOK, write

Invoke = Callable[..., Result]
DATA = Path(__file__).parent / "data" / "refi_qda"
NS = {"p": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}

FULL_CODEBOOK = """\
name: Lengkap
language: id
version: "2"
description: |
  A codebook with every field.
  Two lines.
overrides: {perbankan: bank}
protect: [Banjarmasin]
negators: [tidak, bukan]
codes:
  - id: strategi
    name: Strategi & <Taktik>
    description: Grouping code.
    color: "#aabbcc"
    children:
      - id: strategi.kerjasama
        name: Kerja sama
        description: |
          Cooperation with others.

          Second paragraph.
        include: Any cooperation.
        exclude: Help from family.
        examples: ["Kami bekerja sama.", "two\\nlines"]
        color: "#1f77b4"
        facets: {level: strategy, set: "Core; Draft"}
        keywords:
          - kerja sama
          - "pinjol*"
          - {text: KUR, exact: true, case_sensitive: true}
          - {text: RAT, exact: true}
        patterns:
          - name: bank keliling
            pattern: [{LOWER: bank}, {IS_PUNCT: true, OP: "?"}, {LOWER: keliling}]
          - [{NORM: lintah}, {NORM: darat}]
        not_within: [anggota DPRD]
        negation: skip
        min_hits: 2
  - id: kendala
    name: Kendala
    negation: only
    keywords: [kendala]
    facets: {level: obstacle}
    children:
      - id: kendala.anggota
        name: Anggota
"""

INTERVIEW = """\
---
title: Wawancara
role: PPKL
date: 2024-03-12
visits: "12"
interviewer: [Peneliti, Asisten]
---
Peneliti: Ada kerja sama?
Bu Rahmi: Kami bekerja sama dengan perbankan. Juga pembinaan rutin, tapi anggota pasif.
Asisten: Kendalanya?
Bu Rahmi: Banyak rentenir dan pinjol. Anggota DPRD datang.
"""


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    return {
        name: etree.XMLSchema(etree.parse(str(DATA / f"{name}.xsd")))
        for name in ("Codebook", "Project")
    }


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    return document


def make_output_folder(root: Path) -> Path:
    """Code two small transcripts with the small codebook; the output folder."""
    from qualcode.runner import code_transcripts

    write(root / "transcripts" / "ppkl.txt", INTERVIEW)
    plain = "Tidak ada pembinaan sama sekali.\n\nKoperasi jalan.\n"
    write(root / "transcripts" / "sub" / "plain.md", plain)
    codebook = write(root / "uji.yaml", SMALL_CODEBOOK)
    code_transcripts([root / "transcripts"], codebook, root / "out")
    return root / "out"


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder of `qualcode code` (coded once per module)."""
    return make_output_folder(tmp_path_factory.mktemp("coded"))


@pytest.mark.parametrize("text", [SMALL_CODEBOOK, FULL_CODEBOOK], ids=["small", "full"])
def test_qdc_validates_against_the_codebook_xsd(
    schemas: dict[str, etree.XMLSchema], text: str
) -> None:
    book = parse_codebook(text.encode("utf-8"))
    document = assert_valid(schemas["Codebook"], codebook_qdc(book))
    names = [c.get("name") for c in document.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names == [c.name for c in book.walk()]


def test_bundled_codebook_exports_valid_qdc(schemas: dict[str, etree.XMLSchema]) -> None:
    path = REPO / "codebooks" / "koperasi.yaml"
    if not path.exists():
        pytest.skip("bundled codebook not present")
    assert_valid(schemas["Codebook"], codebook_qdc(load_codebook(path)))


def test_qdc_carries_grouping_flags_colours_descriptions_and_sets(
    schemas: dict[str, etree.XMLSchema],
) -> None:
    book = parse_codebook(FULL_CODEBOOK.encode("utf-8"))
    document = assert_valid(schemas["Codebook"], codebook_qdc(book))
    codes = {c.get("name"): c for c in document.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert codes["Strategi & <Taktik>"].get("isCodable") == "false"  # grouping code
    assert codes["Kendala"].get("isCodable") == "true"  # a parent with rules of its own
    assert codes["Anggota"].get("isCodable") == "true"  # a leaf without rules
    assert codes["Kerja sama"].get("color") == "#1f77b4"
    description = codes["Kerja sama"].findtext("c:Description", namespaces=NS)
    assert description is not None
    for text in (
        "Cooperation with others.", "Include: Any cooperation.", "Exclude: Help from family.",
        "- Kami bekerja sama.", "- KUR (exact, case-sensitive)", "Code ID: strategi.kerjasama",
        "Negation: skip", "Minimum hits: 2", "- anggota DPRD",
    ):  # fmt: skip
        assert text in description
    sets = {s.get("name"): s for s in document.iter("{urn:QDA-XML:codebook:1.0}Set")}
    assert set(sets) == {"level: strategy", "level: obstacle", "Core", "Draft"}
    members = [
        m.get("guid") for m in sets["level: strategy"].iter("{urn:QDA-XML:codebook:1.0}MemberCode")
    ]
    assert members == [code_guid(book, "strategi.kerjasama")]


def test_guids_are_uuid5_upper_case_and_stable() -> None:
    guid = make_guid("code", "Uji", "strategi")
    assert guid == guid.upper() and guid[14] == "5"
    assert guid == make_guid("code", "Uji", "strategi") != make_guid("code", "Uji", "kendala")


def test_qdc_export_is_byte_identical_twice(tmp_path: Path, cli_invoke: Invoke) -> None:
    write(tmp_path / "cb.yaml", FULL_CODEBOOK)
    result = cli_invoke("export", "qdc", "cb.yaml", "-o", "a.qdc")
    assert "Wrote a.qdc (4 codes, 4 sets)" in result.stdout
    cli_invoke("export", "qdc", "cb.yaml", "-o", "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()


def test_qdpx_validates_and_holds_sources_users_cases(
    schemas: dict[str, etree.XMLSchema], coded: Path
) -> None:
    folder = read_output_folder(coded)
    data = project_qdpx(folder)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        document = assert_valid(schemas["Project"], archive.read("project.qde"))
        sources = document.findall("p:Sources/p:TextSource", NS)
        assert [s.get("name") for s in sources] == ["ppkl.txt", "sub/plain.md"]
        for source, record in zip(sources, folder.documents, strict=True):
            path = source.get("plainTextPath")
            assert path == f"internal://{source.get('guid')}.txt"
            assert archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8") == record.body
    users = {u.get("id"): u.get("guid") for u in document.findall("p:Users/p:User", NS)}
    assert set(users) == {"qualcode", "researcher"}
    body = folder.documents[0].body
    selections = sources[0].findall("p:PlainTextSelection", NS)
    expected = sorted({(c.start, c.end) for c in folder.codings if c.document == "ppkl.txt"})
    assert [
        (int(s.get("startPosition")), int(s.get("endPosition"))) for s in selections
    ] == expected
    first = selections[0]
    assert body[int(first.get("startPosition")) : int(first.get("endPosition"))].startswith(
        "Kami bekerja"
    )
    codings = first.findall("p:Coding", NS)
    assert len(codings) == 3 and {c.get("creatingUser") for c in codings} == {users["qualcode"]}
    variables = {
        v.get("name"): v.get("typeOfVariable")
        for v in document.findall("p:Variables/p:Variable", NS)
    }
    assert variables == {
        "title": "Text",
        "role": "Text",
        "date": "Date",
        "visits": "Integer",
        "interviewer": "Text",
    }
    case = document.find("p:Cases/p:Case", NS)
    assert case is not None and case.get("name") == "ppkl.txt"
    assert case.find("p:VariableValue/p:DateValue", NS).text == "2024-03-12"  # type: ignore[union-attr]
    assert case.find("p:SourceRef", NS).get("targetGUID") == sources[0].get("guid")  # type: ignore[union-attr]
    description = document.findtext("p:Description", namespaces=NS)
    assert (
        description is not None
        and "Language: id" in description
        and "- perbankan: bank" in description
    )


def test_reviewed_origins_and_memos_are_kept(
    schemas: dict[str, etree.XMLSchema], coded: Path, tmp_path: Path
) -> None:
    import shutil

    from qualcode.store import read_csv, write_csv

    folder = tmp_path / "reviewed"
    shutil.copytree(coded, folder)
    frame = read_csv(folder / "codings.csv")
    frame["origin"] = ["accepted", "manual"] + ["auto"] * (len(frame) - 2)
    frame["memo"] = ["Clear case of cooperation.", ""] + [""] * (len(frame) - 2)
    write_csv(frame, folder / "codings.csv")
    document = assert_valid(
        schemas["Project"], project_qde(read_output_folder(folder), researcher="Dewi")
    )
    users = {u.get("name"): u.get("guid") for u in document.findall("p:Users/p:User", NS)}
    assert set(users) == {"qualcode auto-coder", "Dewi"}
    codings = document.findall(".//p:Coding", NS)
    creators = [c.get("creatingUser") for c in codings]
    assert creators.count(users["Dewi"]) == 2
    note = document.find("p:Notes/p:Note", NS)
    assert (
        note is not None
        and note.findtext("p:PlainTextContent", namespaces=NS) == "Clear case of cooperation."
    )
    refs = [r.get("targetGUID") for r in document.iterfind(".//p:Coding/p:NoteRef", NS)]
    assert refs == [note.get("guid")]


def test_qdpx_export_is_byte_identical_twice(
    coded: Path, tmp_path: Path, cli_invoke: Invoke
) -> None:
    result = cli_invoke("export", "qdpx", str(coded), "-o", "a.qdpx")
    assert "Wrote a.qdpx: 2 documents" in result.stdout
    cli_invoke("export", "qdpx", str(coded), "-o", "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_export_qdpx_of_a_folder_without_documents_jsonl_says_why(
    coded: Path, tmp_path: Path, cli_invoke: Invoke
) -> None:
    import shutil

    shutil.copytree(coded, tmp_path / "old")
    (tmp_path / "old" / "documents.jsonl").unlink()
    result = cli_invoke("export", "qdpx", "old", "-o", "x.qdpx", expect_exit=1)
    assert "no documents.jsonl" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "x.qdpx").exists()


def test_xml_forbidden_characters_are_replaced(schemas: dict[str, etree.XMLSchema]) -> None:
    text = SMALL_CODEBOOK.replace("name: Kerja sama", 'name: "Kerja\\x0bsama"')
    book = parse_codebook(text.encode("utf-8"))
    document = assert_valid(schemas["Codebook"], codebook_qdc(book))
    assert "Kerja\ufffdsama" in [
        c.get("name") for c in document.iter("{urn:QDA-XML:codebook:1.0}Code")
    ]
