"""Decoding of .txt/.md transcripts: BOMs, UTF-8, replacement, cp1252, binary, line endings."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

import pytest

from qualcode.errors import IngestError
from qualcode.ingest import read_document
from qualcode.ingest.decoding import UTF8_REPLACED, canonical_text, decode_bytes, text_encoding

TEXT = "Pak Rusdi: Koperasi di Banjarmasin—kerja sama “gotong royong”.\nPeneliti: Baik.\n"


def write(tmp_path: Path, data: bytes, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check_invariants(path: Path, **kwargs: object) -> None:
    document = read_document(path, **kwargs)  # type: ignore[arg-type]
    for segment in document.segments:
        assert document.body[segment.start : segment.end] == segment.text


def test_utf8_plain(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, TEXT.encode("utf-8")))
    assert document.encoding == "utf-8"
    assert document.body == TEXT
    assert document.warnings == ()
    assert [s.text for s in document.segments] == [
        "Koperasi di Banjarmasin—kerja sama “gotong royong”.",
        "Baik.",
    ]


def test_utf8_bom_is_removed_and_offset_zero_is_first_char(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, codecs.BOM_UTF8 + b"Halo dunia"))
    assert document.encoding == "utf-8-sig"
    assert document.body == "Halo dunia"
    assert document.segments[0].start == 0
    assert document.body[0] == "H"


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_with_bom(tmp_path: Path, bom: bytes, codec: str) -> None:
    document = read_document(write(tmp_path, bom + TEXT.encode(codec)))
    assert document.encoding == "utf-16"
    assert document.body == TEXT
    assert document.body[document.segments[0].start - len("Pak Rusdi: ")] == "P"
    assert document.segments[0].speaker == "Pak Rusdi"


def test_utf16_bom_offset_zero(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, codecs.BOM_UTF16_LE + "Éa b".encode("utf-16-le")))
    assert document.segments[0].start == 0
    assert document.segments[0].text == "Éa b"


CP1252_TEXT = "Pak Rusdi: “Koperasi” – ± é Ÿ ñ ã\n"


def test_cp1252_fallback(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, CP1252_TEXT.encode("cp1252")))
    assert document.encoding == "cp1252"
    assert document.body == CP1252_TEXT
    assert document.segments[0].text == "“Koperasi” – ± é Ÿ ñ ã"


def test_cp1252_forced_is_exact(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, CP1252_TEXT.encode("cp1252")), encoding="cp1252")
    assert document.encoding == "cp1252"
    assert document.body == CP1252_TEXT
    assert document.warnings == ()


def test_cp1252_undefined_byte_replaced_with_warning(tmp_path: Path) -> None:
    data = "é é é é ".encode("cp1252") + b"\x81 ok"
    document = read_document(write(tmp_path, data))
    assert document.encoding == "cp1252"
    assert document.body == "é é é é \ufffd ok"
    assert any("cp1252" in w and "8" in w for w in document.warnings)


def test_forced_encoding_failure_names_encoding_and_offset(tmp_path: Path) -> None:
    path = write(tmp_path, b"abc \xe9 def")
    with pytest.raises(IngestError) as excinfo:
        read_document(path, name="x.txt", encoding="utf-8")
    message = str(excinfo.value)
    assert message.startswith("x.txt:")
    assert "utf-8" in message
    assert "byte offset 4" in message


@pytest.mark.parametrize("codec", ["no-such-codec", "base64", "rot13", "zlib"])
def test_forced_unknown_encoding(tmp_path: Path, codec: str) -> None:
    with pytest.raises(IngestError, match=f"^t.txt: unknown text encoding '{codec}'$"):
        read_document(write(tmp_path, b"abc"), name="t.txt", encoding=codec)


def test_regression_a_bytes_codec_given_as_encoding_crashed_with_a_traceback() -> None:
    """``--encoding base64`` passed codecs.lookup and then raised LookupError from decode."""
    with pytest.raises(IngestError, match="unknown text encoding 'base64'"):
        text_encoding("base64")
    assert text_encoding("latin-1") == "iso8859-1"
    assert text_encoding("UTF-16") == "utf-16"  # one byte is not UTF-16, but the name is fine


def test_forced_utf8_strips_bom(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, codecs.BOM_UTF8 + b"abc"), encoding="utf-8")
    assert document.body == "abc"


def test_one_invalid_utf8_byte_is_replaced_not_mojibake(tmp_path: Path) -> None:
    good = "Koperasi ékonomi “rakyat” – "
    prefix = good.encode("utf-8")
    data = prefix + b"\xff" + " sejahtera ñ".encode()
    document = read_document(write(tmp_path, data))
    assert document.encoding == UTF8_REPLACED
    assert document.body == good + "\ufffd sejahtera ñ"
    assert len(document.warnings) == 1
    assert f"byte offset {len(prefix)}" in document.warnings[0]
    assert "U+FFFD" in document.warnings[0]


def test_few_invalid_bytes_each_listed(tmp_path: Path) -> None:
    data = b"a\xffb\xfec\xc3"
    decoded = decode_bytes(data, filename="f")
    assert decoded.text == "a\ufffdb\ufffdc\ufffd"
    assert "byte offsets 1, 3, 5" in decoded.warnings[0]


def test_many_invalid_bytes_fall_back_to_cp1252(tmp_path: Path) -> None:
    text = "Café à la crème, señor Ÿves. " * 5
    document = read_document(write(tmp_path, text.encode("cp1252")))
    assert document.encoding == "cp1252"
    assert document.body == text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"%PDF-1.7\n%\xe2\xe3",
        b"GIF89a\x01\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"some text\x00with a NUL byte",
    ],
)
def test_binary_is_not_a_text_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(IngestError) as excinfo:
        read_document(write(tmp_path, data), name="pic.txt")
    assert str(excinfo.value).startswith("pic.txt: not a text file")


def test_utf16_text_with_nul_characters_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not a text file"):
        read_document(write(tmp_path, codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le")))


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, b"\xef\xbb\xbf \n"])
def test_empty_or_whitespace_file_gives_no_segments_and_a_warning(
    tmp_path: Path, data: bytes
) -> None:
    document = read_document(write(tmp_path, data))
    assert document.segments == ()
    assert "no text" in document.warnings


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_cr_give_the_same_segments_as_lf(tmp_path: Path, ending: str) -> None:
    lines = ["Peneliti: Apa kabar?", "", "Pak Rusdi: Baik.", "Lanjutan baris.", "", ""]
    lf = read_document(write(tmp_path, "\n".join(lines).encode(), "lf.txt"), name="t")
    other = read_document(write(tmp_path, ending.join(lines).encode(), "x.txt"), name="t")
    assert other.body == lf.body
    assert other.segments == lf.segments
    assert other.body_sha256 == lf.body_sha256
    assert "\r" not in other.body


def test_mixed_line_endings(tmp_path: Path) -> None:
    data = b"Peneliti: a\r\nPak Rusdi: b\rc\nd\r\n\r\nPeneliti: e"
    document = read_document(write(tmp_path, data))
    assert document.body == "Peneliti: a\nPak Rusdi: b\nc\nd\n\nPeneliti: e"
    assert [s.text for s in document.segments] == ["a", "b\nc\nd", "e"]


def test_nfd_becomes_nfc(tmp_path: Path) -> None:
    nfd = "Pak Rusdi: Cafe\u0301 koperasi\n"
    assert unicodedata.normalize("NFC", nfd) != nfd
    document = read_document(write(tmp_path, nfd.encode("utf-8")))
    assert document.body == "Pak Rusdi: Café koperasi\n"
    assert document.segments[0].text == "Café koperasi"
    assert document.body_sha256 == hashlib.sha256(document.body.encode("utf-8")).hexdigest()


def test_sha256_is_of_raw_bytes(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + b"Peneliti: a\r\n"
    document = read_document(write(tmp_path, data))
    assert document.sha256 == hashlib.sha256(data).hexdigest()


def test_canonical_text() -> None:
    assert canonical_text("a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"
    assert canonical_text("e\u0301") == "é"


def test_emoji_offsets_are_code_points(tmp_path: Path) -> None:
    check_invariants(write(tmp_path, "Ibu Siti: 😀 koperasi 👍🏽 maju.\nPeneliti: ok".encode()))
    document = read_document(write(tmp_path, "Ibu Siti: 😀 koperasi".encode()))
    assert document.segments[0].start == len("Ibu Siti: ")


def test_utf8_bom_with_invalid_bytes_stays_utf8(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + b"\xff\xfe" * 10 + "é".encode()
    document = read_document(write(tmp_path, data))
    assert document.encoding == "utf-8-sig (with replacements)"
    assert document.body == "\ufffd" * 20 + "é"
    assert "byte offsets 3, 4, 5" in document.warnings[0]


def test_utf16_without_bom_needs_an_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "Pak Rusdi: isi".encode("utf-16-le"))
    with pytest.raises(IngestError, match=r"not a text file.*give its encoding"):
        read_document(path)
    document = read_document(path, encoding="utf-16-le")
    assert document.encoding == "utf-16-le"
    assert document.segments[0].text == "isi"
