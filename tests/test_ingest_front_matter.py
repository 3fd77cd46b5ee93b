"""YAML front matter: attributes as strings, interviewer labels, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import IngestError
from qualcode.ingest import read_document
from qualcode.ingest.front_matter import split_front_matter
from qualcode.models import INFORMANT, INTERVIEWER

FRONT = """---
title: Wawancara Kepala Bidang Koperasi
informant: Bapak H. Rusdi
date: 2024-03-12
consent: yes
count: 010
location: Kantor Dinas Koperasi UMTK, Banjarmasin
interviewer: Tim   # a comment
---
Tim: Selamat pagi.
Pak Rusdi: Pagi.
Peneliti: Bukan pewawancara di sini.
"""


def write(tmp_path: Path, text: str, name: str = "t.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_attributes_stay_strings_as_written(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, FRONT))
    assert document.attributes == {
        "title": "Wawancara Kepala Bidang Koperasi",
        "informant": "Bapak H. Rusdi",
        "date": "2024-03-12",
        "consent": "yes",
        "count": "010",
        "location": "Kantor Dinas Koperasi UMTK, Banjarmasin",
        "interviewer": "Tim",
    }
    assert document.body.startswith("Tim: Selamat pagi.")


def test_front_matter_interviewer_wins_over_defaults_and_argument(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, FRONT), interviewers=["Pak Rusdi"])
    types = {s.speaker: s.speaker_type for s in document.segments}
    assert types == {"Tim": INTERVIEWER, "Pak Rusdi": INFORMANT, "Peneliti": INFORMANT}


def test_offsets_are_into_the_body(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, FRONT))
    first = document.segments[0]
    assert first.start == len("Tim: ")
    assert document.body[first.start : first.end] == first.text == "Selamat pagi."


def test_list_interviewer_and_list_values(tmp_path: Path) -> None:
    text = "---\ninterviewer: [Peneliti, Asisten]\ntags:\n  - koperasi\n  - UMKM\n---\n"
    text += "Asisten: Tanya.\nPeneliti: Tanya lagi.\nBu Ani: Jawab.\n"
    document = read_document(write(tmp_path, text))
    assert document.attributes == {"interviewer": "Peneliti; Asisten", "tags": "koperasi; UMKM"}
    assert [s.speaker_type for s in document.segments] == [INTERVIEWER, INTERVIEWER, INFORMANT]


def test_keys_are_stripped_but_keep_their_case(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "---\nInterviewer: Ani\nKota : Solo\n---\nAni: x\n"))
    assert document.attributes == {"Interviewer": "Ani", "Kota": "Solo"}
    assert document.segments[0].speaker_type == INTERVIEWER


def test_dots_close_front_matter_and_crlf(tmp_path: Path) -> None:
    text = "---\r\ntitle: A\r\n...\r\nPak Rusdi: isi\r\n"
    document = read_document(write(tmp_path, text))
    assert document.attributes == {"title": "A"}
    assert document.body == "Pak Rusdi: isi\n"


def test_front_matter_after_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: A\n---\nisi")
    document = read_document(path)
    assert document.attributes == {"title": "A"}
    assert document.body == "isi"


def test_empty_front_matter(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "---\n---\nisi"))
    assert document.attributes == {}
    assert document.body == "isi"


def test_front_matter_only_warns_no_text(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "---\ntitle: A\n---\n"))
    assert document.body == ""
    assert document.segments == ()
    assert document.warnings == ("no text",)


def test_no_front_matter(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "title: A\n---\nisi\n"))
    assert document.attributes == {}
    assert document.body == "title: A\n---\nisi\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\ntitle: A\nPak Rusdi: isi\n", "front matter not closed"),
        ("---", "front matter not closed"),
        ("---\n- a\n- b\n---\nisi", "must be a mapping"),
        ("---\njust text\n---\nisi", "must be a mapping"),
        ("---\nnested:\n  a: b\n---\nisi", "nested"),
        ("---\nlist: [[a]]\n---\nisi", "nested"),
        ("---\ntitle: [unclosed\n---\nisi", "not valid YAML"),
    ],
)
def test_invalid_front_matter(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(IngestError) as excinfo:
        read_document(write(tmp_path, text), name="wawancara.md")
    message = str(excinfo.value)
    assert message.startswith("wawancara.md: ")
    assert problem in message
    assert "\n" not in message


def test_split_front_matter_reports_body_offset() -> None:
    front = split_front_matter("---\na: b\n---\nisi", filename="f")
    assert front.body == "isi"
    assert front.body_offset == len("---\na: b\n---\n")
    assert front.interviewers == ()
