"""Speaker turns, timestamps, interviewer detection and units."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import IngestError
from qualcode.ingest import DEFAULT_INTERVIEWER_LABELS, UNITS, read_document
from qualcode.ingest.segmentation import find_turns, interviewer_labels, segment_body
from qualcode.models import INFORMANT, INTERVIEWER, Document, Segment


def read(tmp_path: Path, text: str, **kwargs: object) -> Document:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8", newline="")
    document = read_document(path, **kwargs)  # type: ignore[arg-type]
    assert_invariants(document)
    return document


def assert_invariants(document: Document) -> None:
    assert [s.number for s in document.segments] == list(range(1, len(document.segments) + 1))
    for segment in document.segments:
        assert document.body[segment.start : segment.end] == segment.text
        assert segment.text and segment.text == segment.text.strip()
        assert segment.document == document.name


def rows(segments: tuple[Segment, ...]) -> list[tuple[str, str, str]]:
    return [(s.speaker, s.timestamp, s.text) for s in segments]


def test_timestamps_are_kept_and_not_in_text(tmp_path: Path) -> None:
    text = (
        "[00:03:12] Peneliti: Apa kabar?\n"
        "(00:03:15) Pak Rusdi: Baik.\n"
        "[03:20] Ibu Siti: Saya juga.\n"
        "[00:03:25.500] Ibu Siti: Dengan milidetik.\n"
        "  (1:02:03,25)   Informan 2 : Spasi.\n"
    )
    document = read(tmp_path, text)
    assert rows(document.segments) == [
        ("Peneliti", "00:03:12", "Apa kabar?"),
        ("Pak Rusdi", "00:03:15", "Baik."),
        ("Ibu Siti", "03:20", "Saya juga."),
        ("Ibu Siti", "00:03:25.500", "Dengan milidetik."),
        ("Informan 2", "1:02:03,25", "Spasi."),
    ]


def test_continuation_lines_and_blank_lines_belong_to_the_turn(tmp_path: Path) -> None:
    text = "Peneliti:\n  Pertanyaan pertama\n\nPak Rusdi: Jawaban\n\nlanjutan   \n\n\n"
    document = read(tmp_path, text)
    assert rows(document.segments) == [
        ("Peneliti", "", "Pertanyaan pertama"),
        ("Pak Rusdi", "", "Jawaban\n\nlanjutan"),
    ]


def test_text_before_the_first_label_has_no_speaker(tmp_path: Path) -> None:
    document = read(tmp_path, "Transkrip 1\nSesi pagi\n\nPak Rusdi: Halo\n")
    assert rows(document.segments) == [
        ("", "", "Transkrip 1\nSesi pagi"),
        ("Pak Rusdi", "", "Halo"),
    ]
    assert document.segments[0].speaker_type == INFORMANT


def test_timestamp_without_label_continues_the_turn(tmp_path: Path) -> None:
    document = read(tmp_path, "Pak Rusdi: satu\n[00:01:02] dua\n")
    assert rows(document.segments) == [("Pak Rusdi", "", "satu\n[00:01:02] dua")]


def test_file_without_labels_is_split_into_lines(tmp_path: Path) -> None:
    document = read(
        tmp_path, "Paragraf satu.\n\n  Paragraf dua.  \n[00:00:09] Paragraf tiga.\n[00:01]\n"
    )
    assert rows(document.segments) == [
        ("", "", "Paragraf satu."),
        ("", "", "Paragraf dua."),
        ("", "00:00:09", "Paragraf tiga."),
    ]
    assert all(s.speaker_type == INFORMANT for s in document.segments)


@pytest.mark.parametrize(
    "line",
    [
        "Lihat http://contoh.id untuk info",
        "Pukul 10:30 pagi kami rapat",
        "Satu dua tiga empat lima enam: terlalu banyak kata",
        "A" * 41 + ": terlalu panjang",
        "1. Pertama: angka di depan",
        "- Catatan: butir daftar",
        "Rasio 3:1 itu bagus",
        "Label_garis: tidak boleh",
    ],
)
def test_lines_that_are_not_labels(tmp_path: Path, line: str) -> None:
    document = read(tmp_path, line + "\n")
    assert rows(document.segments) == [("", "", line)]


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("Pak H. Rusdi: isi", "Pak H. Rusdi"),
        ("Informan 2: isi", "Informan 2"),
        ("Ibu Siti (Ketua): isi", "Ibu Siti (Ketua)"),
        ("Ma’ruf: isi", "Ma’ruf"),
        ("O'Neil-Smith: isi", "O'Neil-Smith"),
        ("Pak   Rusdi:\tisi", "Pak Rusdi"),
        ("Satu dua tiga empat lima: isi", "Satu dua tiga empat lima"),
        ("A" * 40 + ": isi", "A" * 40),
        ("Édouard: isi", "Édouard"),
    ],
)
def test_label_forms(tmp_path: Path, line: str, speaker: str) -> None:
    document = read(tmp_path, line)
    assert rows(document.segments) == [(speaker, "", "isi")]


def test_colon_inside_turn_text_is_not_a_new_turn(tmp_path: Path) -> None:
    document = read(tmp_path, "Pak Rusdi: Jadi begini: kami rapat.\n")
    assert rows(document.segments) == [("Pak Rusdi", "", "Jadi begini: kami rapat.")]


def test_default_interviewer_labels_case_insensitive(tmp_path: Path) -> None:
    text = "PENELITI: a\npewawancara: b\nInterviewer: c\nmoderator: d\nPak Rusdi: e\n"
    document = read(tmp_path, text)
    assert [s.speaker_type for s in document.segments] == [INTERVIEWER] * 4 + [INFORMANT]


def test_interviewer_argument_replaces_defaults(tmp_path: Path) -> None:
    document = read(tmp_path, "Peneliti: a\nBu  ani: b\nPak Rusdi: c\n", interviewers=["Bu Ani"])
    assert [s.speaker_type for s in document.segments] == [INFORMANT, INTERVIEWER, INFORMANT]


def test_interviewer_labels_resolution() -> None:
    assert interviewer_labels(("Tim",), ("Ani",)) == ("Tim",)
    assert interviewer_labels((), (" Ani ", "")) == ("Ani",)
    assert interviewer_labels((), ()) == DEFAULT_INTERVIEWER_LABELS


def test_numbering_counts_interviewer_and_skips_empty_turns(tmp_path: Path) -> None:
    text = (
        "Peneliti: Tanya satu\nPak Rusdi:\nPeneliti:   \n\nPak Rusdi: Jawab\nPeneliti: Tanya dua\n"
    )
    document = read(tmp_path, text)
    assert [(s.number, s.speaker, s.text) for s in document.segments] == [
        (1, "Peneliti", "Tanya satu"),
        (2, "Pak Rusdi", "Jawab"),
        (3, "Peneliti", "Tanya dua"),
    ]


def test_only_empty_turns_warns_no_text(tmp_path: Path) -> None:
    document = read(tmp_path, "Peneliti:\nPak Rusdi:\n")
    assert document.segments == ()
    assert document.warnings == ("no text",)


TRANSCRIPT = (
    "Peneliti: Selamat pagi. Apa kabar?\n"
    "[00:00:10] Pak Rusdi: Baik! Koperasi kami maju… Anggota bertambah.\n"
    'Bapak H. Rusdi bilang "Kita bisa." Lalu Rp. 5.000 dibayar.\n'
    "\n"
    "Selesai (sudah.) Ya?\n"
)


def test_unit_paragraph(tmp_path: Path) -> None:
    document = read(tmp_path, TRANSCRIPT, unit="paragraph")
    assert rows(document.segments) == [
        ("Peneliti", "", "Selamat pagi. Apa kabar?"),
        ("Pak Rusdi", "00:00:10", "Baik! Koperasi kami maju… Anggota bertambah."),
        ("Pak Rusdi", "00:00:10", 'Bapak H. Rusdi bilang "Kita bisa." Lalu Rp. 5.000 dibayar.'),
        ("Pak Rusdi", "00:00:10", "Selesai (sudah.) Ya?"),
    ]
    assert [s.speaker_type for s in document.segments] == [INTERVIEWER] + [INFORMANT] * 3


def test_unit_sentence(tmp_path: Path) -> None:
    document = read(tmp_path, TRANSCRIPT, unit="sentence")
    assert [(s.number, s.speaker, s.text) for s in document.segments] == [
        (1, "Peneliti", "Selamat pagi."),
        (2, "Peneliti", "Apa kabar?"),
        (3, "Pak Rusdi", "Baik!"),
        (4, "Pak Rusdi", "Koperasi kami maju…"),
        (5, "Pak Rusdi", "Anggota bertambah."),
        (6, "Pak Rusdi", 'Bapak H. Rusdi bilang "Kita bisa."'),
        (7, "Pak Rusdi", "Lalu Rp. 5.000 dibayar."),
        (8, "Pak Rusdi", "Selesai (sudah.)"),
        (9, "Pak Rusdi", "Ya?"),
    ]
    assert all(s.timestamp == "00:00:10" for s in document.segments[2:])


def test_sentence_split_in_file_without_labels(tmp_path: Path) -> None:
    document = read(tmp_path, "Satu. Dua!\nTiga\n", unit="sentence")
    assert [s.text for s in document.segments] == ["Satu.", "Dua!", "Tiga"]


def test_unknown_unit_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="unknown unit"):
        read(tmp_path, "a", unit="word")


def test_units_constant() -> None:
    assert UNITS == ("turn", "paragraph", "sentence")


def test_segment_body_directly() -> None:
    body = "Moderator: q\nAna: a"
    segments = segment_body(body, document="d", interviewers=DEFAULT_INTERVIEWER_LABELS)
    assert [(s.number, s.speaker_type) for s in segments] == [(1, INTERVIEWER), (2, INFORMANT)]
    assert [(t.speaker, body[t.start : t.end]) for t in find_turns(body)] == [
        ("Moderator", "q"),
        ("Ana", "a"),
    ]


def test_unicode_whitespace_is_trimmed(tmp_path: Path) -> None:
    document = read(tmp_path, "Pak Rusdi:\u00a0isi\u2003\u2028\nPeneliti: x\u000b\n")
    assert [s.text for s in document.segments] == ["isi", "x"]
