"""Word .docx transcripts: paragraphs, tables, tracked changes, skipped parts, bad files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from qualcode.errors import IngestError
from qualcode.ingest import read_document
from qualcode.ingest.document_cache import DocumentCache
from qualcode.ingest.docx_reader import MAX_UNCOMPRESSED_BYTES, read_docx
from qualcode.models import INTERVIEWER, Document


def save(document: object, path: Path) -> Path:
    document.save(str(path))  # type: ignore[attr-defined]
    return path


def build(tmp_path: Path, *paragraphs: str, name: str = "t.docx") -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return save(document, tmp_path / name)


def rewrite(
    source: Path,
    path: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy the .docx ``source`` to ``path``, passing each member through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item))
            if data is not None:
                new.writestr(item, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return path


def check(document: Document) -> None:
    for segment in document.segments:
        assert document.body[segment.start : segment.end] == segment.text


def test_plain_paragraphs(tmp_path: Path) -> None:
    path = build(tmp_path, "Peneliti: Apa kabar?", "Pak Rusdi: Baik.", "", "Lanjutan.")
    document = read_document(path)
    check(document)
    assert document.body == "Peneliti: Apa kabar?\nPak Rusdi: Baik.\n\nLanjutan."
    assert [(s.speaker, s.text) for s in document.segments] == [
        ("Peneliti", "Apa kabar?"),
        ("Pak Rusdi", "Baik.\n\nLanjutan."),
    ]
    assert document.segments[0].speaker_type == INTERVIEWER
    assert document.encoding == "utf-8"
    assert document.warnings == ()


def test_tabs_and_line_breaks_in_runs(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Pak Rusdi: satu")
    run = paragraph.add_run()
    run.add_tab()
    run.add_text("dua")
    run.add_break()
    run.add_text("Peneliti: tiga")
    result = read_document(save(document, tmp_path / "t.docx"))
    assert result.body == "Pak Rusdi: satu\tdua\nPeneliti: tiga"
    assert [s.speaker for s in result.segments] == ["Pak Rusdi", "Peneliti"]


def test_table_rows_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Sebelum tabel")
    table = document.add_table(rows=2, cols=3)
    for r, values in enumerate([("Nama", "Peran", "Kota"), ("Rusdi", "Kepala", "Banjarmasin")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 2).add_paragraph("Kalsel")
    document.add_paragraph("Sesudah tabel")
    result = read_document(save(document, tmp_path / "t.docx"))
    assert result.body.split("\n") == [
        "Sebelum tabel",
        "Nama | Peran | Kota",
        "Rusdi | Kepala | Banjarmasin Kalsel",
        "Sesudah tabel",
    ]


def tracked_paragraph_xml() -> str:
    change = 'w:author="A" w:date="2024-01-01T00:00:00Z"'
    return (
        f"<w:p {nsdecls('w')}>"
        '<w:r><w:t xml:space="preserve">Pak Rusdi: Kami </w:t></w:r>'
        f'<w:ins w:id="1" {change}><w:r><w:t xml:space="preserve">sangat </w:t></w:r></w:ins>'
        f'<w:del w:id="2" {change}><w:r><w:delText xml:space="preserve">tidak </w:delText>'
        "</w:r></w:del>"
        "<w:r><w:t>setuju</w:t></w:r>"
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:hyperlink {nsdecls("r")} r:id="rId99"><w:r><w:t xml:space="preserve"> sekali</w:t>'
        "</w:r></w:hyperlink>"
        "<w:r><w:t>.</w:t></w:r>"
        "</w:p>"
    )


def test_tracked_insertion_kept_and_deletion_dropped(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Peneliti: Setuju?")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(tracked_paragraph_xml()))  # before w:sectPr
    # python-docx itself loses the insertion: the reason this reader exists.
    assert "sangat" not in document.paragraphs[1].text
    result = read_document(save(document, tmp_path / "t.docx"))
    assert result.segments[1].text == "Kami sangat setuju sekali."
    assert "tidak" not in result.body
    assert "PAGE" not in result.body


def test_header_and_text_box_text_is_skipped_with_warnings(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "RAHASIA"
    document.sections[0].footer.paragraphs[0].text = "Halaman"
    paragraph = document.add_paragraph("Pak Rusdi: isi ")
    box = parse_xml(
        f"<w:r {nsdecls('w')} xmlns:v='urn:schemas-microsoft-com:vml'><w:pict><v:shape>"
        "<v:textbox><w:txbxContent><w:p><w:r><w:t>Kotak teks</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    paragraph._p.append(box)
    result = read_document(save(document, tmp_path / "t.docx"))
    assert result.body == "Pak Rusdi: isi "
    assert "RAHASIA" not in result.body
    joined = " ".join(result.warnings)
    assert "header" in joined
    assert "footer" in joined
    assert "text box" in joined


def test_empty_header_gives_no_warning(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "   "
    document.add_paragraph("isi")
    assert read_document(save(document, tmp_path / "t.docx")).warnings == ()


def test_front_matter_in_docx(tmp_path: Path) -> None:
    path = build(
        tmp_path,
        "---",
        "title: Wawancara",
        "date: 2024-03-12",
        "interviewer: Tim",
        "---",
        "Tim: Tanya",
        "Pak Rusdi: Jawab",
    )
    document = read_document(path)
    assert document.attributes == {"title": "Wawancara", "date": "2024-03-12", "interviewer": "Tim"}
    assert document.body == "Tim: Tanya\nPak Rusdi: Jawab"
    assert [s.speaker_type for s in document.segments] == [INTERVIEWER, "informant"]
    check(document)


def test_empty_docx_warns_no_text(tmp_path: Path) -> None:
    document = read_document(build(tmp_path))
    assert document.segments == ()
    assert "no text" in document.warnings


def test_truncated_docx(tmp_path: Path) -> None:
    data = build(tmp_path, "Pak Rusdi: isi").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as excinfo:
        read_document(path, name="cut.docx")
    assert str(excinfo.value).startswith("cut.docx: not a valid .docx file")


def test_other_zip_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "odt.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(IngestError, match=r"^odt\.docx: not a valid \.docx file"):
        read_document(path, name="odt.docx")


@pytest.mark.parametrize("data", [b"", b"plain text", b"\x89PNG\r\n\x1a\n"])
def test_non_zip_renamed_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=r"not a valid \.docx file"):
        read_document(path)


def test_docx_missing_a_part_python_docx_needs(tmp_path: Path) -> None:
    def drop_content_types(name: str, data: bytes) -> bytes | None:
        return None if name == "[Content_Types].xml" else data

    path = rewrite(build(tmp_path, "isi"), tmp_path / "broken.docx", drop_content_types)
    with pytest.raises(IngestError, match=r"not a valid \.docx file"):
        read_document(path)


def test_zip_bomb_is_refused_before_decompression(tmp_path: Path) -> None:
    source = build(tmp_path, "isi").read_bytes()
    path = tmp_path / "bomb.docx"
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            new.writestr(item, old.read(item))
        with new.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 50):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(IngestError, match="decompress"):
        read_document(path, name="bomb.docx")


def test_doctype_with_entities_is_refused(tmp_path: Path) -> None:
    def add_doctype(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        head, _, rest = data.partition(b"?>")
        return head + b'?><!DOCTYPE w [<!ENTITY a "lol">]>' + rest

    path = rewrite(build(tmp_path, "isi"), tmp_path / "laughs.docx", add_doctype)
    with pytest.raises(IngestError, match="DOCTYPE"):
        read_document(path)


FOOTNOTES = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Catatan kaki</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
).encode()


def test_footnote_text_is_skipped_with_a_warning(tmp_path: Path) -> None:
    def register(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
            )
        if name == "word/_rels/document.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                b"</Relationships>",
            )
        return data

    source = build(tmp_path, "Pak Rusdi: isi")
    path = rewrite(source, tmp_path / "fn.docx", register, {"word/footnotes.xml": FOOTNOTES})
    document = read_document(path)
    assert document.body == "Pak Rusdi: isi"
    assert document.warnings == (
        "text in a footnote was skipped (only the body and its tables are read)",
    )


def test_read_docx_lines() -> None:
    document = docx.Document()
    document.add_paragraph("a")
    document.add_paragraph("b")
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_docx(buffer.getvalue(), filename="f.docx")
    assert result.lines == ("a", "b")


def test_malformed_document_xml(tmp_path: Path) -> None:
    def cut(name: str, data: bytes) -> bytes:
        return data[: len(data) // 2] if name == "word/document.xml" else data

    path = rewrite(build(tmp_path, "isi"), tmp_path / "bad.docx", cut)
    with pytest.raises(IngestError, match=r"^bad\.docx: not a valid \.docx file"):
        read_document(path, name="bad.docx")


def test_a_cached_docx_is_read_back_without_python_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "RAHASIA"  # a warning, cached too
    document.add_paragraph("Pak Rusdi: kami bekerja sama dengan koperasi.")
    path = save(document, tmp_path / "t.docx")
    cache = DocumentCache(tmp_path / "cache")
    first = read_document(path, cache=cache)
    assert first == read_document(path)  # the same document as read without the cache

    def not_again(data: bytes, *, filename: str) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr("qualcode.ingest.docx_reader.read_docx", not_again)
    assert read_document(path, cache=cache) == first
    assert any("header" in warning for warning in first.warnings)
    build(tmp_path, "Pak Rusdi: baru")  # the same path, new bytes: python-docx again
    with pytest.raises(AssertionError, match="read again"):
        read_document(path, cache=cache)
