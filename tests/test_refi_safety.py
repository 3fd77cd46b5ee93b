"""Hostile REFI-QDA files are refused with a clear message; nothing is expanded or extracted."""

from __future__ import annotations

import itertools
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from qualcode.errors import QualcodeError
from qualcode.refi import archive
from qualcode.refi.offsets import canonical_with_map
from qualcode.refi.qdc_read import read_qdc
from qualcode.refi.qdpx_read import read_qdpx

Invoke = Callable[..., Result]

PROJECT = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="P">
  <Sources><TextSource guid="4F1C2B3A-0000-4000-8000-000000000001" name="a"
    plainTextPath="internal://a.txt"/></Sources>
</Project>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="4F1C2B3A-0000-4000-8000-000000000001" name="&lol4;" isCodable="true"/>
</Codes></CodeBook>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="4F1C2B3A-0000-4000-8000-000000000001" name="&secret;" isCodable="true"/>
</Codes></CodeBook>
"""


def make_zip(
    path: Path, members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("../evil.txt", "path traversal"),
        ("sources/../../evil.txt", "path traversal"),
        ("a\\..\\..\\evil.txt", "path traversal"),
        ("/etc/evil.txt", "absolute path"),
        ("\\evil.txt", "absolute path"),
        ("C:/evil.txt", "drive letter"),
    ],
)
def test_zip_slip_members_are_refused(member: str, problem: str, tmp_path: Path) -> None:
    path = make_zip(tmp_path / "evil.qdpx", {"project.qde": PROJECT, member: "x"})
    with pytest.raises(QualcodeError, match=f"unsafe member .*{problem}.*nothing was extracted"):
        read_qdpx(path)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_symbolic_link_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "link.qdpx"
    with zipfile.ZipFile(path, "w") as handle:
        handle.writestr("project.qde", PROJECT)
        info = zipfile.ZipInfo("sources/a.txt")
        info.external_attr = 0o120777 << 16
        handle.writestr(info, "/etc/passwd")
    with pytest.raises(QualcodeError, match="symbolic link"):
        read_qdpx(path)


def test_a_member_with_a_bomb_ratio_is_refused_before_reading(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "bomb.qdpx", {"project.qde": PROJECT, "sources/a.txt": b"\0" * (3 * 1024**2)}
    )
    with pytest.raises(QualcodeError, match=r"would expand \d+-fold \(the limit is 100:1"):
        read_qdpx(path)


def test_declared_sizes_and_member_counts_are_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_zip(
        tmp_path / "p.qdpx", {"project.qde": PROJECT, "sources/a.txt": "Ana: hello " * 100}
    )
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 500)
    with pytest.raises(
        QualcodeError,
        match=r"member 'sources/a.txt': refused: 1100 bytes uncompressed \(the limit for a member",
    ):
        read_qdpx(path)
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 1000)
    with pytest.raises(
        QualcodeError, match=r"members declare .* uncompressed \(the limit is 1000 bytes\)"
    ):
        read_qdpx(path)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 1)
    with pytest.raises(QualcodeError, match=r"2 members \(the limit is 1\)"):
        read_qdpx(path)


def test_a_member_that_lies_about_its_size_is_stopped(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "p.qdpx", {"project.qde": PROJECT, "sources/a.txt": "Ana: hello " * 1000}
    )
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the last central directory entry: sources/a.txt
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # declared size: 10 bytes
    path.write_bytes(bytes(data))
    with pytest.raises(QualcodeError, match=r"damaged|expands beyond"):
        read_qdpx(path)


@pytest.mark.parametrize(
    "xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external"]
)
def test_entity_declarations_are_refused_in_qdc_and_qde(xml: str, tmp_path: Path) -> None:
    (tmp_path / "x.qdc").write_text(xml, encoding="utf-8")
    with pytest.raises(QualcodeError, match="refused: the XML declares entities"):
        read_qdc(tmp_path / "x.qdc")
    path = make_zip(tmp_path / "x.qdpx", {"project.qde": xml.replace("CodeBook", "Project")})
    with pytest.raises(QualcodeError, match="refused: the XML declares entities"):
        read_qdpx(path)


def test_cli_reports_a_hostile_archive_in_one_line(tmp_path: Path, cli_invoke: Invoke) -> None:
    make_zip(tmp_path / "evil.qdpx", {"project.qde": PROJECT, "../evil.txt": "x"})
    result = cli_invoke("import", "qdpx", "evil.qdpx", "-o", "out", expect_exit=1)
    assert result.stderr.startswith("Error: evil.qdpx: refused: unsafe member '../evil.txt'")
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_not_a_zip_and_broken_xml_are_clear_errors(tmp_path: Path, cli_invoke: Invoke) -> None:
    (tmp_path / "a.qdc").write_text("<CodeBook><Codes>", encoding="utf-8")
    result = cli_invoke("import", "qdc", "a.qdc", "-o", "c.yaml", expect_exit=1)
    assert "a.qdc: not well-formed XML at line 1" in result.stderr
    (tmp_path / "b.qdpx").write_bytes(b"PK\x03\x04 not really")
    result = cli_invoke("import", "qdpx", "b.qdpx", "-o", "out", expect_exit=1)
    assert "b.qdpx: not a ZIP archive" in result.stderr


PIECES = [*"ab \n\r\t.", "e\u0301", "\u0301", "\u00e9", "\ufeff", "\x00", "\u1100\u1161"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(TEXT, st.data())
def test_offsets_map_into_the_canonical_text(text: str, data: st.DataObject) -> None:
    from qualcode.ingest.decoding import canonical_text

    canonical, mapping = canonical_with_map(text)
    expected = canonical_text(text.removeprefix("\ufeff").replace("\x00", "\ufffd"))
    assert canonical == expected
    assert len(mapping) == len(text) + 1 and mapping[0] == 0 and mapping[-1] == len(canonical)
    assert all(a <= b for a, b in itertools.pairwise(mapping))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    piece = text[start:end]
    composes = end < len(text) and unicodedata.combining(text[end])  # "e" + U+0301 -> "é"
    if (
        piece.isascii()
        and "\x00" not in piece
        and "\r" not in text[max(0, start - 1) : end + 1]
        and not composes
    ):
        assert canonical[mapping[start] : mapping[end]] == piece


def test_zip_member_names_checks() -> None:
    assert archive.member_problem("sources/a.txt") is None
    assert archive.member_problem("sources/a..b.txt") is None
    assert archive.member_problem("a\x00b") == "NUL character in the name"
